import { describe, expect, it } from 'vitest';
import { busAddresses } from '../../services/app/src/cache/create-cache.ts';
import { loadConfig } from '../../services/app/src/config.ts';
import { isLabError } from '../lab-errors.ts';
import { type AppEnvContext, appServerEnv } from './app-env.ts';
import { CATALOG, getTopology } from './catalog.ts';
import type { Topology } from './model.ts';
import { NETWORK_PROFILE_NAMES } from './network.ts';
import {
  busHopName,
  busProxies,
  faultProxies,
  proxiesTargeted,
  withNetwork,
} from './network-proxies.ts';
import { validateTopology } from './schema.ts';

const upstreams = {
  app: (i: number) => `127.0.0.1:${30_000 + i}`,
  redis: (i: number) => `127.0.0.1:${31_000 + i}`,
  postgres: '127.0.0.1:5432',
};

/** two-tier with its L2 on a Redis Cluster of 3 masters + 3 replicas (the model allows it). */
function twoTierCluster(): Topology {
  const t = getTopology('two-tier');
  return validateTopology({
    ...t,
    cache: { ...t.cache, l2Cluster: true },
    redis: { kind: 'cluster', masters: 3, replicasPerMaster: 1 },
  });
}

const busNames = (t: Topology) =>
  faultProxies(t, upstreams)
    .filter((p) => p.bus !== undefined)
    .map((p) => p.name);

describe('bus proxies: one invalidation-bus hop per app server', () => {
  it('exist for two-tier under every profile but loopback, one per server, to its Redis', () => {
    for (const profile of NETWORK_PROFILE_NAMES) {
      const t = withNetwork(getTopology('two-tier'), { profile });
      if (profile === 'loopback') {
        expect(faultProxies(t, upstreams)).toEqual([]);
        continue;
      }
      const proxies = faultProxies(t, upstreams);
      const bus = proxies.filter((p) => p.bus !== undefined);
      expect(bus.map((p) => [p.name, p.hop, p.upstream, p.bus])).toEqual([
        ['bus-app-1', 'app-redis', '127.0.0.1:31000', { app: 'app-1', node: 'redis-1' }],
        ['bus-app-2', 'app-redis', '127.0.0.1:31000', { app: 'app-2', node: 'redis-1' }],
        ['bus-app-3', 'app-redis', '127.0.0.1:31000', { app: 'app-3', node: 'redis-1' }],
      ]);
      const redisHop = proxies.find((p) => p.name === 'redis-1');
      for (const p of bus) expect(p.toxics).toEqual(redisHop?.toxics);
      // Appended after the others, so every proxy that existed before keeps its place (compose ports).
      expect(proxies.slice(0, -3).map((p) => p.name)).toEqual([
        'app-1',
        'app-2',
        'app-3',
        'redis-1',
        'postgres',
      ]);
    }
  });

  it('do not exist for topologies without a bus, sharded and cluster ones included', () => {
    for (const base of CATALOG.filter((t) => t.cache.mode !== 'two-tier')) {
      const t = withNetwork(base, { profile: 'lan' });
      expect(busNames(t), t.name).toEqual([]);
      expect(busProxies(t, 0, upstreams.redis)).toEqual([]);
    }
    // two-tier cannot sit on client-side shards: the model refuses it, so there is no sharded bus.
    const sharded = { ...getTopology('two-tier'), redis: { kind: 'shards', count: 3 } };
    expect(() => validateTopology(sharded)).toThrow(/needs redis.kind 'single'/);
  });

  it('over a Redis Cluster: one per server and node, so the subscriber can rotate', () => {
    const t = withNetwork(twoTierCluster(), { profile: 'same-az' });
    const names = busNames(t);
    expect(names).toHaveLength(3 * 6);
    expect(names.slice(0, 6)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `bus-app-1-redis-${n}`));
    const ofApp2 = busProxies(t, 1, upstreams.redis);
    expect(ofApp2.map((p) => p.upstream)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => upstreams.redis(i)),
    );
    expect(busHopName(1)).toBe('bus-app-2');
  });

  it('are what a toxic target names: a server bus, a node with its bus proxies, the hop', () => {
    const single = faultProxies(
      withNetwork(getTopology('two-tier'), { profile: 'lan' }),
      upstreams,
    );
    expect(proxiesTargeted(single, 'bus-app-2')).toEqual(['bus-app-2']);
    expect(proxiesTargeted(single, 'redis-1')).toEqual([
      'redis-1',
      'bus-app-1',
      'bus-app-2',
      'bus-app-3',
    ]);
    expect(proxiesTargeted(single, 'app-2')).toEqual(['app-2']);
    expect(proxiesTargeted(single, 'app-redis')).toEqual([
      'redis-1',
      'bus-app-1',
      'bus-app-2',
      'bus-app-3',
    ]);
    expect(proxiesTargeted(single, 'bus-app-9')).toBeUndefined();
    const cluster = faultProxies(withNetwork(twoTierCluster(), { profile: 'lan' }), upstreams);
    expect(proxiesTargeted(cluster, 'bus-app-3')).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => `bus-app-3-redis-${n}`),
    );
    expect(proxiesTargeted(cluster, 'redis-4')).toEqual([
      'redis-4',
      'bus-app-1-redis-4',
      'bus-app-2-redis-4',
      'bus-app-3-redis-4',
    ]);
    const global = faultProxies(withNetwork(getTopology('global'), { profile: 'lan' }), upstreams);
    expect(proxiesTargeted(global, 'nginx-app')).toEqual(['app-1', 'app-2', 'app-3']);
    expect(proxiesTargeted(global, 'bus-app-1')).toBeUndefined();
  });
});

