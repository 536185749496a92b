/** Every provider and model a route may reach, known before the call. */
import type { Candidate } from '../server/pipeline.js';
import type { ModelResolver } from './resolve-model.js';
import type { RouteNode } from './route-schema.js';
import { inherit } from './route-tree.js';
import type { EffectiveLeaf, RequestFacts } from './route-types.js';

export function routeCandidates(route: RouteNode, resolver: ModelResolver, facts: RequestFacts): Candidate[] {
  const found = new Map<string, Candidate>();
  const visit = (node: RouteNode, effective: EffectiveLeaf): void => {
    if (node.targets) {
      node.targets.forEach((child, index) => visit(child, inherit(effective, child, `${effective.path}.targets[${index}]`)));
      return;
    }
    let candidate: Candidate;
    try {
      const target = resolver.resolveLeaf(effective, facts);
      candidate = { provider: target.settings.name, model: target.model };
    } catch {
      const model = (typeof effective.overrideParams.model === 'string' ? effective.overrideParams.model : undefined) ?? effective.model ?? facts.model;
      candidate = { provider: effective.provider ?? model.split('/')[0]!, model: effective.provider ? model : model.slice(model.indexOf('/') + 1) };
    }
    found.set(`${candidate.provider}/${candidate.model}`, candidate);
  };
  visit(route, inherit(undefined, route, ''));
  return [...found.values()];
}
