/**
 * The Redis and PostgreSQL servers that the shared-mode rows use, and how a row gets a
 * PostgreSQL schema of its own so that runs never meet each other's tables or rows.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import postgres from 'postgres';

export type ServiceName = 'redis' | 'postgres';

export const serviceUrls: Record<ServiceName, string> = {
  redis: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
  postgres: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
};

const DEFAULT_PORTS: Record<ServiceName, number> = { redis: 6379, postgres: 5432 };
const CONNECT_TIMEOUT_MILLISECONDS = 2_000;

/** Why the service cannot be used, or undefined when its port accepts a connection. */
export async function unreachableReason(service: ServiceName): Promise<string | undefined> {
  const url = new URL(serviceUrls[service]);
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port) || DEFAULT_PORTS[service];
  const variable = service === 'redis' ? 'BENCH_REDIS_URL' : 'BENCH_DATABASE_URL';
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reason: string | undefined): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MILLISECONDS, () => done(`${service} did not answer at ${host}:${port} (set ${variable})`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error) => done(`${service} cannot be reached at ${host}:${port}: ${error.message} (set ${variable})`));
  });
}

/** A short random suffix for names that must not collide between runs (schemas, prefixes, key names). */
export function uniqueSuffix(): string {
  return `${process.pid}_${randomBytes(4).toString('hex')}`;
}

export interface IsolatedSchema {
  /** BENCH_DATABASE_URL with `search_path` set to the new schema (postgres.js passes it on at connection). */
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty schema in BENCH_DATABASE_URL's database. The gateway, given the
 * returned URL, creates its tables (keys, ledger, request log partitions) there; `drop()`
 * removes them all. A run that is killed leaves one uniquely named schema behind, which no
 * later run uses.
 */
export async function createIsolatedSchema(): Promise<IsolatedSchema> {
  const schema = `switchyard_bench_${uniqueSuffix()}`;
  const admin = postgres(serviceUrls.postgres, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  const url = new URL(serviceUrls.postgres);
  url.searchParams.set('search_path', schema);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const cleaner = postgres(serviceUrls.postgres, { max: 1, onnotice: () => {}, connect_timeout: 5 });
      try {
        await cleaner.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await cleaner.end({ timeout: 1 });
      }
    },
  };
}
