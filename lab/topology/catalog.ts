import { LabError } from '../lab-errors.ts';
import type {
  CacheSettings,
  ConsistencySettings,
  LoadBalancing,
  RedisLayout,
  Topology,
} from './model.ts';
import { validateTopology } from './schema.ts';

const DEFAULT_CACHE: CacheSettings = {
  mode: 'none',
  ttlMs: 300_000,
  ttlJitter: 0.1,
  l1MaxEntries: 10_000,
  l1MaxBytes: 256 * 1024 ** 2,
  diskMaxEntries: 100_000,
  l2Cluster: false,
};
const DEFAULT_POSTGRES = { seedUsers: 10_000, poolSizePerServer: 10 };

/** Grace of the topologies that keep it on: a minute of database outage costs freshness, not answers. */
const GRACE_MS = 60_000;

/** Consistency of the topologies without a shared tier: only the writing server's copy can be deleted. */
const LOCAL_CONSISTENCY: ConsistencySettings = {
  mode: 'delete',
  why: 'No shared tier to hold a lease or a tombstone: a write deletes the copy of the server that took it, the others stay stale until their TTL, which is what these topologies show.',
  graceMs: 0,
  graceWhy:
    'Off: these topologies show a plain per-server cache, where a miss during a database outage is the JSON 503.',
};

/**
 * Consistency of the shared-cache topologies: outbox+lease, the mode the comparison recommends
 * (`cachelab compare --consistency ttl,delete,lease,outbox+lease`).
 */
const SHARED_CONSISTENCY: ConsistencySettings = {
  mode: 'outbox+lease',
  why: 'Invalidations come from the commit (a failed DEL is retried by the invalidator) and only the lease holder fills, so neither a failover nor the read/write race leaves a stale entry; leases also make a stampede one query.',
  graceMs: GRACE_MS,
  graceWhy:
    'On: every server can answer from the last known value kept beside the entry in Redis, so a database outage costs freshness (X-Cache: STALE, Age) instead of answers.',
};

interface Entry {
  name: string;
  question: string;
  mode: CacheSettings['mode'];
  redis: RedisLayout;
  loadBalancing?: LoadBalancing;
  appServers?: number;
}

function define(entry: Entry): Topology {
  const shared = entry.redis.kind !== 'none';
  return validateTopology({
    name: entry.name,
    question: entry.question,
    loadBalancing: entry.loadBalancing ?? 'round-robin',
    appServers: entry.appServers ?? 3,
    cache: { ...DEFAULT_CACHE, mode: entry.mode },
    consistency: { ...(shared ? SHARED_CONSISTENCY : LOCAL_CONSISTENCY) },
    redis: entry.redis,
    postgres: { ...DEFAULT_POSTGRES },
  });
}

const NONE: RedisLayout = { kind: 'none' };
const SINGLE: RedisLayout = { kind: 'single' };

/** Every topology the lab can run, in the order they are listed and compared. */
export const CATALOG: readonly Topology[] = Object.freeze([
  define({
    name: 'no-cache',
    question: 'What does every read cost when it goes to Postgres? (the baseline)',
    mode: 'none',
    redis: NONE,
  }),
  define({
    name: 'local',
    question: 'How far does a RAM LRU per server go when requests are spread round-robin?',
    mode: 'local',
    redis: NONE,
  }),
  define({
    name: 'local-hash',
    question:
      'Does routing each profile to one server (consistent hash) make N local caches act as one?',
    mode: 'local',
    redis: NONE,
    loadBalancing: 'consistent-hash',
  }),
  define({
    name: 'local-disk',
    question: 'Is a local on-disk cache (LMDB) a cheaper, larger L1 than RAM?',
    mode: 'local-disk',
    redis: NONE,
  }),
  define({
    name: 'local-single',
    question: 'What does redundancy cost? One app server with a local cache, no balancing choices.',
    mode: 'local',
    redis: NONE,
    appServers: 1,
  }),
  define({
    name: 'global',
    question:
      'What does one shared Redis buy over local caches, and what does the network hop cost?',
    mode: 'global',
    redis: SINGLE,
  }),
  define({
    name: 'global-cluster',
    question: 'What do Redis Cluster (3 masters + 3 replicas) redirections and failover cost?',
    mode: 'global-cluster',
    redis: { kind: 'cluster', masters: 3, replicasPerMaster: 1 },
  }),
  define({
    name: 'global-sharded',
    question: 'Is client-side consistent hashing over 3 plain Redis servers as good as a cluster?',
    mode: 'global-sharded',
    redis: { kind: 'shards', count: 3 },
  }),
  define({
    name: 'two-tier',
    question: 'Does a RAM L1 over a Redis L2 with pub/sub invalidation get the best of both?',
    mode: 'two-tier',
    redis: SINGLE,
  }),
]);

/** The names of the catalog topologies, in catalog order. */
export function topologyNames(): string[] {
  return CATALOG.map((t) => t.name);
}

/** The catalog topology called `name`; throws TOPOLOGY_UNKNOWN listing the valid names. */
export function getTopology(name: string): Topology {
  const found = CATALOG.find((t) => t.name === name);
  if (!found) {
    throw new LabError(
      'TOPOLOGY_UNKNOWN',
      `unknown topology '${name}'; valid names: ${topologyNames().join(', ')}`,
      { details: { name, valid: topologyNames() } },
    );
  }
  return structuredClone(found);
}
