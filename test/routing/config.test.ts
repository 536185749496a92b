import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig, substituteEnv } from '../../src/routing/load-config.js';
import { ModelResolver } from '../../src/routing/resolve-model.js';

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sy-config-')), name);
  writeFileSync(file, text);
  return file;
}

describe('config loading', () => {
  it('reads YAML with ${ENV} secrets, providers and aliases', () => {
    const file = tempFile(
      'switchyard.yaml',
      `providers:
  anthropic:
    api_key: \${ANTHROPIC_KEY}
    base_url: http://127.0.0.1:9999
    headers: { x-team: search }
  fast:
    type: groq
    api_key: \${GROQ_KEY:-fallback-key}
models:
  smart:
    provider: anthropic
    model: claude-sonnet-4-5
    params: { temperature: 0.2, max_tokens: 512 }
`,
    );
    const config = loadConfigFile(file, { ANTHROPIC_KEY: 'sk-ant' });
    expect(config.providers.anthropic).toEqual({ api_key: 'sk-ant', base_url: 'http://127.0.0.1:9999', headers: { 'x-team': 'search' } });
    expect(config.providers.fast!.api_key).toBe('fallback-key');
    expect(config.models.smart).toEqual({ provider: 'anthropic', model: 'claude-sonnet-4-5', params: { temperature: 0.2, max_tokens: 512 } });
  });

  it('reads JSON too', () => {
    const file = tempFile('switchyard.json', JSON.stringify({ providers: { openai: { api_key: 'x' } } }));
    expect(loadConfigFile(file, {}).providers.openai!.api_key).toBe('x');
  });

  it('names the exact path and what was expected', () => {
    expect(() => parseConfig({ providers: { openai: { base_url: 'not a url' } } }, {})).toThrow(/config providers\.openai\.base_url: expected an absolute http\(s\) URL/);
    expect(() => parseConfig({ models: { smart: { provider: 'openai' } } }, {})).toThrow(/config models\.smart\.model: /);
    expect(() => parseConfig({ providers: { openai: { api_kee: 'x' } } }, {})).toThrow(/config providers\.openai: Unrecognized key: "api_kee"/);
    expect(() => parseConfig({ server: { port: 'eighty' } }, {})).toThrow(/config server\.port: Invalid input: expected number/);
  });

  it('a missing environment variable is an error naming it and where it is used', () => {
    expect(() => substituteEnv({ providers: { openai: { api_key: '${NOPE}' } } }, {})).toThrow(new ConfigError('config providers.openai.api_key: environment variable NOPE is not set'));
  });

  it('invalid YAML is reported as such', () => {
    const file = tempFile('bad.yaml', 'providers: [unclosed');
    expect(() => loadConfigFile(file, {})).toThrow(/is not valid YAML/);
  });
});

