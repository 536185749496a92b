import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockUpstream } from './mocks/mock-server.js';

const root = path.resolve(import.meta.dirname, '..');

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const database = path.join(mkdtempSync(path.join(tmpdir(), 'sy-cli-db-')), 'switchyard.db');
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env: { PATH: process.env.PATH, LOG_LEVEL: 'info', SWITCHYARD_DB: database, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function waitForListening(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (data: Buffer): void => {
      output += data.toString();
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

let mock: MockUpstream;
beforeAll(async () => {
  // A slow streaming upstream: 10 chunks, 100 ms apart.
  mock = await startMockServer(async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let index = 0; index < 10; index += 1) {
      response.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: `${index}` }, finish_reason: index === 9 ? 'stop' : null }] })}\n\n`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    response.end('data: [DONE]\n\n');
  });
});
afterAll(() => mock.close());

describe('the switchyard command', () => {
  it('--port wins over PORT; /healthz answers', async () => {
    const child = runCli(['--port', '0'], { PORT: '1' });
    const port = await waitForListening(child);
    expect(port).toBeGreaterThan(1);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    child.kill('SIGTERM');
    expect((await exitOf(child)).code).toBe(0);
  });

  it('refuses to start on an invalid config, naming the path', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sy-cli-')), 'switchyard.yaml');
    writeFileSync(file, 'providers:\n  openai:\n    base_url: 12\n');
    const { code, output } = await exitOf(runCli(['--config', file, '--port', '0']));
    expect(code).toBe(1);
    expect(output).toContain('config providers.openai.base_url');
  });

  it('SIGTERM lets an in-flight stream finish, then exits', async () => {
    const child = runCli(['--port', '0'], { OPENAI_BASE_URL: `${mock.url}/v1`, OPENAI_API_KEY: 'k' });
    const port = await waitForListening(child);
    const exited = exitOf(child);
    const body = await new Promise<string>((resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' } }, (incoming) => {
        let text = '';
        incoming.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('"content":"1"') && !child.killed) child.kill('SIGTERM');
        });
        incoming.on('end', () => resolve(text));
        incoming.on('error', reject);
      });
      outgoing.end(JSON.stringify({ model: 'openai/m', messages: [{ role: 'user', content: 'x' }], stream: true }));
    });
    expect(body).toContain('"content":"9"');
    expect(body).toContain('data: [DONE]');
    const { code, output } = await exited;
    expect(code).toBe(0);
    expect(output).toContain('shutting down');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
