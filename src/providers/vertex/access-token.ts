/**
 * OAuth access tokens for a Google service account (RFC 7523 JWT bearer grant):
 * a JWT signed RS256 with the account's private key, claims
 * `iss` = client_email, `scope` = cloud-platform, `aud` = the token URL,
 * `iat`/`exp` one hour apart, is exchanged at the token URL for an access token.
 *
 * Tokens are cached per (client_email, token URL) until shortly before they
 * expire, and concurrent requests share one in-flight exchange.
 */
import { importPKCS8, SignJWT } from 'jose';
import { request } from 'undici';
import { z } from 'zod';
import { GatewayError } from '../../api/errors.js';
import type { ProviderOptions } from '../contract.js';

export const defaultTokenURL = 'https://oauth2.googleapis.com/token';
export const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';
const jwtBearerGrant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const tokenLifetimeSeconds = 3600;
const exchangeTimeoutMs = 30_000;

export type ServiceAccount = NonNullable<ProviderOptions['serviceAccount']>;

interface CachedToken {
  token: string;
  /** Epoch ms after which the token is refreshed (ahead of its real expiry). */
  refreshAt: number;
}

const cache = new Map<string, CachedToken>();
const inFlight = new Map<string, Promise<CachedToken>>();

const tokenResponseSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().optional() });
const tokenErrorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });

/** Forgets every cached token (tests, key rotation). */
export function clearAccessTokenCache(): void {
  cache.clear();
  inFlight.clear();
}

async function signAssertion(account: ServiceAccount, tokenURL: string, nowMs: number): Promise<string> {
  // Keys pasted through environment variables often carry literal "\n".
  const pem = account.private_key.includes('\\n') ? account.private_key.replaceAll('\\n', '\n') : account.private_key;
  const key = await importPKCS8(pem, 'RS256');
  const issuedAt = Math.floor(nowMs / 1000);
  const header: { alg: 'RS256'; typ: 'JWT'; kid?: string } = { alg: 'RS256', typ: 'JWT' };
  if (account.private_key_id) header.kid = account.private_key_id;
  return new SignJWT({ scope: cloudPlatformScope })
    .setProtectedHeader(header)
    .setIssuer(account.client_email)
    .setAudience(tokenURL)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + tokenLifetimeSeconds)
    .sign(key);
}

async function exchange(account: ServiceAccount, tokenURL: string, provider: string, now: () => number): Promise<CachedToken> {
  let assertion: string;
  try {
    assertion = await signAssertion(account, tokenURL, now());
  } catch (cause) {
    throw new GatewayError('missing_credentials', { message: `${provider}: the service account's private_key is not a PKCS#8 RSA key.`, provider, cause });
  }
  const form = new URLSearchParams({ grant_type: jwtBearerGrant, assertion }).toString();
  let status: number;
  let text: string;
  try {
    const response = await request(tokenURL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      signal: AbortSignal.timeout(exchangeTimeoutMs),
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (cause) {
    throw new GatewayError('upstream_unreachable', { message: `The OAuth token endpoint could not be reached: ${(cause as Error).message}.`, provider, cause });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status < 200 || status >= 300) {
    const error = tokenErrorSchema.safeParse(body);
    const detail = error.success ? `${error.data.error}${error.data.error_description ? `: ${error.data.error_description}` : ''}` : `HTTP ${status}`;
    // A rejected key is the gateway's credential problem (401), not the client's request; 5xx stays retryable.
    throw new GatewayError('upstream_error', {
      status: status >= 500 ? 502 : 401,
      message: `The service account could not get an access token (${detail}).`,
      provider,
      upstreamCode: error.success ? error.data.error : null,
    });
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) throw new GatewayError('upstream_bad_response', { message: 'The OAuth token endpoint sent no access_token.', provider });
  const lifetimeMs = (parsed.data.expires_in ?? tokenLifetimeSeconds) * 1000;
  // Refresh five minutes early (or halfway, for short-lived tokens).
  return { token: parsed.data.access_token, refreshAt: now() + lifetimeMs - Math.min(5 * 60_000, lifetimeMs / 2) };
}

/** A valid access token for the account, from the cache or a (shared) exchange. */
export async function accessToken(account: ServiceAccount, tokenURL: string, provider: string, now: () => number = Date.now): Promise<string> {
  const key = `${account.client_email}\n${tokenURL}`;
  const cached = cache.get(key);
  if (cached && now() < cached.refreshAt) return cached.token;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = exchange(account, tokenURL, provider, now).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  const fresh = await pending;
  cache.set(key, fresh);
  return fresh.token;
}
