/** Inheritance down a route tree, and the regional checks. */
import type { RegionPolicy, RouteNode } from './route-schema.js';
import type { EffectiveLeaf } from './route-types.js';

/** What `node` inherits from its ancestors (`parent`), with its own settings on top. */
export function inherit(parent: EffectiveLeaf | undefined, node: RouteNode, path: string): EffectiveLeaf {
  return {
    path,
    provider: node.provider ?? parent?.provider,
    model: node.model ?? parent?.model,
    apiKey: node.api_key ?? parent?.apiKey,
    baseURL: node.base_url ?? parent?.baseURL,
    overrideParams: node.override_params ? { ...parent?.overrideParams, ...node.override_params } : (parent?.overrideParams ?? {}),
    retry: node.retry ?? parent?.retry,
    timeouts: node.timeouts ? { ...parent?.timeouts, ...node.timeouts } : (parent?.timeouts ?? {}),
    region: node.region ?? parent?.region,
    regionPolicy: node.region_policy ?? parent?.regionPolicy,
  };
}

/** The effective regions of every leaf under `node`. */
export function leafRegions(effective: EffectiveLeaf, node: RouteNode): (string | undefined)[] {
  if (!node.targets) return [effective.region];
  return node.targets.flatMap((child, index) => leafRegions(inherit(effective, child, `${effective.path}.targets[${index}]`), child));
}

/** Whether a target in `targetRegion` may serve a caller from `callerRegion`. */
export function regionAllows(policy: RegionPolicy, callerRegion: string, targetRegion: string | undefined): boolean {
  if (targetRegion === undefined) return false;
  const allowed = policy.allowed[callerRegion] ?? [callerRegion];
  return allowed.includes(targetRegion);
}
