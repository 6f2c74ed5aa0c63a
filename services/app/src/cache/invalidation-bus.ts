import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { CacheError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { type BusMessage, decodeBusMessage, encodeBusMessage, PendingAcks } from './bus-acks.ts';
import type { CacheObserver } from './cache-types.ts';
import { withDeadline } from './observed.ts';
import {
  closeClient,
  parseAddress,
  type RedisTimeouts,
  reconnectDelay,
} from './redis-connection.ts';

/** Anything that can PUBLISH: a Redis client, or a Cluster client (cluster PUBLISH reaches every node). */
export interface Publisher {
  /** Resolves with the receivers of the node that took it (all of them on a single Redis). */
  publish(channel: string, message: string): Promise<number>;
  /** Cluster only: subscribers of `channel` on every node, as PUBLISH counts only its own node's. */
  subscriberCount?(channel: string): Promise<number>;
}

/** Options of the Redis pub/sub invalidation bus. */
export interface InvalidationBusOptions extends RedisTimeouts {
  publisher: Publisher;
  /** Where the dedicated subscriber connects, tried in turn after each drop (one URL, or cluster nodes). */
  subscribeTo: string[];
  channel: string;
  observer: CacheObserver;
  logger?: Logger | undefined;
  /** Period of the PING that detects a silently dead subscriber connection (default 1000 ms). */
  heartbeatMs?: number;
  /**
   * How long that PING (and SUBSCRIBE) may take before the connection is dropped (default 2000 ms).
   * Deliberately looser than the command timeout: a false alarm clears every L1 entry, and event
   * loop stalls under load are longer than 100 ms.
   */
  heartbeatTimeoutMs?: number;
  /** Delay before reconnect attempt n (default: capped exponential backoff, 50 ms … 1 s). */
  reconnectDelayMs?: (attempt: number) => number;
}

/** Key invalidations over Redis pub/sub. At-most-once: listeners must handle onDisconnect. */
export interface InvalidationBus {
  /** True while the subscription is live (messages published now will be received). */
  readonly subscribed: boolean;
  /** Called with each invalidated key, including keys this process published. */
  onInvalidate(listener: (key: string) => void): void;
  /** Called when a live subscription drops: messages may be missed from now on. */
  onDisconnect(listener: () => void): void;
  /** Called each time the subscription becomes live (first time and after every reconnect). */
  onResubscribed(listener: () => void): void;
  /**
   * Broadcasts one key and waits (up to the command timeout) until every subscriber has dropped it,
   * so a write acknowledged after it is seen by reads on every server; throws CacheError when Redis
   * cannot take it. Unconfirmed receivers are counted, not thrown: the key was sent.
   */
  publish(key: string): Promise<void>;
  /** Stops reconnecting and closes the subscriber connection. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Creates the bus and waits (up to the connect timeout) for the first subscription. If Redis is
 * down it returns unsubscribed and keeps retrying; `onResubscribed` tells when it is live.
 */
export async function createInvalidationBus(
  options: InvalidationBusOptions,
): Promise<InvalidationBus> {
  const subscriber = new Subscriber(options, `${options.channel}:ack:${randomUUID()}`);
  const live = new Promise<void>((resolve) => subscriber.listeners.resubscribed.push(resolve));
  subscriber.start();
  await withDeadline(live, options.connectTimeoutMs).catch((error: unknown) => {
    options.logger?.warn({ err: error, channel: options.channel }, 'invalidation bus not live yet');
  });
  return {
    get subscribed() {
      return subscriber.subscribed;
    },
    onInvalidate: (listener) => subscriber.listeners.invalidate.push(listener),
    onDisconnect: (listener) => subscriber.listeners.disconnect.push(listener),
    onResubscribed: (listener) => subscriber.listeners.resubscribed.push(listener),
    publish: (key) => publish(options, subscriber, key),
    close: () => subscriber.close(),
  };
}

async function publish(
  options: InvalidationBusOptions,
  subscriber: Subscriber,
  key: string,
): Promise<void> {
  // Acknowledgements come back over our own subscription: without it, none could arrive.
  const pending = subscriber.subscribed ? subscriber.acks.open() : undefined;
  const ack = pending && { reply: subscriber.replyChannel, seq: pending.seq };
  const { publisher, channel, commandTimeoutMs } = options;
  let receivers: number;
  try {
    const sent = publisher.publish(channel, encodeBusMessage({ key, ack }));
    receivers = await withDeadline(sent, commandTimeoutMs);
    options.observer.invalidation('sent');
  } catch (error) {
    pending?.cancel();
    options.observer.error('l2', error);
    throw new CacheError('invalidation publish failed', {
      cause: error,
      details: { op: 'publish' },
    });
  }
  if (pending === undefined) return;
  const expected = await subscriberCount(options, receivers);
  const confirmed = await pending.confirmed(expected, commandTimeoutMs);
  options.observer.invalidation(confirmed ? 'confirmed' : 'unconfirmed');
}

/** How many acknowledgements to wait for: PUBLISH's count, or every node's on a Cluster. */
async function subscriberCount(options: InvalidationBusOptions, receivers: number) {
  const count = options.publisher.subscriberCount;
  if (count === undefined) return receivers;
  try {
    return await withDeadline(
      count.call(options.publisher, options.channel),
      options.commandTimeoutMs,
    );
  } catch (error) {
    options.observer.error('l2', error);
    return receivers;
  }
}

/** The dedicated subscriber connection: subscribe, watch, and reconnect (rotating targets). */
class Subscriber {
  readonly acks = new PendingAcks();
  readonly listeners = {
    invalidate: [] as ((key: string) => void)[],
    disconnect: [] as (() => void)[],
    resubscribed: [] as (() => void)[],
  };
  #subscribed = false;
  #client: Redis | undefined;
  #attempt = 0;
  #closed: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #options: InvalidationBusOptions;

  constructor(
    options: InvalidationBusOptions,
    readonly replyChannel: string,
  ) {
    this.#options = options;
    this.#heartbeat = setInterval(() => this.#ping(), options.heartbeatMs ?? 1_000);
    this.#heartbeat.unref();
  }

  get subscribed(): boolean {
    return this.#subscribed;
  }

  start(): void {
    const { subscribeTo, channel } = this.#options;
    const target = subscribeTo[this.#attempt % subscribeTo.length] ?? '';
    const client = new Redis({ ...this.#clientOptions(), ...parseAddress(target) });
    this.#client = client;
    client.on('error', (error: unknown) => {
      this.#options.logger?.warn({ err: error, redis: target }, 'invalidation subscriber error');
    });
    client.on('message', (from: string, text: string) => {
      if (from === channel) this.#deliver(decodeBusMessage(text));
      else if (from === this.replyChannel) this.acks.received(text);
    });
    client.once('end', () => this.#ended(client));
    client
      .connect()
      .then(() => client.subscribe(channel, this.replyChannel))
      .then(() => this.#live(client))
      .catch((error: unknown) => this.#fail(client, error));
  }

  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #shutdown(): Promise<void> {
    clearInterval(this.#heartbeat);
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    this.#subscribed = false;
    if (client !== undefined) await closeClient(client, this.#options.logger);
  }

  #clientOptions() {
    return {
      connectTimeout: this.#options.connectTimeoutMs,
      commandTimeout: this.#options.heartbeatTimeoutMs ?? 2_000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // We reconnect ourselves, so the next attempt can go to another node and resubscription is
      // observable (ioredis's own autoResubscribe would hide the gap).
      retryStrategy: () => null,
      autoResubscribe: false,
      lazyConnect: true,
      connectionName: 'cachelab-invalidation',
      ...(this.#options.password ? { password: this.#options.password } : {}),
    };
  }

  #deliver({ key, ack }: BusMessage): void {
    this.#options.observer.invalidation('received');
    for (const listener of this.listeners.invalidate) listener(key);
    if (ack === undefined) return;
    if (ack.reply === this.replyChannel) {
      this.acks.received(ack.seq);
      return;
    }
    // Acknowledged only now: every listener has dropped the key.
    this.#options.publisher.publish(ack.reply, ack.seq).catch((error: unknown) => {
      this.#options.observer.error('l2', error);
    });
  }

  #live(client: Redis): void {
    if (client !== this.#client) return;
    this.#attempt = 0;
    this.#subscribed = true;
    this.#options.logger?.info({ channel: this.#options.channel }, 'invalidation bus subscribed');
    for (const listener of this.listeners.resubscribed) listener();
  }

  #fail(client: Redis, error: unknown): void {
    this.#options.observer.error('l2', error);
    client.disconnect();
  }

  #ended(client: Redis): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    if (this.#subscribed) {
      this.#subscribed = false;
      this.#options.logger?.warn({ channel: this.#options.channel }, 'invalidation bus dropped');
      for (const listener of this.listeners.disconnect) listener();
    }
    const delay = (this.#options.reconnectDelayMs ?? reconnectDelay)(this.#attempt++);
    this.#retry = setTimeout(() => this.start(), delay);
  }

  #ping(): void {
    const client = this.#client;
    if (client === undefined || !this.#subscribed) return;
    client.ping().catch((error: unknown) => this.#fail(client, error));
  }
}
