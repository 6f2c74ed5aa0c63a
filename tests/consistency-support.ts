import pg from 'pg';
import { type PostgresHandle, startPostgres } from '../lab/run/processes/postgres.ts';
import {
  type RedisNode,
  type RedisShards,
  startRedis,
  startRedisShards,
} from '../lab/run/processes/redis.ts';
import { type RedisCluster, startRedisCluster } from '../lab/run/processes/redis-cluster-nodes.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import type { CacheStrategy } from '../services/app/src/cache/cache-types.ts';
import { createCache } from '../services/app/src/cache/create-cache.ts';
import { profileKey } from '../services/app/src/cache/keys.ts';
import { readProfileVersion } from '../services/app/src/cache/profile-version.ts';
import {
  createRecordingObserver,
  type RecordingObserver,
} from '../services/app/src/cache/recording-observer.ts';
import { type AppConfig, type ConsistencyName, loadConfig } from '../services/app/src/config.ts';
import type {
  ConsistencyEvent,
  ConsistencyMode,
} from '../services/app/src/consistency/consistency-types.ts';
import { createConsistency } from '../services/app/src/consistency/create-consistency.ts';
import { invalidatedSince } from '../services/app/src/consistency/outbox-store.ts';
import {
  createReadThrough,
  type ReadResult,
  type ReadThrough,
} from '../services/app/src/consistency/read-through.ts';
import {
  createProfileRepository,
  type ProfileRepository,
} from '../services/app/src/db/profile-repository.ts';
import { applySchema, seedUsers } from '../services/app/src/db/setup.ts';
import { type WriteResult, writeProfile } from '../services/app/src/http/profile-write.ts';
import { createLogger } from '../services/app/src/logger.ts';

/** Members seeded for the consistency suites; each test takes ids of its own. */
export const CONSISTENCY_USERS = 600;

