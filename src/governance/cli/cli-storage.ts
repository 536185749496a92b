/**
 * The CLI works on the same storage as the gateway: PostgreSQL when
 * `--database postgres://…` or DATABASE_URL is given, else the SQLite file
 * (`--database FILE`, SWITCHYARD_DB, or the default). With REDIS_URL set,
 * changes are announced to running instances at once.
 */
import { connectPostgres } from '../../storage/postgres.js';
import { openSqlite } from '../../storage/sqlite.js';
import { publishOnce } from '../change-bus.js';
import { cipherFromEnv } from '../credential-cipher.js';
import { GovernanceService } from '../governance-service.js';
import { GovernanceStore } from '../store/governance-store.js';

export interface CliStorageOptions {
  readonly database?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly defaultSqlitePath: string;
  readonly timeZone: string;
  readonly redisPrefix: string;
  readonly clock?: () => number;
}

export interface CliStorage {
  readonly service: GovernanceService;
  readonly where: string;
  close(): Promise<void>;
}

function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//.test(value);
}

export async function openCliStorage(options: CliStorageOptions): Promise<CliStorage> {
  const target = options.database ?? options.env.DATABASE_URL ?? options.env.SWITCHYARD_DB ?? options.defaultSqlitePath;
  const { cipher, problem } = cipherFromEnv(options.env);
  const redisUrl = options.env.REDIS_URL;
  const notify = redisUrl
    ? async (notice: { revokedKeyHash?: string }): Promise<void> => {
        await publishOnce(redisUrl, options.redisPrefix, notice).catch(() => undefined);
      }
    : undefined;
  if (isPostgresUrl(target)) {
    const sql = connectPostgres(target, { max: 2 });
    const store = GovernanceStore.postgres(sql);
    try {
      await store.migrate();
    } catch (error) {
      await sql.end({ timeout: 1 });
      throw error;
    }
    return {
      service: new GovernanceService({ store, cipher, cipherProblem: problem, timeZone: options.timeZone, clock: options.clock, notify }),
      where: target.replace(/\/\/[^@/]*@/, '//***@'),
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const database = openSqlite(target);
  const store = GovernanceStore.sqlite(database);
  await store.migrate();
  return {
    service: new GovernanceService({ store, cipher, cipherProblem: problem, timeZone: options.timeZone, clock: options.clock, notify }),
    where: target,
    close: async () => {
      database.close();
    },
  };
}
