import type { PanelSpec, RowSpec } from './dashboard-builder.ts';
import { ratio, sel, sumGauge, sumRate } from './promql.ts';

const RUN = 'topology="$topology", run_id="$run_id"';
const R = sel(RUN, 'redis_node=~"$redis_node"');
const NODE = ['redis_node'];
const DB = sel(RUN, 'datname="cachelab"');
const ALL = ['topology'];

function panel(title: string, description: string, unit: string, expr: string, legend: string) {
  return { title, description, unit, targets: [{ expr, legend }] } satisfies PanelSpec;
}

function redisRow(): RowSpec {
  return {
    title: 'Redis nodes',
    panels: [
      panel(
        'Commands/s per node',
        'Commands each node processed (empty for topologies without Redis).',
        'ops',
        sumRate(NODE, 'redis_commands_processed_total', R),
        '{{redis_node}}',
      ),
      panel(
        'Commands/s per node and command',
        'GET, SET, PUBLISH… per node: shows how evenly the keys spread.',
        'ops',
        sumRate([...NODE, 'cmd'], 'redis_commands_total', R),
        '{{redis_node}} {{cmd}}',
      ),
      {
        title: 'Keyspace hits and misses/s per node',
        description: 'Lookups that found (hit) or missed a key on each node.',
        unit: 'ops',
        targets: [
          { expr: sumRate(NODE, 'redis_keyspace_hits_total', R), legend: '{{redis_node}} hits' },
          {
            expr: sumRate(NODE, 'redis_keyspace_misses_total', R),
            legend: '{{redis_node}} misses',
          },
        ],
      },
      panel(
        'Memory used per node',
        'used_memory of each node (maxmemory 256 MB, allkeys-lru).',
        'bytes',
        sumGauge(NODE, 'redis_memory_used_bytes', R),
        '{{redis_node}}',
      ),
      panel(
        'Keys per node',
        'Keys stored on each node.',
        'short',
        sumGauge(NODE, 'redis_db_keys', R),
        '{{redis_node}}',
      ),
      panel(
        'Connected clients per node',
        'Client connections (app servers, pub/sub subscribers, the exporter).',
        'short',
        sumGauge(NODE, 'redis_connected_clients', R),
        '{{redis_node}}',
      ),
      panel(
        'Evicted keys/s per node',
        'Keys Redis dropped under maxmemory.',
        'ops',
        sumRate(NODE, 'redis_evicted_keys_total', R),
        '{{redis_node}}',
      ),
    ],
  };
}

function postgresRow(): RowSpec {
  const blocks = (kind: string) => sumRate(ALL, `pg_stat_database_blks_${kind}`, DB);
  return {
    title: 'Postgres',
    panels: [
      panel(
        'Transactions/s',
        'Committed transactions in the cachelab database.',
        'ops',
        sumRate(ALL, 'pg_stat_database_xact_commit', DB),
        'commits',
      ),
      panel(
        'Rows fetched/s',
        'Rows read by index scans: the aggregate reads 50+ tables per profile.',
        'short',
        sumRate(ALL, 'pg_stat_database_tup_fetched', DB),
        'rows fetched',
      ),
      panel(
        'Buffer cache hit ratio',
        'Blocks found in shared buffers over all blocks read.',
        'percentunit',
        ratio(blocks('hit'), `${blocks('hit')} + ${blocks('read')}`),
        'hit ratio',
      ),
      panel(
        'Backends',
        'Connections to the cachelab database (app pools plus the exporter).',
        'short',
        sumGauge(ALL, 'pg_stat_database_numbackends', DB),
        'backends',
      ),
    ],
  };
}

function nginxRow(): RowSpec {
  const T = sel(RUN);
  return {
    title: 'nginx',
    panels: [
      panel(
        'Requests/s',
        'Requests nginx handled.',
        'reqps',
        sumRate(ALL, 'nginx_http_requests_total', T),
        'requests',
      ),
      panel(
        'Active connections',
        'Client connections open on nginx (reading, writing, waiting).',
        'short',
        sumGauge(ALL, 'nginx_connections_active', T),
        'active',
      ),
    ],
  };
}

/** The rows of the "Cache tiers" dashboard about Redis nodes, Postgres and nginx. */
export function infrastructureRows(): RowSpec[] {
  return [redisRow(), postgresRow(), nginxRow()];
}
