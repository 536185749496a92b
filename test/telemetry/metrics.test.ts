import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../../src/telemetry/metrics/gateway-metrics.js';
import { makeRecord } from './helpers.js';

describe('metrics read off the request record', () => {
  it('count guardrail checks by name, stage, action and result, and refusals by limit', async () => {
    const metrics = createGatewayMetrics({ processMetrics: false, queueDepth: () => 0, spillBytes: () => 0 });
    metrics.observeRecord(
      makeRecord({
        guardrails: [
          { name: 'pii:pii', stage: 'input', passed: false, action: 'redact', latencyMs: 0.4 },
          { name: 'words:word_count', stage: 'output', passed: true, action: 'deny', latencyMs: 0.1 },
        ],
      }),
    );
    metrics.observeRecord(makeRecord({ status: 429, errorCode: 'requests_per_minute_exceeded', guardrails: [] }));
    metrics.observeRecord(makeRecord({ status: 429, errorCode: 'budget_exceeded', guardrails: [] }));
    const text = await metrics.registry.metrics();
    expect(text).toContain('switchyard_guardrail_checks_total{name="pii:pii",stage="input",action="redact",result="failed"} 1');
    expect(text).toContain('switchyard_guardrail_checks_total{name="words:word_count",stage="output",action="deny",result="passed"} 1');
    expect(text).toContain('switchyard_rate_limited_total{kind="requests_per_minute_exceeded"} 1');
    expect(text).toContain('switchyard_budget_refused_total{scope="any"} 1');
  });

  it('add up guardrail checks counted between reads, and count each once', async () => {
    const metrics = createGatewayMetrics({ processMetrics: false, queueDepth: () => 0, spillBytes: () => 0 });
    const verdict = (passed: boolean) => ({ name: 'pii:pii', stage: 'output' as const, passed, action: 'redact' as const, latencyMs: 0.2 });
    metrics.observeRecord(makeRecord({ guardrails: [verdict(true), verdict(false)] }));
    expect(await metrics.registry.metrics()).toContain('switchyard_guardrail_checks_total{name="pii:pii",stage="output",action="redact",result="passed"} 1');
    metrics.observeRecord(makeRecord({ guardrails: [verdict(true)] }));
    metrics.observeRecord(makeRecord({ guardrails: [verdict(true)] }));
    const text = await metrics.registry.metrics();
    expect(text).toContain('switchyard_guardrail_checks_total{name="pii:pii",stage="output",action="redact",result="passed"} 3');
    expect(text).toContain('switchyard_guardrail_checks_total{name="pii:pii",stage="output",action="redact",result="failed"} 1');
    expect(text).toContain('switchyard_guardrail_check_duration_seconds_count{name="pii:pii",stage="output"} 4');
    expect(await metrics.registry.metrics()).toContain('result="passed"} 3');
  });

  it('label every per-request series in its own label order, and add up repeated records', async () => {
    const metrics = createGatewayMetrics({ processMetrics: false, queueDepth: () => 0, spillBytes: () => 0 });
    metrics.observeRecord(makeRecord({ guardrails: [] }));
    metrics.observeRecord(makeRecord({ guardrails: [] }));
    const text = await metrics.registry.metrics();
    expect(text).toContain('switchyard_requests_total{route="smart",provider="openai",model="gpt-4o",kind="chat",status="200"} 2');
    expect(text).toContain('switchyard_request_duration_seconds_count{route="smart",provider="openai",model="gpt-4o"} 2');
    expect(text).toContain('switchyard_time_to_first_token_seconds_count{provider="openai",model="gpt-4o",streamed="false"} 2');
    expect(text).toContain('switchyard_upstream_duration_seconds_count{provider="openai",model="gpt-4o",status="200"} 2');
    expect(text).toContain('switchyard_tokens_total{provider="openai",model="gpt-4o",type="prompt"} 20');
    expect(text).toContain('switchyard_tokens_total{provider="openai",model="gpt-4o",type="cached"} 4');
    expect(text).toContain('switchyard_cost_usd_total{provider="openai",model="gpt-4o"} 0.002');
  });
});
