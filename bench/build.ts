/** Builds dist/ with `npm run build` when it is missing or older than src/. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUILD_TIMEOUT_MILLISECONDS = 180_000;

function newestModification(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestModification(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Returns a problem, or undefined when dist/cli.js is there and current (or there is nothing to build). */
export function buildIfStale(repositoryRoot: string): string | undefined {
  const entry = join(repositoryRoot, 'src', 'cli.ts');
  const built = join(repositoryRoot, 'dist', 'cli.js');
  if (!existsSync(entry)) return existsSync(built) ? undefined : 'src/cli.ts does not exist yet';
  if (process.env.BENCH_SKIP_BUILD === '1') return undefined;
  if (existsSync(built) && statSync(built).mtimeMs >= newestModification(join(repositoryRoot, 'src'))) return undefined;

  console.error('bench: building dist/ (npm run build)...');
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: BUILD_TIMEOUT_MILLISECONDS,
  });
  if (result.status !== 0) return `npm run build failed (status ${result.status}${result.error ? `, ${result.error.message}` : ''})`;
  return existsSync(built) ? undefined : 'npm run build produced no dist/cli.js';
}
