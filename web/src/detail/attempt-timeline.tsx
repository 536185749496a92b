/**
 * The route's attempts in order: which target, how long, how it ended, and
 * why the gateway moved on. Bars share one scale so slow attempts stand out.
 */
import type { Attempt } from '../api/types';
import { statusTone } from '../components/status-badge';
import { EmptyState } from '../components/states';
import { formatDuration } from '../format';

function outcome(attempt: Attempt): string {
  if (attempt.status === null || attempt.status === 0) return attempt.code ?? 'failed';
  return String(attempt.status);
}

export function AttemptTimeline({ attempts }: { attempts: readonly Attempt[] }) {
  if (attempts.length === 0) {
    return <EmptyState compact title="No upstream attempts">The gateway answered this request itself (a cache hit, a guardrail or an early error).</EmptyState>;
  }
  const longest = Math.max(...attempts.map((attempt) => attempt.latency_ms), 1);
  return (
    <ol class="timeline" data-testid="attempt-timeline">
      {attempts.map((attempt, index) => {
        const tone = statusTone(attempt.status);
        const last = index === attempts.length - 1;
        return (
          <li class="timeline-item" data-tone={tone} key={`${attempt.target}-${index}`}>
            <span class="timeline-marker" aria-hidden="true" />
            <div class="timeline-content">
              <div class="timeline-title">
                <span class="cell-primary">
                  {attempt.provider} <span class="faint">/</span> {attempt.model}
                </span>
                <span class={`badge badge-${tone}`}>{outcome(attempt)}</span>
                {attempt.retry > 0 ? <span class="badge">retry {attempt.retry}</span> : null}
                {last && tone === 'success' ? <span class="badge badge-accent">served</span> : null}
              </div>
              <div class="timeline-meta">
                <code>{attempt.target}</code>
                <span>{formatDuration(attempt.latency_ms)}</span>
                {attempt.code && attempt.status ? <code>{attempt.code}</code> : null}
              </div>
              <div class="timeline-bar" aria-hidden="true">
                <span style={{ width: `${Math.max(2, (attempt.latency_ms / longest) * 100)}%` }} />
              </div>
              {attempt.error ? <p class="timeline-error">{attempt.error}</p> : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