describe('zero-config resolution', () => {
  const resolver = (env: NodeJS.ProcessEnv) => new ModelResolver(parseConfig({}, env), env);

  it('takes base URLs and keys from the conventional variables', () => {
    const env = { OPENAI_BASE_URL: 'http://o/v1', ANTHROPIC_BASE_URL: 'http://a', GEMINI_BASE_URL: 'http://g', MISTRAL_BASE_URL: 'http://m', COHERE_BASE_URL: 'http://c', GROQ_BASE_URL: 'http://groq', ANTHROPIC_API_KEY: 'ak', CO_API_KEY: 'ck', GROQ_API_KEY: 'gk', GEMINI_API_KEY: 'gm', MISTRAL_API_KEY: 'mk', OPENAI_API_KEY: 'ok' };
    const models = resolver(env);
    expect(models.resolve('openai/gpt-4o', undefined).settings).toMatchObject({ baseURL: 'http://o/v1', apiKey: 'ok', dialect: 'openai' });
    expect(models.resolve('anthropic/claude-sonnet-4-5', undefined).settings).toMatchObject({ baseURL: 'http://a', apiKey: 'ak', dialect: 'anthropic' });
    expect(models.resolve('gemini/gemini-2.5-flash', undefined).settings).toMatchObject({ baseURL: 'http://g', apiKey: 'gm' });
    expect(models.resolve('mistral/mistral-large', undefined).settings).toMatchObject({ baseURL: 'http://m', apiKey: 'mk' });
    expect(models.resolve('cohere/command-a', undefined).settings).toMatchObject({ baseURL: 'http://c', apiKey: 'ck' });
    expect(models.resolve('groq/llama-3.3-70b', undefined).settings).toMatchObject({ baseURL: 'http://groq', apiKey: 'gk', dialect: 'openai' });
    expect(models.resolve('groq/meta/llama-4', undefined).model).toBe('meta/llama-4');
  });

  it("prefers the client's bearer key over the environment", () => {
    const target = resolver({ ANTHROPIC_API_KEY: 'env-key' }).resolve('anthropic/claude', 'client-key');
    expect(target.settings.apiKey).toBe('client-key');
  });

  it('reports a missing key clearly', () => {
    expect(() => resolver({}).resolve('anthropic/claude', undefined)).toThrow(/No API key for provider 'anthropic'/);
  });

  it('local catalog providers need no key', () => {
    expect(resolver({}).resolve('ollama/llama3', undefined).settings.baseURL).toBe('http://localhost:11434/v1');
  });

  it('Azure and Bedrock read their standard variables', () => {
    const env = { AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', AZURE_OPENAI_API_KEY: 'az', OPENAI_API_VERSION: '2025-01-01', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK', AWS_SESSION_TOKEN: 'ST' };
    const models = resolver(env);
    expect(models.resolve('azure/my-deployment', undefined).settings).toMatchObject({ baseURL: 'https://x.openai.azure.com', apiKey: 'az', options: { apiVersion: '2025-01-01' } });
    expect(models.resolve('bedrock/anthropic.claude-3-haiku', undefined).settings).toMatchObject({ baseURL: 'https://bedrock-runtime.eu-west-1.amazonaws.com', options: { region: 'eu-west-1', accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'ST' } });
    const custom = resolver({ ...env, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:4566' });
    expect(custom.resolve('bedrock/m', undefined).settings.baseURL).toBe('http://127.0.0.1:4566');
  });

  it('aliases map to a provider, a model and default params', () => {
    const env = { OPENAI_API_KEY: 'k' };
    const models = new ModelResolver(parseConfig({ models: { fast: { provider: 'openai', model: 'gpt-4o-mini', params: { temperature: 0 } } } }, env), env);
    expect(models.resolve('fast', undefined)).toMatchObject({ model: 'gpt-4o-mini', params: { temperature: 0 }, alias: 'fast' });
  });

  it('a bare model goes to the only provider, else the preferred one (openai unless the inbound API says), else the one of its type', () => {
    const env = { OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' };
    const zero = new ModelResolver(parseConfig({}, env), env);
    expect(zero.resolve('gpt-4o', undefined).settings.name).toBe('openai');
    expect(zero.resolve('claude-sonnet-4-5', undefined, undefined, 'anthropic').settings.name).toBe('anthropic');
    const only = new ModelResolver(parseConfig({ providers: { claude: { type: 'anthropic', api_key: 'k' } } }, env), env);
    expect(only.resolve('gpt-4o', undefined).settings.name).toBe('claude');
    const two = new ModelResolver(parseConfig({ providers: { oa: { type: 'openai', api_key: 'k' }, claude: { type: 'anthropic', api_key: 'k' } } }, env), env);
    expect(two.resolve('gpt-4o', undefined).settings.name).toBe('oa');
    expect(two.resolve('claude-sonnet-4-5', undefined, undefined, 'anthropic').settings.name).toBe('claude');
    const twins = new ModelResolver(parseConfig({ providers: { a1: { type: 'anthropic', api_key: 'k' }, a2: { type: 'anthropic', api_key: 'k' } } }, env), env);
    expect(() => twins.resolve('claude-sonnet-4-5', undefined, undefined, 'anthropic')).toThrow(/not an alias/);
  });
});
