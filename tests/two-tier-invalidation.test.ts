import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxyHandle, startFaultProxyProcess } from '../lab/run/processes/fault-proxy.ts';
import { faultProxyApi, listenPort } from '../lab/run/processes/fault-proxy-api.ts';
import { type RedisNode, startRedis } from '../lab/run/processes/redis.ts';
import { type RedisCluster, startRedisCluster } from '../lab/run/processes/redis-cluster-nodes.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import {
  createInvalidationBus,
  type Publisher,
} from '../services/app/src/cache/invalidation-bus.ts';
import { createLocalLruCache } from '../services/app/src/cache/local-lru.ts';
import {
  createRecordingObserver,
  type RecordingObserver,
} from '../services/app/src/cache/recording-observer.ts';
import {
  clusterPublisher,
  createRedisClusterCache,
} from '../services/app/src/cache/redis-cluster.ts';
import { createRedisCache } from '../services/app/src/cache/redis-single.ts';
import { createTwoTierCache, type TwoTierCache } from '../services/app/src/cache/two-tier.ts';

/** Upper bound on how long another server may keep serving an invalidated L1 entry. */
const PROPAGATION_BOUND_MS = 200;
/** B stays unsubscribed this long after a drop, so an invalidation surely happens in the gap. */
const RECONNECT_DELAY_MS = 500;
const CHANNEL = 'cachelab:test-invalidate';
const TIMEOUTS = { commandTimeoutMs: 1_000, connectTimeoutMs: 2_000 };

interface Server {
  cache: TwoTierCache;
  observer: RecordingObserver;
}

let runDir = '';
let redis: RedisNode;
let cluster: RedisCluster;
let admin: Redis;
let proxy: FaultProxyHandle | undefined;
const servers: Server[] = [];

/** A two-tier "server" over the single Redis, or over the cluster (L2_CLUSTER). */
async function startServer(
  l2Kind: 'single' | 'cluster',
  reconnectDelayMs?: number,
  subscribeTo?: string[],
  extra: { wrap?: (publisher: Publisher) => Publisher; channel?: string } = {},
): Promise<Server> {
  const wrap = extra.wrap ?? ((publisher: Publisher) => publisher);
  const observer = createRecordingObserver();
  const name = 'two-tier-l2';
  const l2 =
    l2Kind === 'single'
      ? await createRedisCache({ ...TIMEOUTS, url: redis.url, observer, name })
      : await createRedisClusterCache({ ...TIMEOUTS, seeds: cluster.seeds, observer, name });
  const bus = await createInvalidationBus({
    ...TIMEOUTS,
    publisher: wrap(l2.client),
    subscribeTo: subscribeTo ?? (l2Kind === 'single' ? [redis.url] : cluster.seeds),
    channel: extra.channel ?? CHANNEL,
    observer,
    ...(reconnectDelayMs === undefined ? {} : { reconnectDelayMs: () => reconnectDelayMs }),
  });
  const l1 = createLocalLruCache({ maxEntries: 1_000, maxBytes: 10_000_000, observer });
  const server = { cache: createTwoTierCache({ l1, l2, bus }), observer };
  servers.push(server);
  return server;
}

