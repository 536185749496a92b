import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectPostgres, migratePostgres, noDelaySocket } from '../../src/storage/postgres.js';
import { migrateSqlite, openSqlite } from '../../src/storage/sqlite.js';
import { postgresGate } from '../helpers/services.js';

const postgres = postgresGate();

describe('sqlite migrations', () => {
  it('apply each version once, in order', () => {
    const database = openSqlite(':memory:');
    migrateSqlite(database, 'demo', ['CREATE TABLE a (x INTEGER)']);
    migrateSqlite(database, 'demo', ['CREATE TABLE a (x INTEGER)', 'ALTER TABLE a ADD COLUMN y TEXT']);
    database.prepare('INSERT INTO a (x, y) VALUES (1, ?)').run('ok');
    expect(database.prepare('SELECT version FROM schema_migrations WHERE module = ? ORDER BY version').pluck().all('demo')).toEqual([1, 2]);
  });
});

describe.skipIf(postgres.skip)('postgres migrations', () => {
  it('apply once even when two instances start together', async () => {
    const module = `demo_${randomUUID().slice(0, 8)}`;
    const table = `t_${module}`;
    const first = connectPostgres(postgres.url!);
    const second = connectPostgres(postgres.url!);
    const migrations = [`CREATE TABLE ${table} (x INTEGER)`, `ALTER TABLE ${table} ADD COLUMN y TEXT`];
    try {
      await Promise.all([migratePostgres(first, module, migrations), migratePostgres(second, module, migrations)]);
      const rows = await first`SELECT version FROM schema_migrations WHERE module = ${module} ORDER BY version`;
      expect(rows.map((row) => row.version)).toEqual([1, 2]);
    } finally {
      await first.unsafe(`DROP TABLE IF EXISTS ${table}`);
      await first`DELETE FROM schema_migrations WHERE module = ${module}`;
      await Promise.all([first.end(), second.end()]);
    }
  });
});

describe('the PostgreSQL socket option', () => {
  it('connects one TCP host itself, with Nagle off, and leaves socket paths and several hosts to the client', () => {
    expect(noDelaySocket('postgres://user@db.internal:6543/app').socket).toBeTypeOf('function');
    expect(noDelaySocket('postgres://user@%2Fvar%2Frun%2Fpostgresql/app').socket).toBeUndefined();
    expect(noDelaySocket('postgres://user@/app?host=/var/run/postgresql').socket).toBeUndefined();
    expect(noDelaySocket('postgres://user@one:5432,two:5432/app').socket).toBeUndefined();
    expect(noDelaySocket('not a url').socket).toBeUndefined();
  });

  it('makes a socket to the host and port the client resolved, connecting in the background', async () => {
    const { createServer } = await import('node:net');
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const socket = noDelaySocket(`postgres://user@127.0.0.1:${port}/app`).socket!({ host: ['127.0.0.1'], port: [port] });
    expect(socket.connecting).toBe(true);
    await new Promise((resolve) => socket.once('connect', resolve));
    expect(socket.remotePort).toBe(port);
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});
