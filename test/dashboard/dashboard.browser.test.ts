/**
 * The dashboard in a real browser (Debian's Chromium via playwright-core),
 * served by an in-process gateway, reading a fake admin API that records
 * the requests the test makes through the gateway. Screenshots go to
 * test-artifacts/dashboard/.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardRoute } from '../../src/dashboard/dashboard-route.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startOpenAIMock, type OpenAIMock } from '../mocks/openai-mock.js';
import { browserSkipReason, launchBrowser, resetScreenshots, screenshotDirectory, type BrowserSession } from './browser.js';
import { buildDashboard } from './build-dashboard.js';
import { FakeAdmin } from './fake-admin.js';
import { createLogRecorderStage } from './log-recorder-stage.js';

const adminToken = 'admin-secret-token';
const skipReason = browserSkipReason();

let root: string;
let mock: OpenAIMock;
let admin: FakeAdmin;
let gateway: TestGateway;
let browser: BrowserSession;
let page: Page;
const outsideRequests: string[] = [];
const pageErrors: string[] = [];
const policyViolations: string[] = [];
const madeThroughGateway: { id: string; streamed: boolean }[] = [];

async function screenshot(name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(screenshotDirectory, `${name}.png`), fullPage: true, animations: 'disabled' });
}

async function chat(options: { stream: boolean; content: string }): Promise<string> {
  const response = await fetch(`${gateway.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-sy-support', 'content-type': 'application/json', 'x-switchyard-metadata': JSON.stringify({ ticket: 'T-1042' }) },
    body: JSON.stringify({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: options.content }], stream: options.stream, user: 'user-browser-test' }),
  });
  expect(response.status).toBe(200);
  await response.text();
  return response.headers.get('x-request-id')!;
}

async function visibleRowModels(): Promise<string[]> {
  return page.locator('[data-testid=log-table] tbody tr td:nth-child(3)').allInnerTexts();
}

async function applyTextFilter(name: string, value: string): Promise<void> {
  const input = page.locator(`input[name=${name}]`);
  await input.fill(value);
  await input.press('Enter');
}

describe.skipIf(skipReason !== undefined)('dashboard in a browser', () => {
  beforeAll(async () => {
    await resetScreenshots((name) => !name.startsWith('real-'));
    root = await buildDashboard();
    mock = await startOpenAIMock({ apiKey: 'sk-upstream' });
    admin = new FakeAdmin(adminToken);
    gateway = await startGateway({
      config: { providers: { openai: { type: 'openai', api_key: 'sk-upstream', base_url: `${mock.url}/v1` } } },
      stages: [createLogRecorderStage(admin)],
      plainRoutes: [createDashboardRoute({ root }), { prefix: '/admin', handle: admin.handle }],
    });
    browser = await launchBrowser();
    page = browser.page;
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(gateway.url) && !url.startsWith('data:')) outsideRequests.push(url);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) policyViolations.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    admin?.closeStreams();
    await browser?.close();
    await gateway?.close();
    await mock?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('signs in with the admin token, refusing a wrong one, and keeps it for the session', async () => {
    await page.goto(`${gateway.url}/dashboard/`);
    await page.getByRole('heading', { name: 'Sign in to the dashboard' }).waitFor();
    await screenshot('login-light');
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That token was not accepted').waitFor();
    await screenshot('login-refused-light');
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('switchyard.admin-token'))).toBe(adminToken);
    await page.reload();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  });

  it('draws the overview charts with uPlot, and breaks traffic down by model and provider', async () => {
    await page.locator('[data-testid=chart] canvas').nth(3).waitFor();
    const charts = page.locator('[data-testid=chart]');
    expect(await charts.count()).toBe(4);
    const painted = await page.locator('[data-testid=chart] canvas').evaluateAll((canvases) =>
      canvases.map((canvas) => {
        const element = canvas as HTMLCanvasElement;
        const pixels = element.getContext('2d')!.getImageData(0, 0, element.width, element.height).data;
        let drawn = 0;
        for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) drawn += 1;
        return drawn;
      }),
    );
    expect(painted.every((count) => count > 500)).toBe(true);
    await expect.poll(() => page.locator('[data-testid=breakdown-table] tbody tr').count()).toBeGreaterThan(3);
    expect(await page.locator('[data-testid=breakdown-table]').innerText()).toContain('gpt-4.1-mini');
    await screenshot('overview-light');
    const requestsChart = page.locator('[data-testid=chart]').first();
    await requestsChart.locator('.u-over').hover({ position: { x: 300, y: 60 } });
    await expect.poll(() => requestsChart.locator('.u-legend .u-value').first().isVisible()).toBe(true);
    await requestsChart.screenshot({ path: path.join(screenshotDirectory, 'overview-chart-hover-light.png') });
    await page.mouse.move(0, 0);
    await page.getByRole('group', { name: 'Group by' }).getByRole('button', { name: 'Provider' }).click();
    await expect.poll(() => page.locator('[data-testid=breakdown-table]').innerText()).toContain('anthropic');
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: 'Last hour' }).click();
    await page.locator('[data-testid=chart] canvas').first().waitFor();
  });

  it('shows requests made through the gateway on the live tail', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    await page.locator('[data-testid=tail-toggle][data-state=live]').waitFor();
    for (const streamed of [false, true]) {
      const id = await chat({ stream: streamed, content: `Invent a holiday (${streamed ? 'streamed' : 'whole'}).` });
      madeThroughGateway.push({ id, streamed });
    }
    for (const { id } of madeThroughGateway) await page.locator(`tr[data-log-id="${id}"]`).waitFor();
    const newest = page.locator('[data-testid=log-table] tbody tr').first();
    expect(await newest.getAttribute('data-log-id')).toBe(madeThroughGateway[1]!.id);
    expect(await newest.innerText()).toContain('gpt-4.1-nano');
    expect(await newest.innerText()).toContain('support-assistant');
    await screenshot('logs-light');
  });

  it('filters the logs by model, status and metadata, and says when nothing matches', async () => {
    await applyTextFilter('model', 'claude-sonnet-4');
    await expect.poll(() => page.url()).toContain('model=claude-sonnet-4');
    // A row matches on the model asked for or the one that served it (after a fallback).
    await expect.poll(async () => (await visibleRowModels()).every((text) => text.includes('claude-sonnet-4'))).toBe(true);
    await page.locator('select[name=status]').selectOption('success');
    await expect.poll(() => page.locator('[data-testid=log-table] tbody .badge-success').count()).toBeGreaterThan(0);
    await screenshot('logs-filtered-light');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await applyTextFilter('metadata', 'ticket=T-1042');
    await expect.poll(() => page.locator('[data-testid=log-table] tbody tr').count()).toBe(madeThroughGateway.length);
    await applyTextFilter('model', 'no-such-model');
    await page.getByText('No requests match these filters').waitFor();
    await screenshot('logs-empty-light');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.locator(`tr[data-log-id="${madeThroughGateway[0]!.id}"]`).waitFor();
  });

  it("opens a request's detail: attempts, tokens and cost, and the stored bodies", async () => {
    await page.locator(`tr[data-log-id="${madeThroughGateway[0]!.id}"]`).click();
    await page.locator('[data-testid=log-detail-page]').waitFor();
    expect(page.url()).toContain(`/dashboard/logs/${madeThroughGateway[0]!.id}`);
    const timeline = await page.locator('[data-testid=attempt-timeline]').innerText();
    expect(timeline).toContain('openai');
    expect(timeline).toContain('gpt-4.1-nano');
    expect(await page.locator('[data-testid=usage-summary]').innerText()).toMatch(/\$0\.000\d+/);
    expect(await page.locator('[data-testid=body-request]').innerText()).toContain('Invent a holiday (whole).');
    expect(await page.locator('[data-testid=body-response]').innerText()).toContain('chat.completion');
    expect(await page.locator('[data-testid=request-summary]').innerText()).toContain('user-browser-test');
    await screenshot('detail-light');
    const fallback = admin.records.find((record) => record.attempt_count === 2 && record.request_body === null)!;
    await page.goto(`${gateway.url}/dashboard/logs/${fallback.id}`);
    await expect.poll(() => page.locator('[data-testid=attempt-timeline] li').count()).toBe(2);
    await page.locator('.timeline-error').getByText('Overloaded', { exact: true }).waitFor();
    await page.locator('[data-testid=body-request]').getByText('Not stored').waitFor();
    await screenshot('detail-fallback-light');
  });

  it('lists keys with their limits and budgets', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Keys' }).click();
    await expect.poll(() => page.locator('[data-testid=key-card]').count()).toBe(admin.keys.length);
    const support = await page.locator('[data-key-id=key_support]').innerText();
    expect(support).toContain('support-assistant');
    expect(support).toContain('$118.42 of $250.00');
    expect(await page.locator('[data-key-id=key_legacy]').innerText()).toContain('revoked');
    await screenshot('keys-light');
  });

  it('shows a loading state while the admin API answers', async () => {
    admin.delayMs = 1500;
    await page.goto(`${gateway.url}/dashboard/keys`);
    await page.locator('[data-testid=loading-state]').waitFor();
    await screenshot('keys-loading-light');
    admin.delayMs = 0;
    await page.locator('[data-testid=key-card]').first().waitFor();
  });

  it('shows an error state when an endpoint answers 404', async () => {
    admin.missing.add('keys');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText("Keys isn't available on this gateway").waitFor();
    await screenshot('keys-unavailable-light');
    admin.missing.delete('keys');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.locator('[data-testid=key-card]').first().waitFor();
  });

  it('follows the system dark mode, with a toggle that overrides it', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot('keys-dark');
    await page.goto(`${gateway.url}/dashboard/`);
    await page.locator('[data-testid=chart] canvas').nth(3).waitFor();
    await screenshot('overview-dark');
    await page.goto(`${gateway.url}/dashboard/logs`);
    await page.locator(`tr[data-log-id="${madeThroughGateway[0]!.id}"]`).waitFor();
    await screenshot('logs-dark');
    await page.goto(`${gateway.url}/dashboard/logs/${madeThroughGateway[0]!.id}`);
    await page.locator('[data-testid=attempt-timeline]').waitFor();
    await screenshot('detail-dark');
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    await page.getByRole('button', { name: 'Light theme' }).click();
    await expect.poll(theme).toBe('light');
    await page.reload();
    await page.locator('[data-testid=attempt-timeline]').waitFor();
    expect(await theme()).toBe('light');
    await page.getByRole('button', { name: 'Follow the system theme' }).click();
    await expect.poll(theme).toBe('dark');
  });

  it('signs out when the token stops working, and with the button; loads nothing from outside the gateway', async () => {
    await page.evaluate(() => sessionStorage.setItem('switchyard.admin-token', 'a-rotated-token'));
    await page.reload();
    await page.getByText('The admin token is no longer accepted').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('switchyard.admin-token'))).toBeNull();
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-testid=attempt-timeline]').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the dashboard' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('switchyard.admin-token'))).toBeNull();
    await screenshot('login-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(policyViolations).toEqual([]);
  });
});
