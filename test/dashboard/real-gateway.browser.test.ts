/**
 * The dashboard in a real browser against the real composed gateway: the
 * telemetry and governance admin APIs over an embedded SQLite file, a mock
 * OpenAI upstream, and requests made with the official `openai` SDK through
 * a virtual key. Screenshots go to test-artifacts/dashboard/real-*.png.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI, { APIError } from 'openai';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/routing/load-config.js';
import { composeGateway, type ComposedGateway } from '../../src/server/compose.js';
import { startOpenAIMock, openaiError, type OpenAIMock } from '../mocks/openai-mock.js';
import { browserSkipReason, launchBrowser, resetScreenshots, screenshotDirectory, type BrowserSession } from './browser.js';
import { installDashboard, packageRoot } from './build-dashboard.js';

const adminToken = 'admin-test';
const skipReason = browserSkipReason();

interface Made {
  id: string;
  kind: 'plain' | 'streamed' | 'refused' | 'upstream-error';
  status: number;
}

let workspace: string;
let mock: OpenAIMock;
let composed: ComposedGateway;
let gatewayUrl: string;
let browser: BrowserSession;
let page: Page;
let keyId: string;
let keySecret: string;
let revokedKeyId: string;
const made: Made[] = [];
const outsideRequests: string[] = [];
const pageErrors: string[] = [];
const policyViolations: string[] = [];

async function screenshot(name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(screenshotDirectory, `real-${name}.png`), fullPage: true, animations: 'disabled' });
}

async function admin<T = any>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gatewayUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

function sdk(): OpenAI {
  return new OpenAI({ apiKey: keySecret, baseURL: `${gatewayUrl}/v1`, maxRetries: 0, defaultHeaders: { 'x-switchyard-metadata': JSON.stringify({ ticket: 'T-1042' }) } });
}

function idsOf(kind: Made['kind']): string[] {
  return made.filter((request) => request.kind === kind).map((request) => request.id);
}

async function loggedIds(query = ''): Promise<string[]> {
  const page = await admin<{ data: { id: string }[] }>('GET', `/admin/logs?limit=100${query}`);
  return page.body.data.map((row) => row.id);
}

async function tableIds(): Promise<string[]> {
  return page.locator('[data-testid=log-table] tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-log-id') ?? ''));
}

/** Per chart: pixels drawn at all (axes and grid included), and in colour (the series: axes and grid are grey). */
async function paintedPixels(): Promise<{ drawn: number; coloured: number }[]> {
  return page.locator('[data-testid=chart] canvas').evaluateAll((canvases) =>
    canvases.map((canvas) => {
      const element = canvas as HTMLCanvasElement;
      const pixels = element.getContext('2d')!.getImageData(0, 0, element.width, element.height).data;
      let drawn = 0;
      let coloured = 0;
      for (let index = 0; index < pixels.length; index += 4) {
        if (pixels[index + 3]! === 0) continue;
        drawn += 1;
        const [red, green, blue] = [pixels[index]!, pixels[index + 1]!, pixels[index + 2]!];
        if (Math.max(red, green, blue) - Math.min(red, green, blue) > 60) coloured += 1;
      }
      return { drawn, coloured };
    }),
  );
}

function chartsShowData(charts: { drawn: number; coloured: number }[]): boolean {
  return charts.length === 4 && charts.every(({ drawn, coloured }) => drawn > 500 && coloured > 20);
}