/** Resolves with the time `event` fires, or rejects after `boundMs`. */
function within<T>(boundMs: number, what: string, subscribe: (done: (v: T) => void) => void) {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not within ${boundMs} ms`)), boundMs);
    subscribe((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

beforeAll(async () => {
  runDir = await makeRunDir('cachelab-two-tier');
  [redis, cluster] = await Promise.all([startRedis({ runDir }), startRedisCluster({ runDir })]);
  admin = new Redis(redis.url, { lazyConnect: true });
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.cache.close()));
  await proxy?.stop();
  await admin?.quit();
  await redis?.stop();
  await cluster?.stop();
  await removeRunDir(runDir);
});

describe('two-tier invalidation across servers', () => {
  it.each(['single', 'cluster'] as const)(
    `over %s Redis: B drops an entry A invalidates within ${PROPAGATION_BOUND_MS} ms`,
    async (kind) => {
      const [a, b] = [await startServer(kind), await startServer(kind)];
      const delays: number[] = [];
      for (let round = 0; round < 20; round += 1) {
        const key = `profile:${kind}:${round}`;
        await a.cache.set(key, Buffer.from(`v1-${round}`), 60_000);
        expect((await b.cache.get(key))?.tier).toBe('l2');
        expect((await b.cache.get(key))?.tier).toBe('l1');
        const received = within<number>(PROPAGATION_BOUND_MS, 'B receipt', (done) =>
          b.cache.bus.onInvalidate((k) => k === key && done(performance.now())),
        );
        const started = performance.now();
        await a.cache.invalidate(key);
        delays.push((await received) - started);
        expect(await b.cache.get(key)).toBeUndefined();
        expect(await a.cache.get(key)).toBeUndefined();
      }
      delays.sort((x, y) => x - y);
      const ms = (v: number | undefined) => `${(v ?? Number.NaN).toFixed(2)} ms`;
      console.info(
        `two-tier over ${kind} Redis, delay A.invalidate → B drop: p50 ${ms(delays[10])}, max ${ms(delays[19])}`,
      );
    },
  );

  it('a subscriber drop clears L1 and B never serves an entry invalidated during the gap', async () => {
    const [a, b] = [await startServer('single'), await startServer('single', RECONNECT_DELAY_MS)];
    const key = 'profile:gap';
    await a.cache.set(key, Buffer.from('v1'), 60_000);
    await b.cache.get(key);
    expect((await b.cache.get(key))?.tier).toBe('l1');

    const dropped = within(2_000, 'B disconnect', (done) =>
      b.cache.bus.onDisconnect(() => done(0)),
    );
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await dropped;
    expect(b.cache.bus.subscribed).toBe(false);
    expect(b.cache.localStats()?.entries).toBe(0);

    // A writes while B is deaf: B misses the message, and must not serve v1 afterwards.
    const receivedBefore = b.observer.invalidations.received;
    await a.cache.invalidate(key);
    await a.cache.set(key, Buffer.from('v2'), 60_000);
    expect(b.observer.invalidations.received).toBe(receivedBefore);
    const during = await b.cache.get(key);
    expect(during?.value.toString()).toBe('v2');
    // While down, B reads through to L2 and does not fill L1.
    expect(during?.tier).toBe('l2');
    expect(b.cache.localStats()?.entries).toBe(0);

    const back = within(RECONNECT_DELAY_MS + 2_000, 'B resubscribed', (done) =>
      b.cache.bus.onResubscribed(() => done(0)),
    );
    await back;
    const hit = await b.cache.get(key);
    expect(hit?.value.toString()).toBe('v2');
    expect((await b.cache.get(key))?.tier).toBe('l1');
  });

  it('A acknowledges an invalidation only once B has dropped the key, however slow B hears it', async () => {
    proxy = await startFaultProxyProcess({ runDir });
    const api = faultProxyApi(proxy.url);
    const upstream = `127.0.0.1:${new URL(redis.url).port}`;
    const [slow] = await api.populate([{ name: 'bus-b', listen: '127.0.0.1:0', upstream }]);
    const slowLink = `127.0.0.1:${listenPort(slow?.listen ?? '')}`;
    const latency = { name: 'slow', type: 'latency', stream: 'downstream' };
    await api.addToxic('bus-b', { ...latency, attributes: { latency: 80, jitter: 0 } });
    const [a, b] = [await startServer('single'), await startServer('single', 50, [slowLink])];
    const key = 'profile:acked';
    await a.cache.set(key, Buffer.from('v1'), 60_000);
    await b.cache.get(key);
    expect((await b.cache.get(key))?.tier).toBe('l1');
    let droppedAt: number | undefined;
    b.cache.bus.onInvalidate((k) => {
      if (k === key) droppedAt ??= performance.now();
    });
    await a.cache.invalidate(key);
    const ackedAt = performance.now();
    // Without the wait A would return at once and B drop 80 ms later.
    expect(droppedAt).toBeDefined();
    expect(droppedAt ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(ackedAt);
    expect(a.observer.invalidations.confirmed).toBe(1);
    expect(a.observer.invalidations.unconfirmed).toBe(0);

    // A subscriber that never hears holds the write back only for the command timeout, and is counted.
    await api.addToxic('bus-b', { name: 'deaf', type: 'timeout', attributes: { timeout: 0 } });
    const started = performance.now();
    await a.cache.invalidate('profile:unheard');
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(TIMEOUTS.commandTimeoutMs - 5);
    expect(waited).toBeLessThan(TIMEOUTS.commandTimeoutMs + 500);
    expect(a.observer.invalidations.unconfirmed).toBe(1);
  });

  it('on a Cluster, waits for the subscribers of every node, which PUBLISH alone does not count', async () => {
    const observer = createRecordingObserver();
    const l2 = await createRedisClusterCache({ ...TIMEOUTS, seeds: cluster.seeds, observer });
    // A channel of its own: the servers of the other tests still listen on theirs.
    const channel = `${CHANNEL}:counted`;
    // The three nodes created as masters (a replica is counted once the client's slot map lists it).
    const subscribers = [0, 1, 2]
      .map((i) => cluster.seeds[i] ?? '')
      .map((seed) => {
        const [host, port] = seed.split(':');
        return new Redis({ host, port: Number(port), lazyConnect: true });
      });
    try {
      for (const subscriber of subscribers) {
        await subscriber.connect();
        await subscriber.subscribe(channel);
      }
      // Three subscribers on three nodes: any one node that takes a PUBLISH counts at most one.
      expect(await l2.client.publish(channel, 'profile:counted')).toBeLessThanOrEqual(1);
      expect(await clusterPublisher(l2.client).subscriberCount?.(channel)).toBe(3);
    } finally {
      for (const subscriber of subscribers) subscriber.disconnect();
      await l2.close();
    }
  });

  it('a receiver that cannot acknowledge, or a count that fails, costs the timeout or falls back, counted', async () => {
    const failing = new Error('injected');
    // B drops the key but its acknowledgement cannot be published.
    const mute = (p: Publisher): Publisher => ({
      publish: (channel, message) =>
        channel.includes(':ack:') ? Promise.reject(failing) : p.publish(channel, message),
    });
    // A's subscriber count fails: it waits for PUBLISH's own count instead.
    const blind = (p: Publisher): Publisher => ({
      publish: (channel, message) => p.publish(channel, message),
      subscriberCount: () => Promise.reject(failing),
    });
    // A channel of its own: servers of the other tests still listen (one of them deaf) on theirs.
    const channel = `${CHANNEL}:failing`;
    const a = await startServer('single', undefined, undefined, { wrap: blind, channel });
    const b = await startServer('single', undefined, undefined, { wrap: mute, channel });
    const started = performance.now();
    await a.cache.invalidate('profile:unacknowledged');
    expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUTS.commandTimeoutMs - 5);
    expect(a.observer.invalidations.unconfirmed).toBe(1);
    expect(b.observer.errors.some((e) => e.error === failing)).toBe(true);
    expect(a.observer.errors.some((e) => e.error === failing)).toBe(true);
    // Without B, PUBLISH's count (A alone) is met at once.
    await b.cache.close();
    await a.cache.invalidate('profile:alone');
    expect(a.observer.invalidations.confirmed).toBe(1);
  });
});
