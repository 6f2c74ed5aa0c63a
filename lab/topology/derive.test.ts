import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/app/src/config.ts';
import { isLabError } from '../lab-errors.ts';
import { type AppEnvContext, appServerEnv } from './app-env.ts';
import { CATALOG, getTopology, topologyNames } from './catalog.ts';
import { validateTopology } from './schema.ts';

const ctx = (index: number): AppEnvContext => ({
  index,
  port: 30_000 + index,
  databaseUrl: 'postgres://cachelab:cachelab@127.0.0.1:5999/cachelab',
  redis: { url: 'redis://127.0.0.1:6999', nodes: ['127.0.0.1:7001', '127.0.0.1:7002'] },
  diskCacheDir: '/run/x/disk',
});

describe('catalog', () => {
  it('holds the nine topologies, each valid, with unique names and a question', () => {
    expect(topologyNames()).toEqual([
      'no-cache',
      'local',
      'local-hash',
      'local-disk',
      'local-single',
      'global',
      'global-cluster',
      'global-sharded',
      'two-tier',
    ]);
    for (const t of CATALOG) expect(validateTopology(t)).toEqual(t);
    expect(getTopology('local-single').appServers).toBe(1);
    expect(getTopology('global-cluster').redis).toEqual({
      kind: 'cluster',
      masters: 3,
      replicasPerMaster: 1,
    });
  });

  it('refuses an unknown name with TOPOLOGY_UNKNOWN listing the valid names', () => {
    const error = (() => {
      try {
        getTopology('nope');
      } catch (e) {
        return e;
      }
    })();
    expect(isLabError(error) && error.code).toBe('TOPOLOGY_UNKNOWN');
    expect(String((error as Error).message)).toContain('no-cache, local, local-hash');
  });

  it('rejects a cache mode without the Redis layout it needs', () => {
    const bad = { ...getTopology('global'), redis: { kind: 'none' } };
    expect(() => validateTopology(bad)).toThrow(/needs redis.kind 'single'/);
    const cluster = getTopology('two-tier');
    cluster.cache.l2Cluster = true;
    expect(() => validateTopology(cluster)).toThrow(/needs redis.kind 'cluster'/);
  });
});

describe('appServerEnv', () => {
  it('derives the cache mode and Redis endpoints from the model', () => {
    const none = appServerEnv(getTopology('local'), ctx(0));
    expect(none).toMatchObject({ CACHE_MODE: 'local', SERVER_ID: 'app-1', PORT: '30000' });
    expect(none.REDIS_URL).toBeUndefined();
    expect(none.REDIS_NODES).toBeUndefined();
    const global = appServerEnv(getTopology('global'), ctx(1));
    expect(global).toMatchObject({ CACHE_MODE: 'global', REDIS_URL: 'redis://127.0.0.1:6999' });
    expect(global.REDIS_NODES).toBeUndefined();
    const cluster = appServerEnv(getTopology('global-cluster'), ctx(2));
    expect(cluster).toMatchObject({ CACHE_MODE: 'global-cluster', SERVER_ID: 'app-3' });
    expect(cluster.REDIS_NODES).toBe('127.0.0.1:7001,127.0.0.1:7002');
    expect(appServerEnv(getTopology('global-sharded'), ctx(0)).CACHE_MODE).toBe('global-sharded');
  });

  it('gives a cluster its NAT map, and refuses one for any other Redis layout', () => {
    const natMap = { '127.0.0.1:7001': 'fault-proxy:21003' };
    const withMap = { ...ctx(0), redis: { ...ctx(0).redis, natMap } };
    const cluster = appServerEnv(getTopology('global-cluster'), withMap);
    expect(cluster.REDIS_NAT_MAP).toBe('127.0.0.1:7001=fault-proxy:21003');
    expect(appServerEnv(getTopology('global-cluster'), ctx(0)).REDIS_NAT_MAP).toBeUndefined();
    expect(() => appServerEnv(getTopology('global-sharded'), withMap)).toThrow(/NAT map/);
  });

  it('follows a change of the model', () => {
    const t = getTopology('two-tier');
    t.cache.ttlMs = 1234;
    t.postgres.poolSizePerServer = 7;
    const env = appServerEnv(t, ctx(0));
    expect(env).toMatchObject({ CACHE_TTL_MS: '1234', DB_POOL_SIZE: '7', L2_CLUSTER: 'false' });
    t.cache.l2Cluster = true;
    t.redis = { kind: 'cluster', masters: 3, replicasPerMaster: 1 };
    expect(appServerEnv(t, ctx(0))).toMatchObject({
      L2_CLUSTER: 'true',
      REDIS_NODES: expect.any(String),
    });
  });

  it('produces an environment the app server accepts, for every topology and server', () => {
    for (const t of CATALOG) {
      const dirs = new Set<string>();
      for (let i = 0; i < t.appServers; i++) {
        const config = loadConfig(appServerEnv(t, ctx(i)));
        expect(config.CACHE_MODE).toBe(t.cache.mode);
        expect(config.TOPOLOGY).toBe(t.name);
        dirs.add(config.DISK_CACHE_PATH);
      }
      expect(dirs.size).toBe(t.appServers);
    }
  });

  it('refuses a context without the Redis endpoints the topology needs', () => {
    expect(() => appServerEnv(getTopology('global'), { ...ctx(0), redis: {} })).toThrow(
      /needs a Redis URL/,
    );
  });
});