describe.skipIf(skipReason !== undefined)('dashboard in a browser, against the real composed gateway', () => {
  beforeAll(async () => {
    await resetScreenshots((name) => name.startsWith('real-'));
    // composeGateway serves the dashboard from dist/web (gitignored), so this build goes there.
    await installDashboard(path.join(packageRoot, 'dist', 'web'));
    workspace = await mkdtemp(path.join(tmpdir(), 'switchyard-dashboard-real-'));
    mock = await startOpenAIMock({ apiKey: 'sk-up' });
    const env: NodeJS.ProcessEnv = {
      SWITCHYARD_DB: path.join(workspace, 'gateway.db'),
      SWITCHYARD_ADMIN_TOKEN: adminToken,
      SWITCHYARD_MASTER_KEY: randomBytes(32).toString('base64'),
    };
    const config = parseConfig({ providers: { openai: { api_key: 'sk-up', base_url: `${mock.url}/v1` } }, telemetry: { logging: { spill_dir: path.join(workspace, 'spill') } } }, env);
    composed = await composeGateway(config, env, pino({ level: 'silent' }));
    const address = await composed.gateway.listen(0, '127.0.0.1');
    gatewayUrl = `http://127.0.0.1:${address.port}`;

    const created = await admin('POST', '/admin/keys', {
      name: 'support-assistant',
      team: 'support',
      owner: 'maria@example.com',
      metadata: { environment: 'test' },
      limits: { rpm: 600, tpm: 200_000, max_concurrent: 20 },
      budgets: [{ amount_usd: 25, period: 'monthly', alert_thresholds: [0.8] }],
    });
    expect(created.status).toBe(201);
    keyId = created.body.key.id;
    keySecret = created.body.secret;
    const teamBudget = await admin('POST', '/admin/budgets', { scope: 'team', subject: 'support', amount_usd: 5, period: 'daily' });
    expect(teamBudget.status).toBe(201);
    const legacy = await admin('POST', '/admin/keys', { name: 'legacy-chatbot', team: 'support' });
    revokedKeyId = legacy.body.key.id;
    expect((await admin('POST', `/admin/keys/${revokedKeyId}/revoke`)).status).toBe(200);

    browser = await launchBrowser();
    page = browser.page;
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(gatewayUrl) && !url.startsWith('data:')) outsideRequests.push(url);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) policyViolations.push(message.text());
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await composed?.stop(1000);
    await mock?.close();
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  it('signs in with the admin token, refusing a wrong one', async () => {
    await page.goto(`${gatewayUrl}/dashboard/`);
    await page.getByRole('heading', { name: 'Sign in to the dashboard' }).waitFor();
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That token was not accepted').waitFor();
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText('No requests in the last 24 hours').waitFor();
    await screenshot('overview-empty');
  });

  it('shows requests made with the openai SDK on the live tail as they happen', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    await page.locator('[data-testid=tail-toggle][data-state=live]').waitFor();
    const client = sdk();
    for (const content of ['Invent a holiday.', 'Name a colour.']) {
      const { response } = await client.chat.completions.create({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content }], user: 'user-browser-test' }).withResponse();
      made.push({ id: response.headers.get('x-request-id')!, kind: 'plain', status: response.status });
    }
    const { data: stream, response } = await client.chat.completions.create({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'Stream a haiku.' }], stream: true, stream_options: { include_usage: true } }).withResponse();
    for await (const _chunk of stream) {
      // Read the stream to its end.
    }
    made.push({ id: response.headers.get('x-request-id')!, kind: 'streamed', status: response.status });
    const refused = await client.chat.completions.create({ model: 'nowhere/unknown-model', messages: [{ role: 'user', content: 'Hello?' }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(APIError);
    made.push({ id: (refused as APIError).requestID!, kind: 'refused', status: (refused as APIError).status! });
    mock.next((_request, reply) => openaiError(reply, 400, "This model's maximum context length is 1047576 tokens.", 'context_length_exceeded'));
    const failed = await client.chat.completions.create({ model: 'openai/gpt-4.1-nano', messages: [{ role: 'user', content: 'A very long question.' }] }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(APIError);
    made.push({ id: (failed as APIError).requestID!, kind: 'upstream-error', status: (failed as APIError).status! });
    expect(made.every((request) => typeof request.id === 'string' && request.id.length > 0)).toBe(true);
    expect(made.filter((request) => request.status >= 400).every((request) => request.status < 500)).toBe(true);

    for (const { id } of made) await page.locator(`tr[data-log-id="${id}"]`).waitFor();
    expect((await tableIds()).slice(0, made.length)).toEqual(made.map((request) => request.id).reverse());
    const streamed = await page.locator(`tr[data-log-id="${idsOf('streamed')[0]}"]`).innerText();
    expect(streamed).toContain('gpt-4.1-nano');
    expect(streamed).toContain('support-assistant');
    expect(streamed).toContain('stream');
    expect(streamed).toMatch(/\$0\.000\d+/);
    // An ISO `started_at` from the API reads as a time of day, not "Invalid Date".
    expect(await page.locator(`tr[data-log-id="${idsOf('plain')[0]}"] td`).first().innerText()).toMatch(/^\d{2}:\d{2}:\d{2}/);
    expect(await page.locator(`tr[data-log-id="${idsOf('refused')[0]}"]`).innerText()).toContain(String(made.find((request) => request.kind === 'refused')!.status));
    await screenshot('logs-live');
  });

  it('shows the same requests from the store once the log pipeline has flushed them', async () => {
    await expect.poll(loggedIds, { timeout: 15_000, interval: 200 }).toEqual(expect.arrayContaining(made.map((request) => request.id)));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(async () => (await tableIds()).slice(0, made.length)).toEqual(made.map((request) => request.id).reverse());
    await page.getByText(`${made.length} requests shown`).waitFor();
  });

  it('filters by status and model through the real query API, and says when nothing matches', async () => {
    const failedIds = made.filter((request) => request.status >= 400).map((request) => request.id);
    await page.locator('select[name=status]').selectOption('error');
    await expect.poll(() => page.url()).toContain('status=error');
    await expect.poll(async () => (await tableIds()).sort()).toEqual([...failedIds].sort());
    await screenshot('logs-filtered-status');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(async () => (await tableIds()).length).toBe(made.length);

    // The log's model filter is the served model (or the requested one when nothing served).
    const model = page.locator('input[name=model]');
    await model.fill('gpt-4.1-nano');
    await model.press('Enter');
    await expect.poll(() => page.url()).toContain('model=gpt-4.1-nano');
    await expect.poll(async () => (await tableIds()).sort()).toEqual([...idsOf('plain'), ...idsOf('streamed')].sort());
    await screenshot('logs-filtered-model');
    await page.locator('select[name=status]').selectOption('error');
    await page.getByText('No requests match these filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(async () => (await tableIds()).length).toBe(made.length);

    // The key filter takes the key's id; the suggestions offer it, labelled with the key's name.
    expect(await page.locator(`#suggest-key option[value="${keyId}"]`).getAttribute('label')).toBe('support-assistant');
    expect(await page.locator('#suggest-key option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value))).toContain(keyId);
    const key = page.locator('input[name=key]');
    await key.fill(keyId);
    await key.press('Enter');
    await expect.poll(async () => (await tableIds()).length).toBe(made.length);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.locator('input[name=metadata]').fill('ticket=T-1042');
    await page.locator('input[name=metadata]').press('Enter');
    await expect.poll(async () => (await tableIds()).length).toBe(made.length);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(async () => (await tableIds()).length).toBe(made.length);
  });

  it("opens a request's detail: its attempt, tokens and cost", async () => {
    const plain = idsOf('plain')[0]!;
    await page.locator(`tr[data-log-id="${plain}"]`).click();
    await page.locator('[data-testid=log-detail-page]').waitFor();
    expect(page.url()).toContain(`/dashboard/logs/${plain}`);
    const timeline = await page.locator('[data-testid=attempt-timeline]').innerText();
    expect(timeline).toContain('openai');
    expect(timeline).toContain('gpt-4.1-nano');
    expect(timeline).toContain('200');
    const usage = await page.locator('[data-testid=usage-summary]').innerText();
    expect(usage).toMatch(/\$0\.000\d+/);
    expect(usage).toContain('From the provider’s usage');
    const record = (await admin('GET', `/admin/logs/${plain}`)).body;
    expect(record.prompt_tokens).toBeGreaterThan(0);
    expect(usage).toContain(String(record.completion_tokens));
    const summary = await page.locator('[data-testid=request-summary]').innerText();
    expect(summary).toContain('user-browser-test');
    expect(summary).toContain('support-assistant');
    expect(summary).not.toContain('Invalid Date');
    expect(await page.locator('[data-testid=body-request]').innerText()).toContain('content_chars');
    await screenshot('detail');
  });

  it('shows why a request failed: the upstream error on its attempt, or the gateway refusing it', async () => {
    await page.goto(`${gatewayUrl}/dashboard/logs/${idsOf('upstream-error')[0]}`);
    await page.locator('[data-testid=log-detail-page]').waitFor();
    await page.locator('.timeline-error').getByText("This model's maximum context length is 1047576 tokens.").waitFor();
    expect(await page.locator('[data-testid=attempt-timeline]').innerText()).toContain('400');
    expect(await page.locator('[data-testid=usage-summary]').innerText()).not.toContain('Unpriced');
    await screenshot('detail-upstream-error');
    const refused = made.find((request) => request.kind === 'refused')!;
    const record = (await admin('GET', `/admin/logs/${refused.id}`)).body;
    await page.goto(`${gatewayUrl}/dashboard/logs/${refused.id}`);
    await page.locator('[data-testid=log-detail-page]').waitFor();
    await page.getByText('No upstream attempts').waitFor();
    const summary = await page.locator('[data-testid=request-summary]').innerText();
    expect(summary).toContain(record.error_code);
    expect(summary).toContain(record.error_message);
    await screenshot('detail-refused');
  });

  it('draws the overview charts from the real analytics, and breaks them down by model and key', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.locator('[data-testid=chart] canvas').nth(3).waitFor();
    await expect.poll(async () => chartsShowData(await paintedPixels())).toBe(true);
    const stats = await page.locator('.grid-stats').innerText();
    expect(stats).toContain(String(made.length));
    await expect.poll(() => page.locator('[data-testid=breakdown-table]').innerText()).toContain('gpt-4.1-nano');
    await screenshot('overview');
    await page.getByRole('group', { name: 'Group by' }).getByRole('button', { name: 'Key' }).click();
    await expect.poll(() => page.locator('[data-testid=breakdown-table]').innerText()).toContain('support-assistant');
    expect(await page.locator('[data-testid=breakdown-table] tbody td').first().getAttribute('title')).toBe(keyId);
    await screenshot('overview-by-key');
    await page.getByRole('group', { name: 'Group by' }).getByRole('button', { name: 'Team' }).click();
    await expect.poll(() => page.locator('[data-testid=breakdown-table]').innerText()).toContain('support');
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: 'Last hour' }).click();
    await page.locator('[data-testid=chart] canvas').nth(3).waitFor();
    await expect.poll(async () => chartsShowData(await paintedPixels())).toBe(true);
    await screenshot('overview-last-hour');
  });

  it('lists the keys with their team, limits, budgets and spend so far', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Keys' }).click();
    await expect.poll(() => page.locator('[data-testid=key-card]').count()).toBe(2);
    const card = page.locator(`[data-key-id="${keyId}"]`);
    const text = await card.innerText();
    expect(text).toContain('support-assistant');
    expect(text).toContain('maria@example.com');
    expect(text).toContain('600');
    expect(text).toMatch(/Team\s+support/);
    const [keyBudget] = (await admin('GET', `/admin/budgets?scope=key&subject=${keyId}`)).body.data;
    const status = (await admin('GET', `/admin/budgets/${keyBudget.id}/status`)).body;
    expect(status.spent_usd).toBeGreaterThan(0);
    const budgets = card.locator('[data-testid=budget]');
    await expect.poll(() => budgets.count()).toBe(2);
    expect(await budgets.nth(0).innerText()).toMatch(/Monthly[\s\S]*key budget[\s\S]*\$0\.000\d+ of \$25\.00/);
    expect(await budgets.nth(1).innerText()).toMatch(/Daily[\s\S]*team budget[\s\S]*of \$5\.00/);
    expect(await page.locator(`[data-key-id="${revokedKeyId}"]`).innerText()).toContain('revoked');
    await screenshot('keys');
  });

  it('made no requests outside the gateway and raised no page errors', () => {
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(policyViolations).toEqual([]);
  });
});
