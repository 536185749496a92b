/**
 * Turns the `model` a client asked for into a target: a provider's settings,
 * its adapter, the provider's own model id and default params.
 * Aliases from the config come first; otherwise `provider/model`.
 */
import { GatewayError } from '../api/errors.js';
import type { ProviderAdapter, ProviderSettings } from '../providers/contract.js';
import { adapterFor } from '../providers/registry.js';
import type { GatewayConfig } from './config-schema.js';
import type { EffectiveLeaf, RequestFacts } from './route-types.js';
import { buildProviderSettings, keyOptional } from './provider-settings.js';

export interface ResolvedTarget {
  readonly settings: ProviderSettings;
  readonly adapter: ProviderAdapter;
  readonly model: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The alias the client used, if any. */
  readonly alias?: string;
  /** The base URL came from the client: only public addresses may be reached. */
  readonly guarded?: boolean;
}

export class ModelResolver {
  private readonly settingsCache = new Map<string, ProviderSettings | null>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /**
   * `clientKey` is the client's bearer token, used as the provider key when the config gives none. A bare model
   * name (no alias, no `provider/`) goes to the only configured provider; else to `preferred` (default `openai`)
   * when it is configured or nothing is, or to the one configured provider of that type.
   */
  resolve(requested: string, clientKey: string | undefined, providerKeys?: Readonly<Record<string, string>>, preferred = 'openai'): ResolvedTarget {
    const alias = this.config.models[requested];
    if (alias) return this.target(alias.provider, alias.model, alias.params ?? {}, clientKey, requested, false, providerKeys);
    const slash = requested.indexOf('/');
    if (slash > 0) {
      const providerName = requested.slice(0, slash);
      const model = requested.slice(slash + 1);
      if (this.settings(providerName)) return this.target(providerName, model, {}, clientKey, undefined, false, providerKeys);
    }
    const fallback = this.defaultProvider(preferred);
    if (fallback && slash < 0) return this.target(fallback, requested, {}, clientKey, undefined, false, providerKeys);
    if (slash > 0) {
      throw new GatewayError('unknown_provider', { message: `Unknown provider '${requested.slice(0, slash)}' in model '${requested}'. Use a configured provider or a known one (openai, anthropic, gemini, vertex, bedrock, azure, cohere, mistral, groq, ...).`, param: 'model' });
    }
    throw new GatewayError('model_not_found', { message: `The model '${requested}' is not an alias; address it as 'provider/model'.`, param: 'model' });
  }

  /**
   * A route leaf: `provider` + `model` (the model may come from `override_params.model`,
   * as in Portkey's configs, or else from the request), or a model alone (an alias or
   * `provider/model`). The leaf's own key and base URL override the provider's.
   */
  resolveLeaf(leaf: EffectiveLeaf, facts: RequestFacts): ResolvedTarget {
    const overrideModel = typeof leaf.overrideParams.model === 'string' ? leaf.overrideParams.model : undefined;
    const model = overrideModel ?? leaf.model ?? facts.model;
    const clientKey = facts.clientKey;
    let target: ResolvedTarget;
    if (leaf.provider) {
      if (!this.settings(leaf.provider)) throw new GatewayError('unknown_provider', { message: `Unknown provider '${leaf.provider}' in route target ${leaf.path || 'root'}.`, param: 'model' });
      const bare = model.startsWith(`${leaf.provider}/`) ? model.slice(leaf.provider.length + 1) : model;
      target = this.target(leaf.provider, bare, {}, leaf.apiKey ?? clientKey, undefined, leaf.baseURL !== undefined, facts.providerKeys);
    } else {
      target = this.resolve(model, leaf.apiKey ?? clientKey, facts.providerKeys, facts.preferredProvider);
    }
    if (!leaf.apiKey && !leaf.baseURL) return target;
    const settings = { ...target.settings, ...(leaf.apiKey ? { apiKey: leaf.apiKey } : {}), ...(leaf.baseURL ? { baseURL: leaf.baseURL } : {}) };
    return { ...target, settings, guarded: facts.routeFromClient && leaf.baseURL !== undefined };
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

  private defaultProvider(preferred: string): string | undefined {
    const configured = Object.keys(this.config.providers);
    if (configured.length === 1) return configured[0];
    if (configured.length === 0 || this.config.providers[preferred]) return preferred;
    const ofType = configured.filter((name) => this.config.providers[name]?.type === preferred);
    return ofType.length === 1 ? ofType[0] : undefined;
  }

  private target(
    providerName: string,
    model: string,
    params: Record<string, unknown>,
    clientKey: string | undefined,
    alias?: string,
    allowMissingKey = false,
    providerKeys?: Readonly<Record<string, string>>,
  ): ResolvedTarget {
    const base = this.settings(providerName);
    if (!base) throw new GatewayError('unknown_provider', { message: `Unknown provider '${providerName}'.`, param: 'model' });
    const adapter = adapterFor(base.dialect);
    const configuredKey = this.config.providers[providerName]?.api_key;
    const apiKey = providerKeys?.[providerName] || configuredKey || clientKey || base.apiKey;
    if (!apiKey && !allowMissingKey && !keyOptional(providerName, this.config.providers[providerName])) {
      throw new GatewayError('missing_credentials', { message: `No API key for provider '${providerName}': send one as 'Authorization: Bearer', set it in the config, or set the provider's environment variable.`, provider: providerName });
    }
    if (!base.baseURL) {
      throw new GatewayError('missing_credentials', { message: `Provider '${providerName}' has no base URL (for Azure set AZURE_OPENAI_ENDPOINT or base_url).`, provider: providerName });
    }
    const settings = apiKey === base.apiKey ? base : { ...base, apiKey };
    return { settings, adapter, model, params, alias };
  }
}
