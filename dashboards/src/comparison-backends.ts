import { BY, HTTP, LEGEND, PROFILE_ROUTES, S } from './comparison-common.ts';
import type { RowSpec } from './dashboard-builder.ts';
import { ratio, sel, sumGauge, sumRate, zeroFill } from './promql.ts';

const DB_QUERIES = sumRate(BY, 'cachelab_db_query_duration_seconds_count', sel('query!="ping"', S));
const REQUESTS = sumRate(BY, `${HTTP}_count`, sel(PROFILE_ROUTES, S));
// k6 series carry the k6 tags (topology, testid), not run_id.
const K6_BY = ['topology', 'testid'];
const K6_SEL = sel('topology=~"$topology"');
const K6_LEGEND = '{{topology}} {{testid}}';
const K6_STALE = sumRate(K6_BY, 'k6_stale_reads_total', K6_SEL);

const database: RowSpec = {
  title: 'Database',
  panels: [
    {
      title: 'Database queries/s',
      description: 'Profile queries (aggregate + update) the app servers sent to Postgres.',
      unit: 'ops',
      targets: [{ expr: DB_QUERIES, legend: LEGEND }],
    },
    {
      title: 'Database queries per request',
      description: 'Queries per profile request: 1 without a cache, close to 0 with a warm one.',
      unit: 'short',
      targets: [{ expr: ratio(DB_QUERIES, REQUESTS), legend: LEGEND }],
    },
    {
      title: 'Postgres transactions/s',
      description: 'Committed transactions in the cachelab database (postgres exporter).',
      unit: 'ops',
      targets: [
        {
          expr: sumRate(BY, 'pg_stat_database_xact_commit', sel('datname="cachelab"', S)),
          legend: LEGEND,
        },
      ],
    },
  ],
};

const redisAndL1: RowSpec = {
  title: 'Redis and local tier',
  panels: [
    {
      title: 'Redis commands/s per node',
      description:
        'Commands each Redis node processed (redis exporter); empty for topologies without Redis.',
      unit: 'ops',
      targets: [
        {
          expr: sumRate([...BY, 'redis_node'], 'redis_commands_processed_total', sel(S)),
          legend: `${LEGEND} {{redis_node}}`,
        },
      ],
    },
    {
      title: 'L1 entries',
      description: 'Entries in the local tier, summed over the app servers.',
      unit: 'short',
      targets: [{ expr: sumGauge(BY, 'cachelab_l1_entries', sel(S)), legend: LEGEND }],
    },
    {
      title: 'L1 bytes',
      description: 'Bytes held by the local tier, summed over the app servers.',
      unit: 'bytes',
      targets: [{ expr: sumGauge(BY, 'cachelab_l1_bytes', sel(S)), legend: LEGEND }],
    },
    {
      title: 'Evictions/s by reason',
      description: 'Entries dropped by size, TTL or invalidation; 0 when none.',
      unit: 'ops',
      targets: [
        {
          expr: zeroFill(
            sumRate([...BY, 'tier', 'reason'], 'cachelab_cache_evictions_total', sel(S)),
            BY,
            sumGauge(BY, 'cachelab_l1_entries', sel(S)),
          ),
          legend: `${LEGEND} {{tier}} {{reason}}`,
        },
      ],
    },
  ],
};

const consistency: RowSpec = {
  title: 'Invalidation and staleness',
  panels: [
    {
      title: 'Invalidations/s sent and received',
      description: 'Cross-server invalidation messages (two-tier pub/sub); 0 when none.',
      unit: 'ops',
      targets: [
        {
          expr: zeroFill(
            sumRate([...BY, 'direction'], 'cachelab_invalidations_total', sel(S)),
            BY,
            sumGauge(BY, 'cachelab_l1_entries', sel(S)),
          ),
          legend: `${LEGEND} {{direction}}`,
        },
      ],
    },
    {
      title: 'Stale reads/s (k6)',
      description:
        'Reads older than a version the same k6 VU had already written. Only k6 can see this: fed by k6 remote write (k6_stale_reads_total), empty for Node-runner runs.',
      unit: 'ops',
      targets: [{ expr: K6_STALE, legend: K6_LEGEND }],
    },
    {
      title: 'Stale read share (k6)',
      description: 'Stale reads over the reads that carried a version (k6 remote write).',
      unit: 'percentunit',
      targets: [
        {
          expr: ratio(K6_STALE, sumRate(K6_BY, 'k6_versioned_reads_total', K6_SEL)),
          legend: K6_LEGEND,
        },
      ],
    },
  ],
};

/** Database, Redis, L1 and staleness rows of the comparison dashboard. */
export function backendRows(): RowSpec[] {
  return [database, redisAndL1, consistency];
}
