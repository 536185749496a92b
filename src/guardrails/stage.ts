/** The guardrails stage: input checks before routing, output checks on answers and streams. */
import type { Stage } from '../server/pipeline.js';
import type { GuardrailsConfig } from './config-schema.js';
import type { Evaluator } from './evaluate.js';
import { createState, stateOf } from './exchange-state.js';
import { runInputGuardrails } from './input-guard.js';
import { applyOutputGuardrails, checkFallbackGuardrails } from './output-guard.js';
import type { GuardrailSets, RequestFactsForGuardrails } from './resolve-guardrails.js';
import { guardStream } from './stream/guard-stream.js';

export function createGuardrailStage(config: GuardrailsConfig, resolve: (facts: RequestFactsForGuardrails) => GuardrailSets, evaluator: Evaluator): Stage {
  return {
    name: 'guardrails',

    // The hooks answer at once when every check does (offline checks): no promise, no turn of the event loop.
    before(exchange) {
      if (exchange.kind !== 'chat' && exchange.kind !== 'embeddings') return;
      const headers = exchange.context.request.headers;
      const sets = resolve({
        route: exchange.route,
        // Config routes have a name; a route without one came with the request (or is the bare model, which sets no guardrails).
        routeFromClient: exchange.context.routeName === undefined,
        keyId: exchange.principal?.keyId,
        teamId: exchange.principal?.teamId,
        header: (name) => {
          const value = headers[name];
          return Array.isArray(value) ? value.join(',') : value;
        },
      });
      // Embeddings have no answer text to check.
      const output = exchange.kind === 'chat' ? sets.output : [];
      if (sets.input.length === 0 && output.length === 0) return;
      const state = createState(exchange, sets.input, output);
      if (state.input.length > 0) return runInputGuardrails(exchange, state, evaluator, config);
    },

    checkCompletion(exchange, completion) {
      const state = stateOf(exchange);
      if (state && state.output.length > 0) return checkFallbackGuardrails(exchange, state, completion, evaluator, config);
    },

    afterCompletion(exchange, completion) {
      const state = stateOf(exchange);
      if (!state || (state.output.length === 0 && !state.registry.canRestore)) return completion;
      return applyOutputGuardrails(exchange, state, completion, evaluator, config);
    },

    wrapStream(exchange, chunks) {
      const state = stateOf(exchange);
      if (!state || (state.output.length === 0 && !state.registry.canRestore)) return chunks;
      return guardStream(exchange, state, chunks, evaluator, config);
    },
  };
}
