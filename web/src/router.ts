/**
 * A small client-side router over the History API. Paths are relative to the
 * base the app is served under (/dashboard/); the gateway answers every app
 * path with index.html.
 */
import { useEffect, useState } from 'preact/hooks';

const base = import.meta.env.BASE_URL.replace(/\/$/, '');

export interface Location {
  /** The path inside the app, always starting with '/'. */
  path: string;
  search: URLSearchParams;
}

function current(): Location {
  const pathname = window.location.pathname;
  const inside = pathname.startsWith(base) ? pathname.slice(base.length) : pathname;
  return { path: inside === '' ? '/' : inside, search: new URLSearchParams(window.location.search) };
}

const listeners = new Set<() => void>();

export function href(path: string): string {
  return `${base}${path}`;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = href(path);
  if (target === `${window.location.pathname}${window.location.search}`) return;
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  for (const listener of listeners) listener();
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}

export type Page = { name: 'overview' } | { name: 'logs' } | { name: 'log'; id: string } | { name: 'keys' } | { name: 'missing' };

export function matchPage(path: string): Page {
  const trimmed = path.replace(/\/+$/, '') || '/';
  if (trimmed === '/') return { name: 'overview' };
  if (trimmed === '/logs') return { name: 'logs' };
  if (trimmed === '/keys') return { name: 'keys' };
  const log = /^\/logs\/([^/]+)$/.exec(trimmed);
  if (log) return { name: 'log', id: decodeURIComponent(log[1]!) };
  return { name: 'missing' };
}
