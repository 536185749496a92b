/**
 * The SSRF guard: only public unicast addresses may be reached with URLs that
 * come from clients (image URLs, custom hosts), unless the config allows
 * private ones. The check runs in the connection's DNS lookup, so a name that
 * resolves differently between a check and the connect cannot slip past.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      const bad = list.find((entry) => !allowPrivate && !isPublicAddress(entry.address));
      if (bad) return callback(Object.assign(new Error(`${hostname} resolves to a non-public address (${bad.address})`), { code: 'EFORBIDDENADDRESS' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

