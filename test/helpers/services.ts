/**
 * Tests of the multi-instance mode talk to the real Redis and PostgreSQL named by
 * REDIS_URL and DATABASE_URL. In CI (`CI` set) they always run and fail loudly when
 * a server is missing; a developer's plain `npm test` without the variables skips
 * them with a printed reason.
 */
export interface ServiceGate {
  /** The URL to use, when the tests should run. */
  readonly url: string | undefined;
  /** True when the tests should be skipped. */
  readonly skip: boolean;
}

function gate(variable: 'REDIS_URL' | 'DATABASE_URL', name: string): ServiceGate {
  const url = process.env[variable];
  if (url) return { url, skip: false };
  if (process.env.CI) throw new Error(`${variable} is not set, but CI is: the ${name} tests must run in CI. Set ${variable} (see .ci/run).`);
  console.warn(`[skip] ${name} tests skipped: ${variable} is not set (set it to run them, as .ci/run does).`);
  return { url: undefined, skip: true };
}

export const redisGate = (): ServiceGate => gate('REDIS_URL', 'Redis');
export const postgresGate = (): ServiceGate => gate('DATABASE_URL', 'PostgreSQL');
