/**
 * An embedder backed by a provider's model, through the gateway's own
 * embeddings routing (OpenAI, Cohere, Gemini, Bedrock, Mistral, Voyage,
 * Ollama... whatever the gateway config serves under that model name). The
 * gateway injects `embed`; this checks the answer's shape and normalizes it.
 */
import { normalize } from '../index/vector-math.js';
import type { EmbedFunction, Embedder } from './embedder.js';

export function createProviderEmbedder(embed: EmbedFunction, model: string): Embedder {
  return {
    id: `provider:${model}`,
    async embed(texts) {
      const vectors = await embed([...texts], model);
      if (!Array.isArray(vectors) || vectors.length !== texts.length) {
        throw new Error(`the embeddings model ${model} returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${texts.length} texts`);
      }
      const dimensions = vectors[0]?.length ?? 0;
      return vectors.map((vector) => {
        if (!Array.isArray(vector) || vector.length === 0 || vector.length !== dimensions || !vector.every((value) => Number.isFinite(value))) {
          throw new Error(`the embeddings model ${model} returned a malformed vector`);
        }
        return normalize(vector);
      });
    },
  };
}
