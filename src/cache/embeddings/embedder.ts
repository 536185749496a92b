/** What turns texts into vectors: the offline embedder, or a provider's model through the gateway. */

export interface Embedder {
  /** Names the model and its settings; vectors of two different ids are never compared. */
  readonly id: string;
  /** One unit vector per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** The gateway's own embeddings routing, injected by the caller: texts → one vector each. */
export type EmbedFunction = (texts: string[], model: string) => Promise<number[][]>;
