/**
 * The admin API under /admin, behind SWITCHYARD_ADMIN_TOKEN (Bearer or
 * x-admin-token). Subsystems contribute routes as data: a method, a path
 * pattern with `:params`, and a handler from a parsed request to a JSON answer.
 */
import { timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../api/errors.js';
import type { RequestContext } from '../server/context.js';
import { parseJsonBody, readBody, sendError, sendJson } from '../server/http-io.js';

export interface AdminRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body (undefined for GET/DELETE or an empty body). */
  readonly body: unknown;
}

export interface AdminResponse {
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export interface AdminRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** e.g. `/admin/keys/:id` */
  readonly path: string;
  handle(request: AdminRequest): Promise<AdminResponse> | AdminResponse;
}

interface CompiledRoute {
  readonly route: AdminRoute;
  readonly pattern: RegExp;
  readonly names: string[];
}

function compile(route: AdminRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([a-zA-Z_]+)/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer` or `x-admin-token`. */
export function adminTokenOf(headers: RequestContext['request']['headers']): string | undefined {
  const header = headers['x-admin-token'];
  if (typeof header === 'string') return header;
  const authorization = headers.authorization;
  const match = authorization ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
  return match?.[1]?.trim();
}

export function requireAdmin(context: RequestContext, adminToken: string | undefined): void {
  if (!adminToken) throw new GatewayError('admin_disabled');
  if (!tokenMatches(adminTokenOf(context.request.headers), adminToken)) throw new GatewayError('admin_unauthorized');
}

export class AdminRouter {
  private readonly routes: CompiledRoute[] = [];

  constructor(private readonly adminToken: string | undefined, private readonly bodyLimitBytes: number) {}

  add(...routes: AdminRoute[]): this {
    for (const route of routes) this.routes.push(compile(route));
    return this;
  }

  async handle(context: RequestContext, path: string): Promise<void> {
    try {
      requireAdmin(context, this.adminToken);
      const method = context.request.method ?? 'GET';
      let allowed = false;
      for (const compiled of this.routes) {
        const match = compiled.pattern.exec(path);
        if (!match) continue;
        if (compiled.route.method !== method) {
          allowed = true;
          continue;
        }
        const params = Object.fromEntries(compiled.names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]));
        const raw = method === 'GET' || method === 'DELETE' ? undefined : await readBody(context.request, this.bodyLimitBytes);
        const body = raw && raw.length > 0 ? parseJsonBody(raw) : undefined;
        const url = new URL(context.request.url ?? '/', 'http://admin');
        const answer = await compiled.route.handle({ method, path, params, query: url.searchParams, body });
        sendJson(context.response, answer.status ?? 200, answer.body, answer.headers);
        return;
      }
      throw allowed ? new GatewayError('method_not_allowed', { message: `${method} is not allowed on ${path}.` }) : new GatewayError('not_found', { message: `No admin route for ${method} ${path}.` });
    } catch (error) {
      sendError(context.response, error);
    }
  }
}
