/**
 * Records LEDGER_TEST_COUNT ledger entries into the embedded ledger of the SQLite file
 * LEDGER_TEST_DB, prints `recorded`, and waits to be killed (the commit interval is an
 * hour, so nothing reaches SQLite except through the crash journal).
 */
import { pino } from 'pino';
import { EmbeddedLedger } from '../../src/governance/ledger-sink.js';
import { createStats } from '../../src/governance/stats.js';
import { governanceMigrations } from '../../src/governance/store/schema.js';
import { SqliteAdapter } from '../../src/governance/store/sql-adapter.js';
import { migrateSqlite, openSqlite } from '../../src/storage/sqlite.js';
import { ledgerEntry } from './ledger-fixtures.js';

const sqlite = openSqlite(process.env.LEDGER_TEST_DB!);
migrateSqlite(sqlite, 'governance', governanceMigrations);
const ledger = new EmbeddedLedger(new SqliteAdapter(sqlite), pino({ level: 'silent' }), createStats(), { commitIntervalMs: 3_600_000, batchSize: 1_000_000 });
for (let index = 0; index < Number(process.env.LEDGER_TEST_COUNT); index += 1) ledger.record(ledgerEntry(`crash-${index}`));
process.stdout.write('recorded\n');
setInterval(() => {}, 1000);
