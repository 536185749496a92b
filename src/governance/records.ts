/**
 * What governance stores: virtual keys, teams, provider credentials, budgets
 * and the spend ledger, with the admin API's input shapes. Times are epoch ms;
 * money in the ledger is integer nano-USD.
 */
import { z } from 'zod';
import { limitsSchema } from './config-schema.js';

export const budgetPeriodSchema = z.enum(['daily', 'weekly', 'monthly', 'lifetime']);
export type BudgetPeriod = z.infer<typeof budgetPeriodSchema>;

export const budgetScopeSchema = z.enum(['key', 'team', 'user']);
export type BudgetScope = z.infer<typeof budgetScopeSchema>;

const metadataSchema = z.record(z.string(), z.string());
const thresholdsSchema = z.array(z.number().gt(0).max(1)).max(10);
const patternListSchema = z.array(z.string().min(1)).max(1000);

export interface KeyRecord {
  readonly id: string;
  readonly name: string;
  readonly keyHash: string;
  /** The first characters of the secret, to recognise it in lists. */
  readonly keyPrefix: string;
  readonly teamId: string | null;
  readonly owner: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly expiresAt: number | null;
  readonly enabled: boolean;
  readonly revokedAt: number | null;
  /** Model patterns (`*` wildcards) the key may reach; null for any. */
  readonly allowedModels: readonly string[] | null;
  /** Route or saved-config names the key may use; null for any. */
  readonly allowedRoutes: readonly string[] | null;
  readonly defaultRoute: string | null;
  readonly defaultConfig: string | null;
  readonly limits: z.infer<typeof limitsSchema>;
  /** Limits per requested model pattern, for this key alone. */
  readonly modelLimits: Readonly<Record<string, z.infer<typeof limitsSchema>>>;
  /** Names of provider credentials the key's requests use. */
  readonly credentials: readonly string[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TeamRecord {
  readonly id: string;
  readonly name: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly limits: z.infer<typeof limitsSchema>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface CredentialRecord {
  readonly name: string;
  /** The provider name it is used for (as in `provider/model`). */
  readonly provider: string;
  /** AES-256-GCM: base64 of iv (12) + tag (16) + ciphertext. */
  readonly ciphertext: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface BudgetRecord {
  readonly id: string;
  readonly scope: BudgetScope;
  /** A key id, a team id, an end-user id, or `*` (each end user separately). */
  readonly subject: string;
  readonly amountNano: number;
  readonly period: BudgetPeriod;
  /** Fractions of the amount at which an alert fires, once per period. */
  readonly alertThresholds: readonly number[];
  readonly enabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface LedgerEntry {
  /** Unique per request (the reservation id), so a replayed write is a no-op. */
  readonly id: string;
  readonly requestId: string;
  readonly at: number;
  readonly kind: 'chat' | 'embeddings' | 'models' | 'passthrough';
  readonly keyId: string | null;
  readonly teamId: string | null;
  readonly userId: string | null;
  readonly provider: string | null;
  readonly model: string | null;
  /** null when the model has no price (unpriced, never $0). */
  readonly costNano: number | null;
  readonly estimated: boolean;
  readonly cacheHit: boolean;
  readonly savedNano: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
  readonly cacheWriteTokens: number;
  readonly reasoningTokens: number;
  readonly status: number;
}

export const budgetInputSchema = z.strictObject({
  amount_usd: z.number().positive(),
  period: budgetPeriodSchema.default('monthly'),
  alert_thresholds: thresholdsSchema.default([]),
  enabled: z.boolean().default(true),
});

export const budgetCreateSchema = budgetInputSchema.extend({
  scope: budgetScopeSchema,
  /** Key id, team id or name, end-user id, or `*`. */
  subject: z.string().min(1),
});
export type BudgetCreate = z.infer<typeof budgetCreateSchema>;

export const budgetUpdateSchema = z.strictObject({
  amount_usd: z.number().positive().optional(),
  period: budgetPeriodSchema.optional(),
  alert_thresholds: thresholdsSchema.optional(),
  enabled: z.boolean().optional(),
});
export type BudgetUpdate = z.infer<typeof budgetUpdateSchema>;

const expirySchema = z.union([z.iso.datetime({ offset: true }), z.iso.date(), z.number().int().positive()]).nullable();

const keyFields = {
  team: z.string().min(1).nullable().optional(),
  owner: z.string().min(1).nullable().optional(),
  metadata: metadataSchema.optional(),
  /** ISO date or date-time, or epoch ms; null for none. */
  expires_at: expirySchema.optional(),
  enabled: z.boolean().optional(),
  models: patternListSchema.nullable().optional(),
  routes: patternListSchema.nullable().optional(),
  default_route: z.string().min(1).nullable().optional(),
  default_config: z.string().min(1).nullable().optional(),
  limits: limitsSchema.optional(),
  model_limits: z.record(z.string(), limitsSchema).optional(),
  credentials: z.array(z.string().min(1)).optional(),
};

export const keyCreateSchema = z.strictObject({
  name: z.string().min(1).max(200),
  ...keyFields,
  budgets: z.array(budgetInputSchema).optional(),
});
export type KeyCreate = z.infer<typeof keyCreateSchema>;

export const keyUpdateSchema = z.strictObject({ name: z.string().min(1).max(200).optional(), ...keyFields });
export type KeyUpdate = z.infer<typeof keyUpdateSchema>;

export const teamCreateSchema = z.strictObject({
  name: z.string().min(1).max(200),
  metadata: metadataSchema.optional(),
  limits: limitsSchema.optional(),
  budgets: z.array(budgetInputSchema).optional(),
});
export type TeamCreate = z.infer<typeof teamCreateSchema>;

export const teamUpdateSchema = z.strictObject({ name: z.string().min(1).max(200).optional(), metadata: metadataSchema.optional(), limits: limitsSchema.optional() });
export type TeamUpdate = z.infer<typeof teamUpdateSchema>;

export const credentialCreateSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, ., _ and -'),
  provider: z.string().min(1),
  api_key: z.string().min(1),
  metadata: metadataSchema.optional(),
});
export type CredentialCreate = z.infer<typeof credentialCreateSchema>;

export const usageQuerySchema = z.strictObject({
  group_by: z.enum(['key', 'team', 'user', 'model', 'day']).default('key'),
  /** ISO date-time or epoch ms; defaults to 30 days ago. */
  from: z.union([z.iso.datetime({ offset: true }), z.iso.date(), z.coerce.number().int()]).optional(),
  to: z.union([z.iso.datetime({ offset: true }), z.iso.date(), z.coerce.number().int()]).optional(),
  key: z.string().optional(),
  team: z.string().optional(),
  user: z.string().optional(),
});
export type UsageQuery = z.infer<typeof usageQuerySchema>;

export interface UsageRow {
  readonly group: string | null;
  readonly requests: number;
  readonly costUsd: number;
  readonly unpricedRequests: number;
  readonly estimatedRequests: number;
  readonly cacheHits: number;
  readonly savedUsd: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
}
