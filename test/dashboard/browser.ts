/**
 * Debian's Chromium, driven by playwright-core, for the dashboard's browser
 * tests. `scripts/ensure-chromium.mjs` installs it. Without it the tests
 * skip with a printed reason, except in CI, where they must run.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.SWITCHYARD_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can (or must, in CI). */
export function browserSkipReason(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const reason = `Chromium is not installed at ${chromiumPath}; run \`node scripts/ensure-chromium.mjs\` (as root) to install it.`;
  if (process.env.CI) return undefined;
  console.warn(`dashboard browser tests skipped: ${reason}`);
  return reason;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'switchyard-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export const screenshotDirectory = path.resolve('test-artifacts', 'dashboard');

/**
 * Empties the screenshot directory of one suite's earlier screenshots (those
 * `mine` claims), leaving the other suites' alone: the suites run in parallel.
 */
export async function resetScreenshots(mine: (name: string) => boolean): Promise<void> {
  await mkdir(screenshotDirectory, { recursive: true });
  for (const name of await readdir(screenshotDirectory)) if (mine(name)) await rm(path.join(screenshotDirectory, name), { force: true });
}
