import { join } from 'node:path';
import { LabError } from '../lab-errors.ts';
import type { Topology } from './model.ts';

/** Where the shared cache of a running topology answers; which fields are set follows topology.redis. */
export interface RedisEndpoints {
  /** Single Redis (global, two-tier): redis://host:port. */
  url?: string;
  /** Cluster seed nodes or independent shards: host:port each. */
  nodes?: readonly string[];
  /** Cluster only: where to dial each address the nodes announce (announced host:port → host:port). */
  natMap?: Readonly<Record<string, string>>;
}

/** What appServerEnv needs to know about the running environment of server `index`. */
export interface AppEnvContext {
  /** 0-based server index; the server id is `app-<index + 1>`. */
  index: number;
  /** Listening port; omitted when the starter picks a free one (lab/run/processes startAppServer does). */
  port?: number;
  host?: string;
  databaseUrl: string;
  redis: RedisEndpoints;
  /**
   * Where this server's invalidation-bus subscriber connects (host:port each, its own fault proxies
   * under a network profile); absent: the L2 addresses in `redis`.
   */
  bus?: readonly string[] | undefined;
  /** Folder under which each local-disk server gets its own cache directory. */
  diskCacheDir: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** The server id of app server `index` (0-based), as reported in X-Served-By. */
export function appServerId(index: number): string {
  return `app-${index + 1}`;
}

function redisEnv(topology: Topology, redis: RedisEndpoints): Record<string, string> {
  const missing = (what: string): never => {
    throw new LabError(
      'TOPOLOGY_INVALID',
      `topology ${topology.name} needs ${what} (redis.kind ${topology.redis.kind})`,
    );
  };
  switch (topology.redis.kind) {
    case 'none':
      return {};
    case 'single':
      return { REDIS_URL: redis.url ?? missing('a Redis URL') };
    case 'cluster':
    case 'shards': {
      const nodes = redis.nodes?.length ? redis.nodes : missing('Redis node addresses');
      return { REDIS_NODES: nodes.join(','), ...natMapEnv(topology, redis.natMap) };
    }
  }
}

function natMapEnv(topology: Topology, natMap: RedisEndpoints['natMap']): Record<string, string> {
  const pairs = Object.entries(natMap ?? {}).map(([from, to]) => `${from}=${to}`);
  if (pairs.length === 0) return {};
  if (topology.redis.kind !== 'cluster') {
    throw new LabError(
      'TOPOLOGY_INVALID',
      `topology ${topology.name} has no Redis Cluster (redis.kind ${topology.redis.kind}), yet a NAT map was given`,
    );
  }
  return { REDIS_NAT_MAP: pairs.join(',') };
}

function busEnv(topology: Topology, bus: readonly string[] | undefined): Record<string, string> {
  if (!bus?.length) return {};
  if (topology.cache.mode !== 'two-tier') {
    throw new LabError(
      'TOPOLOGY_INVALID',
      `topology ${topology.name} has no invalidation bus (cache mode ${topology.cache.mode}), yet bus addresses were given`,
    );
  }
  return { INVALIDATION_BUS_NODES: bus.join(',') };
}

/** The environment of app server `ctx.index` of `topology` (every value the app reads, as strings). */
export function appServerEnv(topology: Topology, ctx: AppEnvContext): Record<string, string> {
  const serverId = appServerId(ctx.index);
  const { cache } = topology;
  return {
    SERVER_ID: serverId,
    TOPOLOGY: topology.name,
    HOST: ctx.host ?? '127.0.0.1',
    ...(ctx.port === undefined ? {} : { PORT: String(ctx.port) }),
    DATABASE_URL: ctx.databaseUrl,
    DB_POOL_SIZE: String(topology.postgres.poolSizePerServer),
    CACHE_MODE: cache.mode,
    ...redisEnv(topology, ctx.redis),
    ...busEnv(topology, ctx.bus),
    L2_CLUSTER: String(cache.l2Cluster),
    CACHE_TTL_MS: String(cache.ttlMs),
    CACHE_TTL_JITTER: String(cache.ttlJitter),
    L1_MAX_ENTRIES: String(cache.l1MaxEntries),
    L1_MAX_BYTES: String(cache.l1MaxBytes),
    DISK_CACHE_PATH: join(ctx.diskCacheDir, serverId),
    DISK_MAX_ENTRIES: String(cache.diskMaxEntries),
    CONSISTENCY: topology.consistency.mode,
    GRACE_MS: String(topology.consistency.graceMs),
    LOG_LEVEL: ctx.logLevel ?? 'info',
  };
}

/** True when `topology` runs the outbox invalidator beside its app servers. */
export function hasInvalidator(topology: Topology): boolean {
  return topology.consistency.mode.startsWith('outbox');
}

/** The invalidator's name (log, SERVER_ID, compose service). */
export const INVALIDATOR_NAME = 'invalidator';

/**
 * The environment of the outbox invalidator of `topology`: the app's cache and database settings
 * (same names, so it invalidates exactly the cache the servers fill) and its metrics port.
 */
export function invalidatorEnv(
  topology: Topology,
  ctx: Omit<AppEnvContext, 'index' | 'diskCacheDir'>,
): Record<string, string> {
  return {
    SERVER_ID: INVALIDATOR_NAME,
    TOPOLOGY: topology.name,
    HOST: ctx.host ?? '127.0.0.1',
    ...(ctx.port === undefined ? {} : { PORT: String(ctx.port) }),
    DATABASE_URL: ctx.databaseUrl,
    CACHE_MODE: topology.cache.mode,
    ...redisEnv(topology, ctx.redis),
    L2_CLUSTER: String(topology.cache.l2Cluster),
    CONSISTENCY: topology.consistency.mode,
    LOG_LEVEL: ctx.logLevel ?? 'info',
  };
}
