/** `switchyard keys|teams|credentials|budgets|usage` on the gateway's own storage. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createGovernance, runKeysCommand } from '../../src/governance/index.js';
import { openSqlite } from '../../src/storage/sqlite.js';
import { startGateway } from '../helpers/gateway.js';
import { startFaultMock } from '../mocks/fault-mock.js';

const directory = mkdtempSync(path.join(tmpdir(), 'sy-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function cli(database: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runKeysCommand([...argv, '--database', database], { stdout: { write: (text: string) => (out += text) }, stderr: { write: (text: string) => (err += text) } }, { env: { SWITCHYARD_MASTER_KEY: 'ab'.repeat(32), PROVIDER_KEY: 'sk-from-env' } });
  return { code, out, err };
}

describe('the keys CLI', () => {
  it('creates, lists and revokes keys with teams, limits and budgets', async () => {
    const file = path.join(directory, 'one.db');
    const created = await cli(file, 'keys', 'create', '--team', 'search', '--budget-usd', '50/month', '--rpm', '600', '--tpm', '200000', '--json');
    expect(created.code).toBe(0);
    const result = JSON.parse(created.out);
    expect(result.secret).toMatch(/^sy-/);
    expect(result.key).toMatchObject({ name: 'search-key', team: 'search', limits: { rpm: 600, tpm: 200000 }, budgets: [{ scope: 'key', amount_usd: 50, period: 'monthly' }] });

    const listed = await cli(file, 'keys', 'list');
    expect(listed.out).toContain(`${result.key.id}  search-key  team=search  active`);
    expect(listed.out).toContain('rpm=600 tpm=200000');
    expect(listed.out).toContain('budgets=50/monthly');

    expect((await cli(file, 'keys', 'revoke', result.key.id)).out).toBe(`revoked key ${result.key.id} (search-key)\n`);
    expect((await cli(file, 'keys', 'list')).out).toBe('no keys\n');
    expect((await cli(file, 'keys', 'list', '--all')).out).toContain('revoked');
  });

  it('stores credentials encrypted, manages budgets and teams, and reports usage', async () => {
    const file = path.join(directory, 'two.db');
    expect((await cli(file, 'credentials', 'add', 'openai-prod', '--provider', 'openai', '--api-key-env', 'PROVIDER_KEY')).out).toBe('stored credential openai-prod for openai (encrypted)\n');
    const database = openSqlite(file);
    expect(JSON.stringify(database.prepare('SELECT * FROM gov_credentials').all())).not.toContain('sk-from-env');
    database.close();
    expect((await cli(file, 'teams', 'create', 'research', '--rpm', '100')).code).toBe(0);
    const budget = await cli(file, 'budgets', 'create', '--scope', 'team', '--subject', 'research', '--budget-usd', '20/week', '--alert', '80%,0.95', '--json');
    const created = JSON.parse(budget.out);
    expect(created).toMatchObject({ scope: 'team', amount_usd: 20, period: 'weekly', alert_thresholds: [0.8, 0.95] });
    expect((await cli(file, 'budgets', 'status', created.id)).out).toMatch(/^bud_\w+: spent 0 of 20 USD \(weekly, since .+\); 20 USD left\n$/);
    expect((await cli(file, 'usage', '--group-by', 'model')).code).toBe(0);
  });

  it('exits 2 on a usage error and 1 on a failed operation', async () => {
    const file = path.join(directory, 'three.db');
    expect((await cli(file, 'keys', 'create', '--budget-usd', '50/fortnight')).code).toBe(2);
    expect((await cli(file, 'keys', 'frobnicate')).code).toBe(2);
    expect((await cli(file, 'nothing')).code).toBe(2);
    const failed = await cli(file, 'keys', 'revoke', 'key_missing');
    expect([failed.code, failed.err]).toEqual([1, "error: No key 'key_missing'.\n"]);
  });

  it('a key revoked from the CLI is refused by a running gateway on the same file within a second', async () => {
    const file = path.join(directory, 'four.db');
    const upstream = await startFaultMock('mock');
    const sqlite = openSqlite(file);
    const governance = await createGovernance({ config: { poll_interval_ms: 100 }, env: {}, sqlite, logger: pino({ level: 'silent' }) });
    const gateway = await startGateway({ config: { providers: { openai: { api_key: 'k', base_url: `${upstream.url}/v1` } } }, stages: [governance.stage] });
    try {
      const key = JSON.parse((await cli(file, 'keys', 'create', '--name', 'cli-key', '--json')).out);
      const request = () => fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
      expect((await request()).status).toBe(200);
      await cli(file, 'keys', 'revoke', key.key.id);
      const started = performance.now();
      let status = 200;
      while (status === 200 && performance.now() - started < 1000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = (await request()).status;
      }
      expect(status).toBe(401);
    } finally {
      await gateway.close();
      await governance.stop();
      await upstream.close();
      sqlite.close();
    }
  });
});
