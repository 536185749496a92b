/** The embedded ledger's group commits and its crash journal, including a real `kill -9`. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppendLog } from '../../src/governance/append-log.js';
import { GroupWriter } from '../../src/governance/group-writer.js';
import { EmbeddedLedger } from '../../src/governance/ledger-sink.js';
import { createStats } from '../../src/governance/stats.js';
import { governanceMigrations } from '../../src/governance/store/schema.js';
import { SqliteAdapter } from '../../src/governance/store/sql-adapter.js';
import { migrateSqlite, openSqlite, type SqliteDatabase } from '../../src/storage/sqlite.js';
import { ledgerEntry } from './ledger-fixtures.js';

const root = path.resolve(import.meta.dirname, '../..');
const silent = pino({ level: 'silent' });
const directories: string[] = [];
const databases: SqliteDatabase[] = [];

function tempDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'sy-ledger-'));
  directories.push(directory);
  return directory;
}

function governanceDatabase(file: string): SqliteDatabase {
  const sqlite = openSqlite(file);
  migrateSqlite(sqlite, 'governance', governanceMigrations);
  databases.push(sqlite);
  return sqlite;
}

const count = (sqlite: SqliteDatabase): number => sqlite.prepare('SELECT COUNT(*) FROM gov_ledger').pluck().get() as number;

afterEach(() => {
  vi.useRealTimers();
  for (const database of databases.splice(0)) if (database.open) database.close();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('GroupWriter', () => {
  function writerOver(sqlite: SqliteDatabase, options: { intervalMs?: number; batchSize?: number } = {}) {
    sqlite.exec('CREATE TABLE t (v INTEGER NOT NULL CHECK (v >= 0))');
    const written: number[][] = [];
    const lost: number[] = [];
    const writer = new GroupWriter<number>({
      sqlite: new SqliteAdapter(sqlite),
      intervalMs: options.intervalMs ?? 20,
      batchSize: options.batchSize ?? 100,
      writeRow: (value) => sqlite.prepare('INSERT INTO t (v) VALUES (?)').run(value),
      onWritten: (rows) => written.push([...rows]),
      onLost: (row) => lost.push(row),
    });
    return { writer, written, lost };
  }

  it('writes the rows queued within the interval as one group, not before', () => {
    vi.useFakeTimers();
    const sqlite = governanceDatabase(':memory:');
    const { writer, written } = writerOver(sqlite, { intervalMs: 20 });
    writer.push(1);
    writer.push(2);
    vi.advanceTimersByTime(19);
    expect(written).toEqual([]);
    expect(writer.size).toBe(2);
    vi.advanceTimersByTime(1);
    expect(written).toEqual([[1, 2]]);
    expect(sqlite.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([1, 2]);
  });

  it('writes at once when the batch is full', () => {
    vi.useFakeTimers();
    const sqlite = governanceDatabase(':memory:');
    const { writer, written } = writerOver(sqlite, { batchSize: 3 });
    for (const value of [1, 2, 3, 4]) writer.push(value);
    expect(written).toEqual([[1, 2, 3]]);
    expect(writer.size).toBe(1);
  });

  it('a bad row loses only itself, and is reported', () => {
    const sqlite = governanceDatabase(':memory:');
    const { writer, written, lost } = writerOver(sqlite);
    for (const value of [1, -1, 2]) writer.push(value);
    writer.writeNow();
    expect(lost).toEqual([-1]);
    expect(written).toEqual([[1, 2]]);
    expect(sqlite.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([1, 2]);
  });
});

describe('AppendLog', () => {
  const noError = (error: unknown): never => {
    throw error;
  };

  it('replays the files of dead processes and its own pid, skips a live one, and reports torn lines', () => {
    const directory = tempDirectory();
    const databaseFile = path.join(directory, 'gw.db');
    writeFileSync(`${databaseFile}-ledger-111.jsonl`, '{"n":1}\n{"n":2}\n{"n":');
    writeFileSync(`${databaseFile}-ledger-222.jsonl`, '{"n":3}\n');
    writeFileSync(`${databaseFile}-ledger-333.jsonl`, '{"n":4}\n');
    writeFileSync(`${databaseFile}-journal-111.jsonl`, '{"n":5}\n');
    const replayed: unknown[][] = [];
    const unreadable: string[] = [];
    const log = AppendLog.open(
      { databaseFile, name: 'ledger', onAppendError: noError, pid: 333, isAlive: (pid) => pid === 222 || pid === 333 },
      (lines) => replayed.push(lines),
      (line) => unreadable.push(line),
    );
    expect(replayed).toEqual([[{ n: 1 }, { n: 2 }], [{ n: 4 }]]);
    expect(unreadable).toEqual(['{"n":']);
    // The live process's file and the other ledger's file stay.
    expect(readdirSync(directory).sort()).toEqual(['gw.db-journal-111.jsonl', 'gw.db-ledger-222.jsonl', 'gw.db-ledger-333.jsonl']);
    log.append({ n: 6 });
    log.append({ n: 7 });
    expect(readFileSync(`${databaseFile}-ledger-333.jsonl`, 'utf8')).toBe('{"n":6}\n{"n":7}\n');
    log.clear();
    expect(readFileSync(`${databaseFile}-ledger-333.jsonl`, 'utf8')).toBe('');
    log.append({ n: 8 });
    expect(readFileSync(`${databaseFile}-ledger-333.jsonl`, 'utf8')).toBe('{"n":8}\n');
    log.close();
    expect(existsSync(`${databaseFile}-ledger-333.jsonl`)).toBe(false);
  });
});

describe('EmbeddedLedger', () => {
  it('queues entries, writes them in one group, and empties its crash journal', async () => {
    const directory = tempDirectory();
    const file = path.join(directory, 'gw.db');
    const sqlite = governanceDatabase(file);
    const stats = createStats();
    const ledger = new EmbeddedLedger(new SqliteAdapter(sqlite), silent, stats, { commitIntervalMs: 60_000, batchSize: 500 });
    ledger.record(ledgerEntry('a'));
    ledger.record(ledgerEntry('b'));
    const journal = `${file}-ledger-${process.pid}.jsonl`;
    expect(readFileSync(journal, 'utf8').trim().split('\n').map((line) => JSON.parse(line).id)).toEqual(['a', 'b']);
    expect(count(sqlite)).toBe(0);
    expect(ledger.pending()).toBe(2);
    await ledger.flush();
    expect(count(sqlite)).toBe(2);
    expect(stats.ledgerWritten).toBe(2);
    expect(readFileSync(journal, 'utf8')).toBe('');
    await ledger.stop();
    expect(existsSync(journal)).toBe(false);
  });

  it('kill -9 before the group commits: a restart writes every recorded entry, once', async () => {
    const directory = tempDirectory();
    const file = path.join(directory, 'gw.db');
    governanceDatabase(file).close();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/governance/ledger-crash-child.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, LEDGER_TEST_DB: file, LEDGER_TEST_COUNT: '250' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await vi.waitFor(() => expect(output).toContain('recorded'), { timeout: 20_000, interval: 50 });
    child.kill('SIGKILL');
    await once(child, 'exit');

    const sqlite = governanceDatabase(file);
    expect(count(sqlite)).toBe(0);
    const stats = createStats();
    const ledger = new EmbeddedLedger(new SqliteAdapter(sqlite), silent, stats, { commitIntervalMs: 20, batchSize: 500 });
    expect(count(sqlite)).toBe(250);
    expect(sqlite.prepare("SELECT COUNT(DISTINCT id) FROM gov_ledger WHERE id LIKE 'crash-%'").pluck().get()).toBe(250);
    expect(readdirSync(directory).filter((name) => name.includes(`-ledger-${child.pid}`))).toEqual([]);
    await ledger.stop();
    // A second replay of written entries (a crash between a group's commit and the journal's clear) changes nothing.
    writeFileSync(`${file}-ledger-${process.pid}.jsonl`, `${JSON.stringify(ledgerEntry('crash-0'))}\n${JSON.stringify(ledgerEntry('crash-1'))}\n`);
    const again = new EmbeddedLedger(new SqliteAdapter(sqlite), silent, createStats(), { commitIntervalMs: 20, batchSize: 500 });
    expect(count(sqlite)).toBe(250);
    await again.stop();
  }, 30_000);
});

describe('gov_ledger indexes', () => {
  it('skip requests without a subject, and still serve a query for one', () => {
    const sqlite = governanceDatabase(':memory:');
    for (const [column, index] of [['key_id', 'gov_ledger_key'], ['team_id', 'gov_ledger_team'], ['user_id', 'gov_ledger_user']] as const) {
      const plan = sqlite.prepare(`EXPLAIN QUERY PLAN SELECT COALESCE(SUM(cost_nano), 0) FROM gov_ledger WHERE ${column} = ? AND at >= ?`).all('x', 0) as { detail: string }[];
      expect(plan.map((step) => step.detail).join(' ')).toContain(index);
      const definition = sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(index);
      expect(definition).toContain(`WHERE ${column} IS NOT NULL`);
    }
  });
});
