import { describe, expect, it } from 'vitest';
import { openaiCompatibleCatalog } from '../../src/providers/catalog.js';
import { loadPriceTable, readPriceFile } from '../../src/usage/price-table.js';

const at = Date.parse('2025-09-20T12:00:00Z');
const table = loadPriceTable();

describe('the price table', () => {
  it('parses, and names a provider of every catalog row and native dialect', () => {
    const file = readPriceFile();
    const providers = new Set(Object.keys(file.models).map((key) => key.split('/')[0]));
    const local = new Set(file.free_providers);
    const routed = new Set([...file.routers, ...Object.keys(file.provider_fallbacks)]);
    for (const row of openaiCompatibleCatalog) expect(providers.has(row.id) || local.has(row.id) || routed.has(row.id), row.id).toBe(true);
    for (const dialect of ['openai', 'azure', 'anthropic', 'gemini', 'vertex', 'bedrock', 'cohere', 'mistral']) expect(providers.has(dialect) || routed.has(dialect), dialect).toBe(true);
  });

  it('picks the price in force on the request day', () => {
    expect(table.lookup({ provider: 'openai', model: 'o3', at: Date.parse('2025-05-01T00:00:00Z') })!.price.input).toBe(10);
    expect(table.lookup({ provider: 'openai', model: 'o3', at: Date.parse('2025-06-10T00:00:00Z') })!.price.input).toBe(2);
    expect(table.lookup({ provider: 'deepseek', model: 'deepseek-chat', at: Date.parse('2025-09-04T23:59:59Z') })!.price.output).toBe(1.1);
    expect(table.lookup({ provider: 'deepseek', model: 'deepseek-chat', at: Date.parse('2025-09-05T00:00:00Z') })!.price.output).toBe(1.68);
  });

  it('matches dated ids by the longest listed prefix, at a separator', () => {
    expect(table.lookup({ provider: 'openai', model: 'gpt-4o-mini-2024-07-18', at })!.source).toBe('openai/gpt-4o-mini');
    expect(table.lookup({ provider: 'openai', model: 'gpt-4o-2024-08-06', at })!.source).toBe('openai/gpt-4o');
    expect(table.lookup({ provider: 'openai', model: 'gpt-4o-2024-05-13', at })!.price.input).toBe(5);
    expect(table.lookup({ provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', at })!.source).toBe('anthropic/claude-sonnet-4-5');
    expect(table.lookup({ provider: 'openai', model: 'gpt-4ox', at })).toBeUndefined();
  });

  it('follows fallbacks, routers, region prefixes, configured names and self-hosted providers', () => {
    expect(table.lookup({ provider: 'azure', model: 'gpt-4o', at })!.source).toBe('openai/gpt-4o');
    expect(table.lookup({ provider: 'vertex', model: 'claude-3-5-sonnet-v2@20241022', at })!.source).toBe('anthropic/claude-3-5-sonnet');
    expect(table.lookup({ provider: 'vertex', model: 'gemini-2.5-flash', at })!.source).toBe('gemini/gemini-2.5-flash');
    expect(table.lookup({ provider: 'openrouter', model: 'anthropic/claude-3-5-haiku', at })!.source).toBe('anthropic/claude-3-5-haiku');
    expect(table.lookup({ provider: 'bedrock', model: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0', at })!.source).toBe('bedrock/anthropic.claude-3-7-sonnet');
    expect(table.lookup({ provider: 'my-openai', providerType: 'openai', model: 'gpt-4.1', at })!.source).toBe('openai/gpt-4.1');
    expect(table.lookup({ provider: 'ollama', model: 'llama3.2', at })!.price).toMatchObject({ input: 0, output: 0 });
    expect(table.lookup({ provider: 'groq', model: 'no-such-model', at })).toBeUndefined();
  });

  it('takes the config overrides first, under the configured name or the type', () => {
    const custom = loadPriceTable({ 'my-openai/gpt-4o': { input: 1, output: 2 }, 'local/llama': { input: 0.5, output: 0.5 } });
    expect(custom.lookup({ provider: 'my-openai', providerType: 'openai', model: 'gpt-4o', at })).toMatchObject({ source: 'override:my-openai/gpt-4o', price: { input: 1, output: 2 } });
    expect(custom.lookup({ provider: 'local', model: 'llama-3-8b', at })!.source).toBe('override:local/llama');
    expect(custom.lookup({ provider: 'openai', model: 'gpt-4o', at })!.source).toBe('openai/gpt-4o');
  });
});
