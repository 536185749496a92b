/**
 * Builds the dashboard for a test run, with the same vite config as
 * `npm run build:web`, into a fresh temporary directory. Runs vite in its
 * own process, in production mode, so the test runner's environment does
 * not leak in.
 */
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function buildDashboard(): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'switchyard-dashboard-'));
  const vite = path.join(packageRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: packageRoot,
    env: { ...process.env, NODE_ENV: 'production' },
    timeout: 120_000,
  });
  return outDir;
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/**
 * Builds the dashboard and installs it in `target` (dist/web, where the
 * composed gateway serves it from) without emptying it first: other suites
 * may be serving it meanwhile. New files go in first, index.html is swapped
 * in by a rename, and only then are the previous build's leftovers removed.
 */
export async function installDashboard(target: string): Promise<void> {
  const built = await buildDashboard();
  try {
    await mkdir(target, { recursive: true });
    const previous = await filesUnder(target);
    await cp(built, target, { recursive: true, force: true, filter: (source) => source !== path.join(built, 'index.html') });
    const staged = path.join(target, '.index.html.next');
    await copyFile(path.join(built, 'index.html'), staged);
    await rename(staged, path.join(target, 'index.html'));
    const current = new Set(await filesUnder(built));
    for (const file of previous) if (!current.has(file)) await rm(path.join(target, file), { force: true });
  } finally {
    await rm(built, { recursive: true, force: true });
  }
}
