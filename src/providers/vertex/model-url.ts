/**
 * Vertex AI addresses: `{baseURL}/projects/{project}/locations/{location}/publishers/google/models/{model}:{method}`.
 * The base URL is regional (`https://{location}-aiplatform.googleapis.com/v1`),
 * or `https://aiplatform.googleapis.com/v1` for the `global` location.
 */
import { GatewayError } from '../../api/errors.js';
import type { CallContext } from '../contract.js';

export const defaultVertexLocation = 'us-central1';

export function vertexBaseURL(location: string): string {
  return location === 'global' ? 'https://aiplatform.googleapis.com/v1' : `https://${location}-aiplatform.googleapis.com/v1`;
}

/** The project: configured, or the one the service-account key belongs to. */
export function vertexProject(context: CallContext): string {
  const options = context.settings.options;
  const fromKey = (options.serviceAccount as { project_id?: unknown } | undefined)?.project_id;
  const project = options.project || (typeof fromKey === 'string' ? fromKey : undefined);
  if (!project) {
    throw new GatewayError('missing_credentials', { message: `${context.settings.name}: Vertex AI needs a project (config 'project').`, provider: context.settings.name });
  }
  return project;
}

/**
 * The model's resource URL. A bare id is a Google model; an id with a slash
 * names its own resource (`publishers/anthropic/models/...`, `endpoints/123`,
 * or a full `projects/...` path). In express mode (API key only, no project)
 * the path starts at `publishers/`.
 */
export function vertexModelURL(context: CallContext, method: string): string {
  const location = context.settings.options.location || defaultVertexLocation;
  const base = (context.settings.baseURL || vertexBaseURL(location)).replace(/\/+$/, '');
  const model = context.model;
  if (model.startsWith('projects/')) return `${base}/${model}${method}`;
  const options = context.settings.options;
  // Express mode (an API key, no service account) addresses publisher models without a project.
  if (!options.serviceAccount && context.settings.apiKey && !options.project) return `${base}/${model.includes('/') ? model : `publishers/google/models/${model}`}${method}`;
  const parent = `${base}/projects/${encodeURIComponent(vertexProject(context))}/locations/${encodeURIComponent(location)}`;
  return model.includes('/') ? `${parent}/${model}${method}` : `${parent}/publishers/google/models/${model}${method}`;
}
