/**
 * An approximate index for the question a semantic cache asks: "is anything
 * in this partition at cosine ≥ t from this vector?". Random-hyperplane
 * locality-sensitive hashing (Charikar, 2002): each vector gets `bands` codes
 * of `bitsPerBand` sign bits, one bit per random hyperplane. Two vectors at
 * angle θ agree on a bit with probability 1 − θ/π, so near-duplicates share
 * some band's bucket with high probability and unrelated vectors almost
 * never do (at cosine 0.85, 32 bands of 10 bits: 95% share two bands or more).
 *
 * A lookup scores exactly, by dot product, the vectors that share at least
 * two bands with the query. If none of them passes, it scores those that
 * share one band, up to a cap. Inserts and deletes cost O(bands), and
 * nothing is ever rebuilt. The hyperplanes come from a seed, so tests are
 * exact. One index serves every partition of one dimension: a bucket key
 * joins the partition, the band and the code.
 *
 * (A pure-JavaScript HNSW graph was measured first, on this code's sparse
 * 512-dimension vectors: 2-3.5 ms per insert and 1-2 ms per lookup at 10,000
 * entries, against 0.1 ms and 0.2 ms here, with equal recall of near-duplicates.)
 */
import { indexedDot, toIndexedVector, type IndexedVector } from './vector-math.js';

export interface LshOptions {
  readonly bands: number;
  readonly bitsPerBand: number;
  /** The most single-band candidates scored in the second pass of a lookup. */
  readonly maxCandidates: number;
  readonly seed: number;
}

export const defaultLshOptions: LshOptions = { bands: 32, bitsPerBand: 10, maxCandidates: 256, seed: 0x5eed };

export interface ScoredSlot {
  readonly slot: number;
  readonly score: number;
}

/** Normal deviates from a seeded mulberry32 generator (Box-Muller). */
function seededNormals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export class LshIndex {
  /** planes[p * dimensions + i]. */
  private readonly planes: Float32Array;
  private readonly vectors: (IndexedVector | undefined)[] = [];
  private readonly bucketKeys: (number[] | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  /** partition, band and code → the slots in that bucket. */
  private readonly buckets = new Map<number, Set<number>>();
  private readonly bucketsPerPartition: number;
  private count = 0;

  constructor(
    readonly dimensions: number,
    private readonly options: LshOptions = defaultLshOptions,
  ) {
    const normal = seededNormals(options.seed ^ dimensions);
    this.planes = new Float32Array(options.bands * options.bitsPerBand * dimensions);
    for (let index = 0; index < this.planes.length; index += 1) this.planes[index] = normal();
    this.bucketsPerPartition = options.bands * 2 ** options.bitsPerBand;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a unit vector to a partition (a small non-negative integer); returns its slot. */
  add(unit: Float32Array, partition: number): number {
    if (unit.length !== this.dimensions) throw new Error(`expected a vector of ${this.dimensions} dimensions, got ${unit.length}`);
    const vector = toIndexedVector(unit);
    const keys = this.bucketKeysOf(vector, partition);
    const slot = this.freeSlots.pop() ?? this.vectors.length;
    this.vectors[slot] = vector;
    this.bucketKeys[slot] = keys;
    for (const key of keys) {
      let members = this.buckets.get(key);
      if (!members) {
        members = new Set();
        this.buckets.set(key, members);
      }
      members.add(slot);
    }
    this.count += 1;
    return slot;
  }

  remove(slot: number): boolean {
    const keys = this.bucketKeys[slot];
    if (keys === undefined) return false;
    for (const key of keys) {
      const members = this.buckets.get(key);
      members?.delete(slot);
      if (members?.size === 0) this.buckets.delete(key);
    }
    this.vectors[slot] = undefined;
    this.bucketKeys[slot] = undefined;
    this.freeSlots.push(slot);
    this.count -= 1;
    return true;
  }

  /** Up to k slots of the partition scoring at least `minimum`, best first. */
  search(unit: Float32Array, partition: number, k: number, minimum: number): ScoredSlot[] {
    if (unit.length !== this.dimensions || this.count === 0) return [];
    const query = toIndexedVector(unit);
    const matches = new Map<number, number>();
    for (const key of this.bucketKeysOf(query, partition)) {
      const members = this.buckets.get(key);
      if (members) for (const slot of members) matches.set(slot, (matches.get(slot) ?? 0) + 1);
    }
    const strong: number[] = [];
    const weak: number[] = [];
    for (const [slot, count] of matches) (count >= 2 ? strong : weak).push(slot);
    let found = this.score(query, strong, minimum);
    if (found.length === 0) found = this.score(query, weak.slice(0, this.options.maxCandidates), minimum);
    return found.sort((left, right) => right.score - left.score).slice(0, k);
  }

  private score(query: IndexedVector, slots: readonly number[], minimum: number): ScoredSlot[] {
    const found: ScoredSlot[] = [];
    for (const slot of slots) {
      const score = indexedDot(query, this.vectors[slot]!);
      if (score >= minimum) found.push({ slot, score });
    }
    return found;
  }

  private bucketKeysOf(vector: IndexedVector, partition: number): number[] {
    const { bands, bitsPerBand } = this.options;
    const dimensions = this.dimensions;
    const { values, support } = vector;
    const keys: number[] = [];
    for (let band = 0; band < bands; band += 1) {
      let code = 0;
      for (let bit = 0; bit < bitsPerBand; bit += 1) {
        const offset = (band * bitsPerBand + bit) * dimensions;
        let projection = 0;
        if (support) {
          for (let position = 0; position < support.length; position += 1) projection += values[support[position]!]! * this.planes[offset + support[position]!]!;
        } else {
          for (let index = 0; index < dimensions; index += 1) projection += values[index]! * this.planes[offset + index]!;
        }
        code = code * 2 + (projection >= 0 ? 1 : 0);
      }
      keys.push(partition * this.bucketsPerPartition + band * 2 ** bitsPerBand + code);
    }
    return keys;
  }
}
