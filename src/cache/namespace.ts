/**
 * Whose entries a request may read and write. Entries are never shared
 * across namespaces: `key:<virtual key id>`, or `team:<team id>` when the
 * route says so and the key has a team. An open gateway (no virtual keys) has
 * one `anonymous` namespace, except that callers who bring their own provider
 * key each get their own (`client:<hash of the key>`), since they are
 * different tenants paying for their own answers.
 */
import type { Principal } from '../api/request-record.js';
import { sha256Hex } from './canonical-json.js';
import type { NamespaceBy } from './config-schema.js';

export function namespaceOf(principal: Principal | undefined, by: NamespaceBy, clientProviderKey: string | undefined): string {
  if (by === 'team' && principal?.teamId) return `team:${principal.teamId}`;
  if (principal?.keyId) return `key:${principal.keyId}`;
  if (clientProviderKey) return `client:${sha256Hex(clientProviderKey).slice(0, 32)}`;
  return 'anonymous';
}
