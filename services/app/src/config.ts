import { z } from 'zod';
import { AppError } from './errors.ts';

/** Cache strategies the app server can run, chosen by CACHE_MODE. */
export const CACHE_MODES = [
  'none',
  'local',
  'local-disk',
  'global',
  'global-cluster',
  'global-sharded',
  'two-tier',
] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

/** How writes reach the cache (CONSISTENCY): see services/app/src/consistency/. */
export const CONSISTENCY_MODES = ['ttl', 'delete', 'lease', 'outbox', 'outbox+lease'] as const;
export type ConsistencyName = (typeof CONSISTENCY_MODES)[number];

/** Cache modes with a shared Redis tier, the only ones leases and tombstones can live in. */
export const SHARED_CACHE_MODES: readonly CacheMode[] = [
  'global',
  'global-cluster',
  'global-sharded',
  'two-tier',
];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** `a:1=b:2,c:3=d:4` → { 'a:1': { host: 'b', port: 2 }, … }; each side must be host:port. */
const natMap = z.string().transform((text, ctx) => {
  const map: Record<string, { host: string; port: number }> = {};
  for (const pair of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [from = '', to = '', ...rest] = pair.split('=');
    if (rest.length > 0 || !HOST_PORT.test(from) || !HOST_PORT.test(to)) {
      ctx.addIssue({ code: 'custom', message: `'${pair}' is not announced-host:port=host:port` });
      return z.NEVER;
    }
    const cut = to.lastIndexOf(':');
    map[from] = { host: to.slice(0, cut), port: Number(to.slice(cut + 1)) };
  }
  return map;
});

/**
 * Every environment variable the app server reads, with its documented default.
 * This is the only place that reads process.env for the app.
 */
