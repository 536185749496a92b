import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisGate } from '../helpers/services.js';
import { startFaultMock, type FaultMock } from '../mocks/fault-mock.js';

const redis = redisGate();
const root = path.resolve(import.meta.dirname, '../..');

function startInstance(configFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--config', configFile, '--port', '0', '--host', '127.0.0.1'], {
    cwd: root,
    env: { PATH: process.env.PATH, REDIS_URL: redis.url, LOG_LEVEL: 'info', SWITCHYARD_DB: path.join(mkdtempSync(path.join(tmpdir(), 'sy-breaker-db-')), 'switchyard.db') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (data: Buffer): void => {
      output += data.toString();
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`instance exited ${code}: ${output}`)));
  });
}

async function chat(url: string): Promise<{ body: any; headers: Headers }> {
  const response = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }) });
  return { body: await response.json(), headers: response.headers };
}

describe.skipIf(redis.skip)('a circuit breaker shared through Redis', () => {
  let dead: FaultMock;
  let healthy: FaultMock;
  const instances: ChildProcess[] = [];

  beforeAll(async () => {
    [dead, healthy] = await Promise.all([startFaultMock('dead'), startFaultMock('healthy')]);
  });
  afterAll(async () => {
    for (const child of instances) child.kill('SIGKILL');
    await Promise.all([dead.close(), healthy.close()]);
  });

  it('when instance A opens the circuit, instance B skips the target', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sy-breaker-')), 'switchyard.json');
    writeFileSync(
      file,
      JSON.stringify({
        providers: { dead: { type: 'openai', api_key: 'k', base_url: `${dead.url}/v1` }, healthy: { type: 'openai', api_key: 'k', base_url: `${healthy.url}/v1` } },
        routing: { circuit_breaker: { consecutive_failures: 2, cooldown_ms: 60_000 } },
        routes: { smart: { strategy: { mode: 'fallback' }, targets: [{ provider: 'dead', model: 'm' }, { provider: 'healthy', model: 'm' }] } },
      }),
    );
    const [a, b] = await Promise.all([startInstance(file), startInstance(file)]);
    instances.push(a.child, b.child);
    dead.script({ kind: 'status', status: 503 }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });

    // Before: B still tries the dead target (its circuit is closed everywhere).
    expect((await chat(b.url)).headers.get('x-switchyard-fallback-reason')).toBe('targets[0]: upstream_error 503 from dead');
    const deadBefore = dead.requests.length;

    // A sees two consecutive failures and opens the circuit.
    await chat(a.url);
    await chat(a.url);
    expect(dead.requests.length).toBe(deadBefore + 2);

    // B learns of it through Redis and skips the dead target.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await chat(b.url);
    expect(after.body.choices[0].message.content).toBe('served by healthy');
    expect(after.headers.get('x-switchyard-fallback-reason')).toBe('targets[0]: circuit_open from dead');
    expect(dead.requests.length).toBe(deadBefore + 2);
  });
});
