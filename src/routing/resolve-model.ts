/**
 * Turns the `model` a client asked for into a target: a provider's settings,
 * its adapter, the provider's own model id and default params.
 * Aliases from the config come first; otherwise `provider/model`.
 */
import { GatewayError } from '../api/errors.js';
import type { ProviderAdapter, ProviderSettings } from '../providers/contract.js';
import { adapterFor } from '../providers/registry.js';
import type { GatewayConfig } from './config-schema.js';
import { buildProviderSettings, keyOptional } from './provider-settings.js';

export interface ResolvedTarget {
  readonly settings: ProviderSettings;
  readonly adapter: ProviderAdapter;
  readonly model: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The alias the client used, if any. */
  readonly alias?: string;
}

export class ModelResolver {
  private readonly settingsCache = new Map<string, ProviderSettings | null>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** `clientKey` is the client's bearer token, used as the provider key when the config gives none. */
  resolve(requested: string, clientKey: string | undefined): ResolvedTarget {
    const alias = this.config.models[requested];
    if (alias) return this.target(alias.provider, alias.model, alias.params ?? {}, clientKey, requested);
    const slash = requested.indexOf('/');
    if (slash > 0) {
      const providerName = requested.slice(0, slash);
      const model = requested.slice(slash + 1);
      if (this.settings(providerName)) return this.target(providerName, model, {}, clientKey);
    }
    const fallback = this.defaultProvider();
    if (fallback && slash < 0) return this.target(fallback, requested, {}, clientKey);
    if (slash > 0) {
      throw new GatewayError('unknown_provider', { message: `Unknown provider '${requested.slice(0, slash)}' in model '${requested}'. Use a configured provider or a known one (openai, anthropic, gemini, vertex, bedrock, azure, cohere, mistral, groq, ...).`, param: 'model' });
    }
    throw new GatewayError('model_not_found', { message: `The model '${requested}' is not an alias; address it as 'provider/model'.`, param: 'model' });
  }

  /** The configured provider names, for /v1/models. */
  providerNames(): string[] {
    return Object.keys(this.config.providers);
  }

  settings(name: string): ProviderSettings | undefined {
    let cached = this.settingsCache.get(name);
    if (cached === undefined) {
      cached = buildProviderSettings(name, this.config.providers[name], this.env) ?? null;
      this.settingsCache.set(name, cached);
    }
    return cached ?? undefined;
  }

  private defaultProvider(): string | undefined {
    const configured = Object.keys(this.config.providers);
    if (configured.length === 1) return configured[0];
    return configured.length === 0 || this.config.providers.openai ? 'openai' : undefined;
  }

  private target(providerName: string, model: string, params: Record<string, unknown>, clientKey: string | undefined, alias?: string): ResolvedTarget {
    const base = this.settings(providerName);
    if (!base) throw new GatewayError('unknown_provider', { message: `Unknown provider '${providerName}'.`, param: 'model' });
    const adapter = adapterFor(base.dialect);
    if (!adapter) throw new GatewayError('unknown_provider', { message: `The ${base.dialect} dialect is not available in this build.`, param: 'model' });
    const configuredKey = this.config.providers[providerName]?.api_key;
    const apiKey = configuredKey || clientKey || base.apiKey;
    if (!apiKey && !keyOptional(providerName, this.config.providers[providerName])) {
      throw new GatewayError('missing_credentials', { message: `No API key for provider '${providerName}': send one as 'Authorization: Bearer', set it in the config, or set the provider's environment variable.`, provider: providerName });
    }
    if (!base.baseURL) {
      throw new GatewayError('missing_credentials', { message: `Provider '${providerName}' has no base URL (for Azure set AZURE_OPENAI_ENDPOINT or base_url).`, provider: providerName });
    }
    const settings = apiKey === base.apiKey ? base : { ...base, apiKey };
    return { settings, adapter, model, params, alias };
  }
}
