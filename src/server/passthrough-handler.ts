/**
 * Any other /v1/* path goes unchanged to an OpenAI-dialect provider: the one
 * named by `x-switchyard-provider`, else the prefix of a JSON body's
 * `provider/model`, else `openai`. Only the credentials are replaced.
 */
import { GatewayError } from '../api/errors.js';
import { readBody } from './http-io.js';
import { runBefore, type Exchange } from './pipeline.js';

const hopByHop = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-authorization', 'te', 'trailer', 'authorization', 'content-length', 'x-switchyard-provider', 'api-key', 'x-api-key']);

/** `read`: the body and its JSON (undefined when it is not JSON), when the caller already read it to decide where the request goes. */
export async function handlePassthrough(exchange: Exchange, path: string, search: string, read?: { readonly body: Buffer; readonly json: unknown }): Promise<void> {
  const { state, context } = exchange;
  const { request, response } = context;
  await runBefore(state.stages, exchange);
  const isJson = String(request.headers['content-type'] ?? '').includes('application/json');
  let body: Buffer | undefined;
  let providerName = typeof request.headers['x-switchyard-provider'] === 'string' ? request.headers['x-switchyard-provider'] : undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'DELETE') {
    body = read?.body ?? (await readBody(request, state.config.server.body_limit_bytes));
    if (isJson && body.length > 0) {
      try {
        const json = (read ? read.json : JSON.parse(body.toString('utf8'))) as { model?: unknown } | undefined;
        if (typeof json?.model === 'string' && json.model.includes('/')) {
          const prefix = json.model.slice(0, json.model.indexOf('/'));
          if (!providerName && state.resolver.settings(prefix)?.dialect === 'openai') {
            providerName = prefix;
            body = Buffer.from(JSON.stringify({ ...json, model: json.model.slice(prefix.length + 1) }));
          }
        }
      } catch {
        // not JSON after all: forwarded as it is
      }
    }
  }
  const target = state.resolver.resolve(`${providerName ?? 'openai'}/passthrough`, exchange.clientProviderKey, exchange.providerKeys);
  if (target.settings.dialect !== 'openai') {
    throw new GatewayError('unsupported_parameter', { message: `${path} is passed through only to OpenAI-dialect providers; ${target.settings.name} speaks ${target.settings.dialect}.` });
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!hopByHop.has(name) && typeof value === 'string') headers[name] = value;
  }
  Object.assign(headers, target.settings.headers);
  if (target.settings.apiKey) headers.authorization = `Bearer ${target.settings.apiKey}`;
  const url = target.settings.baseURL.replace(/\/+$/, '') + path.replace(/^\/v1/, '') + search;
  const upstream = await state.upstream.send({ method: request.method ?? 'GET', url, headers, body }, target.settings.name, context.abort);
  const outHeaders: Record<string, string | string[]> = { 'x-switchyard-provider': target.settings.name };
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value !== undefined && name !== 'connection' && name !== 'keep-alive' && name !== 'transfer-encoding') outHeaders[name] = value;
  }
  response.writeHead(upstream.status, outHeaders);
  try {
    for await (const chunk of upstream.body) response.write(chunk);
    response.end();
  } catch {
    response.destroy();
  }
}