describe('the bus address in the app environment', () => {
  const ctx = (index: number, bus?: string[]): AppEnvContext => ({
    index,
    databaseUrl: 'postgres://cachelab@127.0.0.1:5999/cachelab',
    redis: { url: 'redis://127.0.0.1:6999', nodes: ['127.0.0.1:7001', '127.0.0.1:7002'] },
    diskCacheDir: '/tmp/disk',
    ...(bus ? { bus } : {}),
  });

  it('is the server bus proxy when given, and the L2 address when absent', () => {
    const t = getTopology('two-tier');
    const own = loadConfig(appServerEnv(t, ctx(1, ['127.0.0.1:4002'])));
    expect(own.INVALIDATION_BUS_NODES).toEqual(['127.0.0.1:4002']);
    expect(busAddresses(own)).toEqual(['127.0.0.1:4002']);
    expect(own.REDIS_URL).toBe('redis://127.0.0.1:6999');
    const shared = loadConfig(appServerEnv(t, ctx(1)));
    expect(appServerEnv(t, ctx(1)).INVALIDATION_BUS_NODES).toBeUndefined();
    expect(busAddresses(shared)).toEqual(['redis://127.0.0.1:6999']);
    const cluster = loadConfig(appServerEnv(twoTierCluster(), ctx(0)));
    expect(busAddresses(cluster)).toEqual(['127.0.0.1:7001', '127.0.0.1:7002']);
    const clusterBus = appServerEnv(twoTierCluster(), ctx(0, ['127.0.0.1:1', '127.0.0.1:2']));
    expect(busAddresses(loadConfig(clusterBus))).toEqual(['127.0.0.1:1', '127.0.0.1:2']);
  });

  it('is refused for a topology without a bus, by the lab and by the app', () => {
    let error: unknown;
    try {
      appServerEnv(getTopology('global'), ctx(0, ['127.0.0.1:4002']));
    } catch (e) {
      error = e;
    }
    expect(isLabError(error) && error.code).toBe('TOPOLOGY_INVALID');
    const env = { ...appServerEnv(getTopology('global'), ctx(0)), INVALIDATION_BUS_NODES: 'x:1' };
    expect(() => loadConfig(env)).toThrow(/INVALIDATION_BUS_NODES: only two-tier has a bus/);
  });
});
