/**
 * Serves the built dashboard under /dashboard: static files with their
 * content types, long-lived caching for content-hashed assets, ETags for
 * the rest, and index.html for every app path (the client routes). Paths
 * are confined to the build directory: `..`, hidden files and links that
 * lead outside it are answered 404.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { GatewayError } from '../api/errors.js';
import type { PlainHandler } from '../server/app.js';
import type { RequestContext } from '../server/context.js';
import { contentTypeFor } from './content-types.js';

export interface DashboardRouteOptions {
  /** The directory of built files (vite's outDir), holding index.html. */
  readonly root: string;
}

const prefix = '/dashboard';
/** Vite names bundled files `name-<hash>.ext` under assets/. */
const hashedAsset = /^assets\/.+-[\w-]{8,}\.\w+$/;
const immutable = 'public, max-age=31536000, immutable';
const pageHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

interface FoundFile {
  readonly file: string;
  readonly relative: string;
  readonly size: number;
  readonly modified: Date;
}

/** The path inside the build directory, or undefined when it cannot be one (traversal, hidden, malformed). */
export function safeRelativePath(requestPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath.slice(prefix.length + 1));
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const segments = decoded.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..' || segment.startsWith('.') || /^[a-z]:$/i.test(segment))) return undefined;
  return segments.join('/');
}

function inside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(`${root}${path.sep}`);
}

async function findFile(root: string, relative: string): Promise<FoundFile | undefined> {
  const candidate = path.resolve(root, relative);
  if (!inside(root, candidate)) return undefined;
  try {
    const [real, info] = await Promise.all([realpath(candidate), stat(candidate)]);
    const realRoot = await realpath(root);
    if (!info.isFile() || !inside(realRoot, real)) return undefined;
    return { file: real, relative, size: info.size, modified: info.mtime };
  } catch {
    return undefined;
  }
}

function entityTag(found: FoundFile): string {
  return `W/"${found.size.toString(16)}-${Math.floor(found.modified.getTime()).toString(16)}"`;
}

function send(context: RequestContext, found: FoundFile): void {
  const { request, response } = context;
  const extension = path.extname(found.file);
  const tag = entityTag(found);
  const headers: Record<string, string | number> = {
    'content-type': contentTypeFor(extension),
    'cache-control': hashedAsset.test(found.relative) ? immutable : 'no-cache',
    etag: tag,
    'last-modified': found.modified.toUTCString(),
    'x-content-type-options': 'nosniff',
    ...(extension === '.html' ? pageHeaders : {}),
  };
  const known = request.headers['if-none-match'];
  if (known && known.split(',').some((value) => value.trim() === tag || value.trim() === '*')) {
    response.writeHead(304, { etag: tag, 'cache-control': headers['cache-control'] as string });
    response.end();
    return;
  }
  response.writeHead(200, { ...headers, 'content-length': found.size });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(found.file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(308, { location, 'content-length': 0 });
  response.end();
}

export function createDashboardRoute(options: DashboardRouteOptions): { prefix: '/dashboard'; handle: PlainHandler } {
  const root = path.resolve(options.root);

  async function handle(_state: unknown, context: RequestContext, requestPath: string): Promise<void> {
    const method = context.request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      context.response.setHeader('allow', 'GET, HEAD');
      throw new GatewayError('method_not_allowed', { message: `${method} is not allowed on ${prefix}.` });
    }
    if (requestPath === prefix) {
      const url = context.request.url ?? prefix;
      return redirect(context.response, `${prefix}/${url.slice(prefix.length)}`);
    }
    const relative = safeRelativePath(requestPath);
    if (relative === undefined) throw new GatewayError('not_found', { message: `No dashboard file at ${requestPath}.` });
    const found = relative === '' ? undefined : await findFile(root, relative);
    if (found) return send(context, found);
    // A path with an extension names a file that is missing; anything else is a page of the app.
    if (/\.[a-z0-9]+$/i.test(relative)) throw new GatewayError('not_found', { message: `No dashboard file at ${requestPath}.` });
    const index = await findFile(root, 'index.html');
    if (!index) throw new GatewayError('not_found', { message: 'The dashboard is not built: run `npm run build:web`.' });
    send(context, index);
  }

  return { prefix, handle };
}
