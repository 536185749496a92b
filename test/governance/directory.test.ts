import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Directory } from '../../src/governance/directory.js';
import { GovernanceService } from '../../src/governance/governance-service.js';
import { hashSecret } from '../../src/governance/key-secret.js';
import { createStats } from '../../src/governance/stats.js';
import { GovernanceStore } from '../../src/governance/store/governance-store.js';
import { openSqlite } from '../../src/storage/sqlite.js';

describe('the in-memory directory', () => {
  it('a key created elsewhere after the last reload comes with its budgets and team', async () => {
    const store = GovernanceStore.sqlite(openSqlite(':memory:'));
    await store.migrate();
    const stats = createStats();
    const directory = new Directory(store, undefined, pino({ level: 'silent' }), stats);
    await directory.reload();
    expect(directory.hasKeys()).toBe(false);
    // Another instance creates a key; this one has not been told yet.
    const elsewhere = new GovernanceService({ store, cipher: undefined, timeZone: 'UTC' });
    const { key, secret } = await elsewhere.createKey({ name: 'new', team: 'search', budgets: [{ amount_usd: 5, period: 'daily', alert_thresholds: [], enabled: true }] });
    const found = await directory.findKey(hashSecret(secret));
    expect(found.key?.id).toBe(key.id);
    expect(directory.budgetsFor('key', key.id).map((budget) => budget.amountNano)).toEqual([5_000_000_000]);
    expect(directory.team(found.key!.teamId)?.name).toBe('search');
    // An unknown secret is remembered as unknown for a moment, without a reload.
    const reloads = stats.reloads;
    expect(await directory.findKey(hashSecret('sy-unknown'))).toEqual({ unavailable: false });
    expect(await directory.findKey(hashSecret('sy-unknown'))).toEqual({ unavailable: false });
    expect(stats.reloads).toBe(reloads);
  });

  it('a reload asked for during a load runs once more after it', async () => {
    const store = GovernanceStore.sqlite(openSqlite(':memory:'));
    await store.migrate();
    const stats = createStats();
    const directory = new Directory(store, undefined, pino({ level: 'silent' }), stats);
    await Promise.all([directory.reload(), directory.reload(), directory.reload()]);
    expect(stats.reloads).toBe(2);
  });
});
