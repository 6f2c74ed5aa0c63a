import { Redis } from 'ioredis';
import { CacheError } from '../errors.ts';
import type { Logger } from '../logger.ts';
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
  publish(channel: string, message: string): Promise<number>;
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
  /** Broadcasts one key; throws CacheError when Redis cannot take it. */
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
  const subscriber = new Subscriber(options);
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
    publish: (key) => publish(options, key),
    close: () => subscriber.close(),
  };
}

async function publish(options: InvalidationBusOptions, key: string): Promise<void> {
  try {
    await withDeadline(options.publisher.publish(options.channel, key), options.commandTimeoutMs);
    options.observer.invalidation('sent');
  } catch (error) {
    options.observer.error('l2', error);
    throw new CacheError('invalidation publish failed', {
      cause: error,
      details: { op: 'publish' },
    });
  }
}

/** The dedicated subscriber connection: subscribe, watch, and reconnect (rotating targets). */
class Subscriber {
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

  constructor(options: InvalidationBusOptions) {
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
    client.on('message', (from: string, key: string) => {
      if (from === channel) this.#deliver(key);
    });
    client.once('end', () => this.#ended(client));
    client
      .connect()
      .then(() => client.subscribe(channel))
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

  #deliver(key: string): void {
    this.#options.observer.invalidation('received');
    for (const listener of this.listeners.invalidate) listener(key);
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