/** Shared-cache layouts every consistency mode must work on. */
export const LAYOUTS = ['global', 'global-cluster', 'global-sharded', 'two-tier'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** Postgres (schema + seed) and the three Redis layouts, started once per suite. */
export interface Infra {
  runDir: string;
  pg: PostgresHandle;
  redis: RedisNode;
  cluster: RedisCluster;
  shards: RedisShards;
  stop(): Promise<void>;
}

/** Starts every backend on free loopback ports; `stop` removes them and the run folder. */
export async function startInfra(prefix: string): Promise<Infra> {
  const runDir = await makeRunDir(prefix);
  const [postgres, redis, cluster, shards] = await Promise.all([
    startPostgres({ runDir }),
    startRedis({ runDir }),
    startRedisCluster({ runDir }),
    startRedisShards({ runDir, count: 3 }),
  ]);
  await applySchema(postgres.url);
  await seedUsers(postgres.url, CONSISTENCY_USERS);
  return {
    runDir,
    pg: postgres,
    redis,
    cluster,
    shards,
    async stop() {
      await Promise.allSettled([redis.stop(), cluster.stop(), shards.stop(), postgres.stop()]);
      await removeRunDir(runDir);
    },
  };
}

/** The app environment of a layout over the suite's backends. */
export function layoutEnv(infra: Infra, layout: Layout): Record<string, string> {
  switch (layout) {
    case 'global':
      return { CACHE_MODE: 'global', REDIS_URL: infra.redis.url };
    case 'global-cluster':
      return { CACHE_MODE: 'global-cluster', REDIS_NODES: infra.cluster.seeds.join(',') };
    case 'global-sharded':
      return { CACHE_MODE: 'global-sharded', REDIS_NODES: infra.shards.addresses.join(',') };
    case 'two-tier':
      return { CACHE_MODE: 'two-tier', REDIS_URL: infra.redis.url };
  }
}

/** A gate a test opens: a held load waits on it between loading and returning. */
export interface Gate {
  /** Resolves once the held load has read the database. */
  loaded: Promise<void>;
  release(): void;
}

/** One in-process app server: the app's own read and write paths over real backends. */
export interface TestServer {
  config: AppConfig;
  cache: CacheStrategy;
  mode: ConsistencyMode;
  readThrough: ReadThrough;
  repository: ProfileRepository;
  observer: RecordingObserver;
  events: ConsistencyEvent[];
  /** Database loads this server made. */
  loads(): number;
  read(id: number): Promise<ReadResult>;
  write(id: number, headline: string): Promise<WriteResult>;
  /** The next load of this server waits on the returned gate after reading the database. */
  holdNextLoad(): Gate;
  /** Versions of every tier's copy of a profile (markers excluded). */
  cachedVersions(id: number): Promise<number[]>;
  close(): Promise<void>;
}

const logger = createLogger({ level: 'silent', serverId: 'consistency-test' });

/** Builds a server of `layout` with `consistency`; `env` overrides any setting. */
export async function startTestServer(
  infra: Infra,
  layout: Layout,
  consistency: ConsistencyName,
  env: Record<string, string> = {},
  options: { busReconnectDelayMs?: number } = {},
): Promise<TestServer> {
  const config = loadConfig({
    ...layoutEnv(infra, layout),
    CONSISTENCY: consistency,
    DATABASE_URL: infra.pg.url,
    // Behaviour, not latency, on a shared 2-core box.
    REDIS_COMMAND_TIMEOUT_MS: '1000',
    LEASE_WAIT_MS: '5000',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const observer = createRecordingObserver();
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 4 });
  pool.on('error', () => {});
  const repository = createProfileRepository(pool);
  const catchUp = consistency.startsWith('outbox')
    ? (sinceMs: number) => invalidatedSince(pool, sinceMs)
    : undefined;
  const delay = options.busReconnectDelayMs;
  const busReconnectDelayMs = delay === undefined ? undefined : () => delay;
  const cache = await createCache(config, { observer, logger, catchUp, busReconnectDelayMs });
  const events: ConsistencyEvent[] = [];
  const mode = createConsistency(config, cache, { event: (event) => events.push(event) });
  const readThrough = createReadThrough({
    cache,
    ttlMs: config.CACHE_TTL_MS,
    jitter: 0,
    consistency: mode,
  });
  let loads = 0;
  let gate: { hold: Promise<void>; loaded: () => void } | undefined;
  const load = async (id: number) => {
    loads += 1;
    const body = await repository.loadProfileJson(id);
    const held = gate;
    gate = undefined;
    if (held !== undefined) {
      held.loaded();
      await held.hold;
    }
    return body;
  };
  const deps = { repository, readThrough, consistency: mode, logger };
  return {
    config,
    cache,
    mode,
    readThrough,
    repository,
    observer,
    events,
    loads: () => loads,
    read: (id) => readThrough.read(profileKey(id), () => load(id)),
    async write(id, headline) {
      const written = await writeProfile(deps, id, { headline });
      if (written === undefined) throw new Error(`profile ${id} does not exist`);
      return written;
    },
    holdNextLoad() {
      let release = () => {};
      let loaded = () => {};
      const hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      const loadedPromise = new Promise<void>((resolve) => {
        loaded = resolve;
      });
      const mine = { hold, loaded };
      gate = mine;
      return {
        loaded: loadedPromise,
        release() {
          // A gate no load took (another server filled first) must not hold a later test's load.
          if (gate === mine) gate = undefined;
          release();
        },
      };
    },
    async cachedVersions(id) {
      const copies = (await cache.peek?.(profileKey(id))) ?? [];
      return copies.map((copy) => readProfileVersion(copy.value) ?? -1);
    },
    async close() {
      await cache.close();
      await pool.end();
    },
  };
}

/** Polls `probe` every 10 ms until it returns true, or throws after `timeoutMs`. */
export async function until(
  what: string,
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
) {
  const deadline = performance.now() + timeoutMs;
  for (let attempt = 0; attempt < 1_000_000; attempt++) {
    if (await probe()) return;
    if (performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Hands out profile ids no other test of the suite uses. */
export function idAllocator(first = 1): () => number {
  let next = first;
  return () => {
    if (next > CONSISTENCY_USERS) throw new Error('out of seeded profile ids');
    return next++;
  };
}
