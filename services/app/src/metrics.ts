import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type {
  CacheObserver,
  CacheOperation,
  CacheOperationResult,
  CacheResult,
  CacheTier,
  LocalTierStats,
} from './cache/cache-types.ts';
import { type ConsistencyMetrics, createConsistencyMetrics } from './consistency-metrics.ts';

/** The `route` label: one value per handler, never a raw path. */
export type RouteLabel =
  | 'profile_get'
  | 'profile_patch'
  | 'healthz'
  | 'readyz'
  | 'metrics'
  | 'unknown';

/** The `cache` label of a request: its X-Cache value, or `none` for responses that did not read a profile. */
export type CacheLabel = CacheResult | 'none';

/** The `query` label of the database histogram. */
export type DbQueryLabel = 'profile_aggregate' | 'profile_update' | 'ping' | 'audit_versions';

/** One finished HTTP request, as the request-timing middleware reports it. */
export interface RequestSample {
  route: RouteLabel;
  method: string;
  status: number;
  cache: CacheLabel;
  seconds: number;
}

/** Hooks the data layer calls around each query (bounded labels only). */
export interface DbObserver {
  query(query: DbQueryLabel, result: 'ok' | 'error', seconds: number): void;
}

/** Everything one app instance measures, on its own registry. */
export interface AppMetrics {
  readonly registry: Registry;
  /** Passed to the cache strategy and the read-through. */
  readonly observer: CacheObserver;
  /** Passed to the profile repository. */
  readonly db: DbObserver;
  /** Consistency mode events, grace reads and the staleness audit. */
  readonly consistency: ConsistencyMetrics;
  observeRequest(sample: RequestSample): void;
  countProfileRead(result: CacheResult): void;
  /** Sets where the L1 gauges read their values at scrape time. */
  trackLocalTier(source: () => LocalTierStats | undefined): void;
  /** The Prometheus text exposition and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** HTTP latency buckets, 50 µs … 2 s: an L1 hit is tens of µs, a cold aggregate is milliseconds. */
const HTTP_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2,
];
/** Cache operation buckets, 10 µs … 1 s: an LRU get is µs, a Redis round trip ~0.1–1 ms. */
const CACHE_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1,
];
/** Database buckets, 100 µs … 5 s: a ping is sub-ms, the 50-table aggregate is ms, timeouts are seconds. */
const DB_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5,
];

/** Methods kept as label values; anything else is `OTHER` so the label stays bounded. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'DELETE', 'OPTIONS']);

/** Creates a registry with the contract metrics, default labels {topology, server} and process metrics. */
export function createMetrics(options: {
  topology: string;
  serverId: string;
  consistency?: string;
}): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ topology: options.topology, server: options.serverId });
  collectDefaultMetrics({ register: registry, prefix: 'cachelab_' });
  let localSource: () => LocalTierStats | undefined = () => undefined;
  const http = httpMetrics(registry);
  registerLocalGauges(registry, () => localSource());
  return {
    registry,
    observer: createCacheObserver(registry),
    db: createDbObserver(registry),
    consistency: createConsistencyMetrics(registry, options.consistency ?? 'delete'),
    observeRequest: http.observeRequest,
    countProfileRead: http.countProfileRead,
    trackLocalTier(source) {
      localSource = source;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

function counter<L extends string>(registry: Registry, name: string, help: string, labels: L[]) {
  return new Counter<L>({ name, help, labelNames: labels, registers: [registry] });
}

function histogram<L extends string>(
  registry: Registry,
  metric: { name: string; help: string; buckets: number[] },
  labels: L[],
) {
  return new Histogram<L>({ ...metric, labelNames: labels, registers: [registry] });
}

function httpMetrics(registry: Registry) {
  const duration = histogram(
    registry,
    {
      name: 'cachelab_http_request_duration_seconds',
      help: 'HTTP request duration by route, method, status and X-Cache result',
      buckets: HTTP_BUCKETS,
    },
    ['route', 'method', 'status', 'cache'],
  );
  const reads = counter(
    registry,
    'cachelab_profile_reads_total',
    'Profile reads by X-Cache result',
    ['result'],
  );
  return {
    observeRequest(sample: RequestSample): void {
      const method = KNOWN_METHODS.has(sample.method) ? sample.method : 'OTHER';
      const labels = { route: sample.route, method, status: String(sample.status) };
      duration.observe({ ...labels, cache: sample.cache }, sample.seconds);
    },
    countProfileRead(result: CacheResult): void {
      reads.inc({ result });
    },
  };
}

function registerLocalGauges(registry: Registry, source: () => LocalTierStats | undefined): void {
  const gauge = (name: string, help: string, read: (stats: LocalTierStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const stats = source();
        this.set(stats ? read(stats) : 0);
      },
    });
  gauge(
    'cachelab_l1_entries',
    'Entries in the local (L1) tier, read at scrape time',
    (s) => s.entries,
  );
  gauge(
    'cachelab_l1_bytes',
    'Bytes held by the local (L1) tier, read at scrape time',
    (s) => s.bytes,
  );
}

function cacheFamilies(registry: Registry) {
  return {
    operations: counter(
      registry,
      'cachelab_cache_operations_total',
      'Cache operations by tier, operation and result',
      ['tier', 'op', 'result'],
    ),
    durations: histogram(
      registry,
      {
        name: 'cachelab_cache_operation_duration_seconds',
        help: 'Cache operation duration by tier and operation',
        buckets: CACHE_BUCKETS,
      },
      ['tier', 'op'],
    ),
    evictions: counter(
      registry,
      'cachelab_cache_evictions_total',
      'Cache evictions by tier and reason',
      ['tier', 'reason'],
    ),
    invalidations: counter(
      registry,
      'cachelab_invalidations_total',
      'Cross-server invalidation messages: sent, received, and sent ones every server confirmed or not in time',
      ['direction'],
    ),
    errors: counter(registry, 'cachelab_cache_errors_total', 'Cache backend errors by tier', [
      'tier',
    ]),
  };
}

function createCacheObserver(registry: Registry): CacheObserver {
  const families = cacheFamilies(registry);
  return {
    operation(tier: CacheTier, op: CacheOperation, result: CacheOperationResult, seconds: number) {
      families.operations.inc({ tier, op, result });
      families.durations.observe({ tier, op }, seconds);
    },
    eviction(tier, reason) {
      families.evictions.inc({ tier, reason });
    },
    invalidation(direction) {
      families.invalidations.inc({ direction });
    },
    error(tier) {
      families.errors.inc({ tier });
    },
  };
}

function createDbObserver(registry: Registry): DbObserver {
  const duration = histogram(
    registry,
    {
      name: 'cachelab_db_query_duration_seconds',
      help: 'Database query duration by query and result',
      buckets: DB_BUCKETS,
    },
    ['query', 'result'],
  );
  return {
    query(query, result, seconds) {
      duration.observe({ query, result }, seconds);
    },
  };
}
