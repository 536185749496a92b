/**
 * The one way the dashboard talks to the admin API: every call carries the
 * admin token, failures become an ApiError, and a 401 anywhere signs out.
 */
import { ApiError, apiErrorFrom } from './api-error.js';

export type Query = Record<string, string | number | undefined | null>;

export interface AdminClient {
  getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T>;
  /** Opens a long-lived GET (for server-sent events) and returns the response once headers arrive. */
  open(path: string, query?: Query, signal?: AbortSignal): Promise<Response>;
}

export function buildUrl(path: string, query: Query = {}): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') parameters.set(name, String(value));
  }
  const search = parameters.toString();
  return search ? `${path}?${search}` : path;
}

export function createAdminClient(token: string, onUnauthorized: () => void): AdminClient {
  async function send(path: string, query: Query | undefined, signal: AbortSignal | undefined, accept: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(buildUrl(path, query), { headers: { authorization: `Bearer ${token}`, accept }, signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError('The gateway could not be reached.', 0);
    }
    if (response.ok) return response;
    const failure = await apiErrorFrom(response);
    if (failure.isUnauthorized) onUnauthorized();
    throw failure;
  }

  return {
    async getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
      const response = await send(path, query, signal, 'application/json');
      return (await response.json()) as T;
    },
    open(path: string, query?: Query, signal?: AbortSignal): Promise<Response> {
      return send(path, query, signal, 'text/event-stream');
    },
  };
}

/** Checks a token before keeping it: 401 and 403 are answers about the token; anything else means it works. */
export async function checkToken(token: string): Promise<ApiError | undefined> {
  try {
    await createAdminClient(token, () => {}).getJson('/admin/logs', { limit: 1 });
    return undefined;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 0)) return error;
    return undefined;
  }
}
