import calculateSlot from 'cluster-key-slot';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { CacheObserver } from './cache-types.ts';

/** Timeouts every Redis-backed strategy takes from AppConfig. */
export interface RedisTimeouts {
  /** Upper bound of one command, from send to reply (REDIS_COMMAND_TIMEOUT_MS). */
  commandTimeoutMs: number;
  /** Upper bound of one TCP connect (REDIS_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs: number;
  /** Password of every node (REDIS_PASSWORD), when Redis requires one. */
  password?: string | undefined;
}

/** Cap of the reconnect backoff: a restarted Redis is used again within about this long. */
export const MAX_RECONNECT_DELAY_MS = 1_000;

/** Capped exponential reconnect backoff: 50, 100, 200 … 1000 ms, forever. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 10), MAX_RECONNECT_DELAY_MS);
}

/**
 * Client options that make a dead or slow Redis fail fast: no offline queue (a command on a
 * down connection is rejected at once), a per-command timeout, no per-request retries, and
 * reconnection in the background.
 */
export function failFastOptions(timeouts: RedisTimeouts): RedisOptions {
  return {
    enableOfflineQueue: false,
    commandTimeout: timeouts.commandTimeoutMs,
    connectTimeout: timeouts.connectTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: reconnectDelay,
    lazyConnect: true,
    ...(timeouts.password ? { password: timeouts.password } : {}),
  };
}

/** Parses `redis://[:password@]host:port`, `host:port` or `host` into ioredis options. */
export function parseAddress(address: string): { host: string; port: number; password?: string } {
  const url = new URL(address.includes('://') ? address : `redis://${address}`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const password = decodeURIComponent(url.password);
  return password ? { host: url.hostname, port, password } : { host: url.hostname, port };
}

/** Reports connection-level errors (refused, reset) to the observer and the log. */
export function watchErrors(
  client: Redis | Cluster,
  report: { observer: CacheObserver; logger: Logger | undefined; label: string },
): void {
  client.on('error', (error: unknown) => {
    report.observer.error('l2', error);
    report.logger?.warn({ err: error, redis: report.label }, 'redis connection error');
  });
}

/**
 * Starts connecting and waits until the client is ready or `timeoutMs` passes. Returns whether it
 * became ready; when it did not, it keeps reconnecting in the background and commands fail fast.
 */
export async function connectWithin(
  client: Redis | Cluster,
  timeoutMs: number,
  logger?: Logger,
): Promise<boolean> {
  const ready = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const onReady = () => done(true);
    function done(value: boolean) {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(value);
    }
    client.once('ready', onReady);
  });
  // Connection errors are reported by the 'error' listener (watchErrors); this is only a trace.
  client
    .connect()
    .catch((error: unknown) => logger?.debug({ err: error }, 'redis first connect failed'));
  return ready;
}

/** Closes a client politely (QUIT), or drops the socket when Redis cannot answer. */
export async function closeClient(client: Redis | Cluster, logger?: Logger): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    // QUIT would wait for (or trigger) a connection; there is nothing to flush anyway.
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch (error) {
    logger?.debug({ err: error }, 'redis QUIT failed; disconnecting');
    client.disconnect();
  }
}

/**
 * Drops the connection after a command timed out and reconnects. ioredis keeps a timed-out command
 * in its reply queue, so when the network dropped the command (a blackholed link), the next reply
 * would be matched to it: another key's value. A fresh connection has an empty queue. On a Cluster
 * only the connection to the master of `key`'s slot is dropped (none without a key): the other
 * masters keep serving, and the Cluster reopens the dropped one on the next command for that slot.
 */
export function dropAfterTimeout(client: Redis | Cluster, key?: string): void {
  if (client.isCluster) {
    if (key !== undefined) dropClusterNode(client as Cluster, key);
    return;
  }
  if (client.status === 'ready' || client.status === 'connect') client.disconnect(true);
}

function dropClusterNode(client: Cluster, key: string): void {
  const nodeKey = client.slots[calculateSlot(key)]?.[0];
  const node = client
    .nodes('master')
    .find((n) => `${n.options.host}:${n.options.port}` === nodeKey);
  // A Cluster's node connections do not reconnect themselves: closed, it leaves the pool.
  node?.disconnect();
}
