/** GET /v1/models: the aliases, then each configured provider's listed models as `provider/model`. */
import { sendJson } from './http-io.js';
import { runBefore, type Exchange } from './pipeline.js';

interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export async function handleListModels(exchange: Exchange): Promise<void> {
  const { state, context } = exchange;
  await runBefore(state.stages, exchange);
  const data: ModelEntry[] = [];
  for (const [alias, target] of Object.entries(state.config.models)) data.push({ id: alias, object: 'model', created: 0, owned_by: target.provider });
  for (const [name, provider] of Object.entries(state.config.providers)) {
    for (const model of provider.models ?? []) data.push({ id: `${name}/${model}`, object: 'model', created: 0, owned_by: name });
  }
  sendJson(context.response, 200, { object: 'list', data });
}