const envSchema = z.object({
  /** Identity reported in X-Served-By and the `server` metric label. */
  SERVER_ID: z.string().min(1).max(64).default('app-1'),
  /** Topology name, used only as a metric label. */
  TOPOLOGY: z.string().min(1).max(64).default('adhoc'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  /** Postgres connection string. */
  DATABASE_URL: z.string().url().default('postgres://cachelab@127.0.0.1:5432/cachelab'),
  DB_POOL_SIZE: int(1, 200).default(10),
  DB_STATEMENT_TIMEOUT_MS: int(10, 600_000).default(2_000),
  DB_CONNECT_TIMEOUT_MS: int(10, 60_000).default(1_000),
  CACHE_MODE: z.enum(CACHE_MODES).default('none'),
  /** Single Redis (global, two-tier): redis://host:port. */
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Cluster seed nodes or independent shards, as host:port,host:port. */
  REDIS_NODES: csv.default([]),
  /**
   * Redis Cluster: where to dial the addresses the nodes announce, as `announced=dialled` host:port
   * pairs (comma-separated), e.g. `redis-1:6379=fault-proxy:21003` behind a fault proxy. Slot maps,
   * MOVED and ASK all go through it; unlisted addresses are dialled as announced.
   */
  REDIS_NAT_MAP: natMap.default(() => ({})),
  /** two-tier: use a Redis Cluster (REDIS_NODES) as L2 instead of REDIS_URL. */
  L2_CLUSTER: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Password of every Redis node (requirepass); empty for none. */
  REDIS_PASSWORD: z.string().max(512).optional(),
  REDIS_COMMAND_TIMEOUT_MS: int(1, 60_000).default(100),
  REDIS_CONNECT_TIMEOUT_MS: int(1, 60_000).default(500),
  CACHE_TTL_MS: int(1, 86_400_000).default(300_000),
  /** TTL jitter as a fraction: each entry lives TTL × (1 ± jitter/2). */
  CACHE_TTL_JITTER: z.coerce.number().min(0).max(1).default(0.1),
  L1_MAX_ENTRIES: int(1, 10_000_000).default(10_000),
  L1_MAX_BYTES: int(1024, 16 * 1024 ** 3).default(256 * 1024 ** 2),
  DISK_CACHE_PATH: z.string().min(1).default('./.lab/disk-cache/app-1'),
  DISK_MAX_ENTRIES: int(1, 100_000_000).default(100_000),
  /** ttl | delete | lease | outbox | outbox+lease; lease and outbox need a shared cache mode. */
  CONSISTENCY: z.enum(CONSISTENCY_MODES).default('delete'),
  /** Lifetime of a fill lease: a filler that dies frees the key after this long. */
  LEASE_TTL_MS: int(10, 60_000).default(3_000),
  /**
   * How long a miss on a key another server is filling waits for that fill before reading through
   * without filling: a few tens of ms, so a slow or dead filler never holds a read up for long.
   */
  LEASE_WAIT_MS: int(0, 10_000).default(40),
  /** First poll period of that wait (doubling up to 20 ms, never past the wait). */
  LEASE_POLL_MS: int(1, 1_000).default(5),
  /** Lifetime of an outbox tombstone; must outlast the longest load (DB connect + statement timeouts). */
  TOMBSTONE_TTL_MS: int(100, 600_000).default(10_000),
  /**
   * outbox modes: how long a write retries its own tombstone before it is acknowledged anyway (the
   * invalidator then applies it), so a blip (a timeout, a re-dialled connection) does not acknowledge
   * a write before its invalidation; well under the clients' request timeout (the runner's is 2 s).
   */
  WRITE_INVALIDATE_WAIT_MS: int(0, 60_000).default(500),
  /**
   * outbox modes: for this long after a cache error, hits are checked against Postgres (one
   * primary-key query per hit) and one older than the row is read as a miss, while the invalidator
   * applies what the error delayed. 0 = off (the default: a query per hit costs the database most
   * right after an outage, when it is busiest).
   */
  VERIFY_HITS_AFTER_ERROR_MS: int(0, 600_000).default(0),
  /**
   * How long a write's Idempotency-Key is honoured at least: a repeat within it gets the first
   * response; older keys are deleted by the write path (a bounded batch per write).
   */
  IDEMPOTENCY_RETENTION_MS: int(1_000, 604_800_000).default(600_000),
  /** Stale-if-error: serve the last known value up to TTL + this long when Postgres fails (0 = off). */
  GRACE_MS: int(0, 86_400_000).default(0),
  /** Bytes of last known values each server keeps in process for grace. */
  GRACE_LOCAL_MAX_BYTES: int(0, 16 * 1024 ** 3).default(64 * 1024 ** 2),
  /** Period of the sampled staleness audit (0 = off). */
  AUDIT_INTERVAL_MS: int(0, 3_600_000).default(2_000),
  /** Keys compared with Postgres per audit round. */
  AUDIT_SAMPLE: int(1, 1_000).default(8),
  /**
   * two-tier: where the invalidation-bus subscriber connects (host:port or redis:// each, tried in
   * turn after each drop), e.g. a fault proxy of this server's own; empty = the L2's REDIS_URL, or
   * REDIS_NODES with L2_CLUSTER. Publishing stays on the L2 connection.
   */
  INVALIDATION_BUS_NODES: csv.default([]),
  /** Two-tier invalidation channel. */
  INVALIDATION_CHANNEL: z.string().min(1).default('cachelab:invalidate'),
  /** Highest valid profile id; ids outside 1..MAX_PROFILE_ID are 400. */
  MAX_PROFILE_ID: int(1, 2_147_483_647).default(2_147_483_647),
  SHUTDOWN_GRACE_MS: int(0, 120_000).default(10_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

/** The validated app configuration. */
export type AppConfig = z.infer<typeof envSchema>;

/** Parses and validates the environment once; an invalid value throws naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): AppConfig {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(defined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new AppError('CONFIG_INVALID', `invalid configuration: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return checkCrossFields(parsed.data);
}

function checkCrossFields(config: AppConfig): AppConfig {
  const needsNodes =
    config.CACHE_MODE === 'global-cluster' ||
    config.CACHE_MODE === 'global-sharded' ||
    (config.CACHE_MODE === 'two-tier' && config.L2_CLUSTER);
  if (needsNodes && config.REDIS_NODES.length === 0) {
    invalid(`REDIS_NODES: required for CACHE_MODE=${config.CACHE_MODE}`);
  }
  if (config.INVALIDATION_BUS_NODES.length > 0 && config.CACHE_MODE !== 'two-tier') {
    invalid(`INVALIDATION_BUS_NODES: only two-tier has a bus, got CACHE_MODE=${config.CACHE_MODE}`);
  }
  checkConsistency(config);
  return config;
}

/** Leases and tombstones live in a shared tier; a tombstone must outlive the longest load. */
function checkConsistency(config: AppConfig): void {
  const sharedOnly = config.CONSISTENCY === 'lease' || config.CONSISTENCY.startsWith('outbox');
  if (sharedOnly && !SHARED_CACHE_MODES.includes(config.CACHE_MODE)) {
    invalid(
      `CONSISTENCY: ${config.CONSISTENCY} needs a shared cache (CACHE_MODE=${SHARED_CACHE_MODES.join('|')}), got CACHE_MODE=${config.CACHE_MODE}`,
    );
  }
  const longestLoad = config.DB_CONNECT_TIMEOUT_MS + config.DB_STATEMENT_TIMEOUT_MS + 1_000;
  if (config.CONSISTENCY.startsWith('outbox') && config.TOMBSTONE_TTL_MS <= longestLoad) {
    invalid(
      `TOMBSTONE_TTL_MS: must exceed DB_CONNECT_TIMEOUT_MS + DB_STATEMENT_TIMEOUT_MS + 1000 (${longestLoad})`,
    );
  }
}

function invalid(problem: string): never {
  throw new AppError('CONFIG_INVALID', `invalid configuration: ${problem}`);
}
