/**
 * Changes to keys, teams, credentials and budgets, pushed to every instance
 * through Redis pub/sub on `<prefix>:changes`: a revoked key is dropped from
 * every cache in milliseconds, then each instance reloads from the store.
 * After a reconnection an instance reloads anyway, since messages sent while
 * it was away are lost (and the store's revision is polled every second).
 */
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { ChangeNotice } from './governance-service.js';

const messageSchema = z.object({ origin: z.string(), revokedKeyHash: z.string().optional() });

export interface ChangeBusOptions {
  readonly url: string;
  readonly prefix: string;
  /** This instance, so it can tell its own messages apart. */
  readonly origin: string;
  readonly onNotice: (notice: ChangeNotice) => void;
  /** After (re)subscribing: reload, messages may have been missed. */
  readonly onResubscribed: () => void;
  readonly onError: (error: unknown, operation: string) => void;
}

export class ChangeBus {
  private readonly subscriber: Redis;
  private readonly publisher: Redis;
  private readonly channel: string;
  private started = false;

  constructor(private readonly options: ChangeBusOptions) {
    this.channel = `${options.prefix}:changes`;
    this.subscriber = new Redis(options.url, { lazyConnect: true });
    this.publisher = new Redis(options.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 });
    this.subscriber.on('error', (error: unknown) => options.onError(error, 'subscriber'));
    this.publisher.on('error', (error: unknown) => options.onError(error, 'publisher'));
    this.subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
    this.subscriber.on('ready', () => {
      if (!this.started) return;
      // Subscribed channels are restored by the client; a subscription that never happened (Redis was down at start-up) is made now.
      if (!this.subscribed) void this.subscribe().catch((error: unknown) => options.onError(error, 'subscribe'));
      options.onResubscribed();
    });
  }

  private subscribed = false;

  private async subscribe(): Promise<void> {
    await this.subscriber.subscribe(this.channel);
    this.subscribed = true;
  }

  /** Connects and subscribes; if Redis cannot be reached it rejects, and subscribes once the connection comes up. */
  async start(): Promise<void> {
    this.started = true;
    await Promise.all([this.subscriber.connect(), this.publisher.connect()]);
    await this.subscribe();
  }

  async publish(notice: ChangeNotice): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify({ origin: this.options.origin, ...notice }));
  }

  private receive(channel: string, message: string): void {
    if (channel !== this.channel) return;
    try {
      const parsed = messageSchema.parse(JSON.parse(message));
      this.options.onNotice({ revokedKeyHash: parsed.revokedKeyHash });
    } catch (error) {
      this.options.onError(error, `unreadable message: ${message.slice(0, 200)}`);
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const connection of [this.subscriber, this.publisher]) {
      try {
        await connection.quit();
      } catch {
        connection.disconnect();
      }
    }
  }
}

/** Sends one change notice and disconnects (the CLI's way to reach running instances). */
export async function publishOnce(url: string, prefix: string, notice: ChangeNotice): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.publish(`${prefix}:changes`, JSON.stringify({ origin: 'cli', ...notice }));
  } finally {
    client.disconnect();
  }
}
