import type { GuardrailResult } from '../api/types';
import { EmptyState } from '../components/states';
import { formatDuration } from '../format';

export function GuardrailTable({ guardrails }: { guardrails: readonly GuardrailResult[] }) {
  if (guardrails.length === 0) return <EmptyState compact icon="check" title="No guardrails ran">None are configured for this request's route.</EmptyState>;
  return (
    <div class="table-scroll">
      <table class="table">
        <thead>
          <tr>
            <th>Guardrail</th>
            <th>Stage</th>
            <th>Result</th>
            <th>Action</th>
            <th class="align-end">Time</th>
            <th>Explanation</th>
          </tr>
        </thead>
        <tbody>
          {guardrails.map((guardrail, index) => (
            <tr key={`${guardrail.name}-${index}`}>
              <td class="cell-primary">{guardrail.name}</td>
              <td>{guardrail.stage}</td>
              <td>{guardrail.passed ? <span class="badge badge-success">passed</span> : <span class="badge badge-danger">failed</span>}</td>
              <td>{guardrail.passed ? <span class="faint">—</span> : guardrail.action}</td>
              <td class="align-end">{formatDuration(guardrail.latency_ms)}</td>
              <td class="cell-wrap muted">{guardrail.explanation ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
