/**
 * The in-process index of every semantic entry this instance knows, split
 * into partitions of one namespace and one context hash (a semantic hit needs
 * both equal, so a lookup never looks outside its partition). It answers with
 * candidate keys only: the caller fetches each entry and re-checks its
 * namespace, hash, expiry and stored vector before serving it, so an index
 * that is stale (an entry replaced, purged or expired elsewhere) can cost a
 * miss but never serve a wrong answer.
 */
import { defaultLshOptions, LshIndex, type LshOptions } from './lsh-index.js';

export interface SemanticIndexEntry {
  readonly namespace: string;
  readonly key: string;
  readonly contextHash: string;
  readonly vector: Float32Array;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export interface SemanticCandidate {
  readonly key: string;
  /** The cosine between the query and the vector this index holds. */
  readonly score: number;
}

interface Placement {
  readonly partition: string;
  readonly dimensions: number;
  readonly slot: number;
  readonly namespace: string;
  readonly key: string;
  readonly expiresAt: number;
}

export class SemanticIndex {
  private readonly indexes = new Map<number, LshIndex>();
  /** namespace NUL context hash → partition number and how many entries it holds (forgotten at zero). */
  private readonly partitions = new Map<string, { id: number; entries: number }>();
  private nextPartition = 0;
  /** dimensions → slot → placement. */
  private readonly placements = new Map<number, (Placement | undefined)[]>();
  /** namespace NUL key → placement. */
  private readonly byKey = new Map<string, Placement>();

  constructor(private readonly options: LshOptions = defaultLshOptions) {}

  get size(): number {
    return this.byKey.size;
  }

  has(namespace: string, key: string): boolean {
    return this.byKey.has(`${namespace}\u0000${key}`);
  }

  add(entry: SemanticIndexEntry): void {
    this.remove(entry.namespace, entry.key);
    const dimensions = entry.vector.length;
    let index = this.indexes.get(dimensions);
    if (!index) {
      index = new LshIndex(dimensions, this.options);
      this.indexes.set(dimensions, index);
      this.placements.set(dimensions, []);
    }
    const partition = `${entry.namespace}\u0000${entry.contextHash}`;
    const slot = index.add(entry.vector, this.enterPartition(partition));
    const placement: Placement = { partition, dimensions, slot, namespace: entry.namespace, key: entry.key, expiresAt: entry.expiresAt };
    this.placements.get(dimensions)![slot] = placement;
    this.byKey.set(`${entry.namespace}\u0000${entry.key}`, placement);
  }

  remove(namespace: string, key: string): boolean {
    const id = `${namespace}\u0000${key}`;
    const placement = this.byKey.get(id);
    if (!placement) return false;
    this.byKey.delete(id);
    this.indexes.get(placement.dimensions)!.remove(placement.slot);
    this.placements.get(placement.dimensions)![placement.slot] = undefined;
    const partition = this.partitions.get(placement.partition)!;
    partition.entries -= 1;
    if (partition.entries === 0) this.partitions.delete(placement.partition);
    return true;
  }

  /** Up to k keys of the partition with cosine ≥ minimum, best first; expired ones are dropped on the way. */
  search(query: { namespace: string; contextHash: string; vector: Float32Array }, k: number, minimum: number, now: number): SemanticCandidate[] {
    const index = this.indexes.get(query.vector.length);
    const partition = this.partitions.get(`${query.namespace}\u0000${query.contextHash}`);
    if (!index || !partition) return [];
    const placements = this.placements.get(query.vector.length)!;
    const candidates: SemanticCandidate[] = [];
    for (const found of index.search(query.vector, partition.id, k + 4, minimum)) {
      const placement = placements[found.slot]!;
      if (placement.expiresAt <= now) {
        this.remove(placement.namespace, placement.key);
        continue;
      }
      candidates.push({ key: placement.key, score: found.score });
      if (candidates.length === k) break;
    }
    return candidates;
  }

  get partitionCount(): number {
    return this.partitions.size;
  }

  clear(): void {
    this.indexes.clear();
    this.partitions.clear();
    this.placements.clear();
    this.byKey.clear();
  }

  /** Numbers are never reused, so no bucket of a forgotten partition can be met again. */
  private enterPartition(name: string): number {
    let partition = this.partitions.get(name);
    if (!partition) {
      partition = { id: this.nextPartition, entries: 0 };
      this.nextPartition += 1;
      this.partitions.set(name, partition);
    }
    partition.entries += 1;
    return partition.id;
  }
}
