/**
 * Keeps every instance's semantic index in step through Redis pub/sub.
 * An instance that stores a semantic entry publishes `add` (with the vector)
 * on `<prefix>:index`; one that deletes or purges publishes `remove`. Each
 * instance applies the others' messages to its own index. Messages sent
 * while a subscriber was disconnected are lost, so after every reconnection
 * the instance reloads its index from the entries in Redis. A message that
 * never arrives costs a miss, never a wrong answer: hits are re-checked
 * against the entry in Redis.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { bufferToVector, vectorToBuffer } from '../index/vector-math.js';
import type { EntryRef, SemanticRecord } from './cache-store.js';

const refSchema = z.object({ namespace: z.string(), key: z.string() });
const messageSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), origin: z.string(), namespace: z.string(), key: z.string(), contextHash: z.string(), expiresAt: z.number(), vector: z.string() }),
  z.object({ op: z.literal('remove'), origin: z.string(), refs: z.array(refSchema) }),
]);

export interface IndexSyncHandlers {
  readonly added: (record: SemanticRecord) => void;
  readonly removed: (refs: readonly EntryRef[]) => void;
  /** After a reconnection: rebuild the index from the store. */
  readonly resync: () => Promise<void>;
  readonly error: (error: Error, operation: string) => void;
}

export class RedisIndexSync {
  private readonly subscriber: Redis;
  private readonly channel: string;
  private started = false;
  private received = 0;

  constructor(
    private readonly client: Redis,
    prefix: string,
    private readonly origin: string,
    private readonly handlers: IndexSyncHandlers,
  ) {
    this.channel = `${prefix}:index`;
    this.subscriber = client.duplicate({ lazyConnect: true });
    this.subscriber.on('error', (error: unknown) => handlers.error(error instanceof Error ? error : new Error(String(error)), 'index subscriber connection'));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.apply(message);
    });
    this.subscriber.on('ready', () => {
      if (this.started) handlers.resync().catch((error: unknown) => handlers.error(error instanceof Error ? error : new Error(String(error)), 'index reload after reconnecting'));
    });
  }

  /** Messages applied from other instances. */
  get messagesApplied(): number {
    return this.received;
  }

  async start(): Promise<void> {
    await this.subscriber.connect();
    await this.subscriber.subscribe(this.channel);
    this.started = true;
  }

  async publishAdded(record: SemanticRecord): Promise<void> {
    const message = { op: 'add', origin: this.origin, namespace: record.namespace, key: record.key, contextHash: record.contextHash, expiresAt: record.expiresAt, vector: vectorToBuffer(record.vector).toString('base64') };
    await this.client.publish(this.channel, JSON.stringify(message));
  }

  async publishRemoved(refs: readonly EntryRef[]): Promise<void> {
    for (let start = 0; start < refs.length; start += 500) {
      await this.client.publish(this.channel, JSON.stringify({ op: 'remove', origin: this.origin, refs: refs.slice(start, start + 500) }));
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.subscriber.status === 'end') return;
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private apply(text: string): void {
    let message: z.infer<typeof messageSchema>;
    try {
      const parsed = messageSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid message');
      message = parsed.data;
    } catch (error) {
      this.handlers.error(error instanceof Error ? error : new Error(String(error)), 'index message');
      return;
    }
    if (message.origin === this.origin) return;
    this.received += 1;
    if (message.op === 'add') {
      const vector = bufferToVector(Buffer.from(message.vector, 'base64'));
      this.handlers.added({ namespace: message.namespace, key: message.key, contextHash: message.contextHash, expiresAt: message.expiresAt, vector });
    } else {
      this.handlers.removed(message.refs);
    }
  }
}
