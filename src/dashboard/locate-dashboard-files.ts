/**
 * Where the built dashboard is: dist/web beside the compiled gateway
 * (dist/dashboard → dist/web), or dist/web at the package root when the
 * gateway runs from its sources.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export function locateDashboardFiles(): string {
  const candidates = [fileURLToPath(new URL('../web', import.meta.url)), fileURLToPath(new URL('../../dist/web', import.meta.url))];
  return candidates.find((candidate) => existsSync(path.join(candidate, 'index.html'))) ?? candidates[0]!;
}
