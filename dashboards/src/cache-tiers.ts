import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { catalogRegex } from './comparison-common.ts';
import {
  buildDashboard,
  type PanelSpec,
  type RowSpec,
  type VariableSpec,
} from './dashboard-builder.ts';
import { invalidatorRow } from './invalidator-row.ts';
import { quantile, ratio, sel, sumGauge, sumRate, zeroFill } from './promql.ts';
import { infrastructureRows } from './tier-infrastructure.ts';

const RUN = 'topology="$topology", run_id="$run_id"';
const M = `${RUN}, server=~"$server"`;
const A = sel(M);
const HTTP = 'cachelab_http_request_duration_seconds';
const OPS = 'cachelab_cache_operations_total';
const L1_BASE = sumGauge(['server'], 'cachelab_l1_entries', A);

function perServer(title: string, description: string, unit: string, expr: string, legend: string) {
  return { title, description, unit, targets: [{ expr, legend }] } satisfies PanelSpec;
}

const requests: RowSpec = {
  title: 'App servers',
  panels: [
    perServer(
      'Requests/s per server',
      'Profile requests each app server answered.',
      'reqps',
      sumRate(['server', 'route'], `${HTTP}_count`, sel('route=~"profile_get|profile_patch"', M)),
      '{{server}} {{route}}',
    ),
    perServer(
      'Read latency p95 per server and X-Cache result',
      'p95 of GET /profiles/:id on each server, split by where the profile came from.',
      's',
      quantile(0.95, ['server', 'cache'], HTTP, sel('route="profile_get"', M)),
      '{{server}} {{cache}}',
    ),
    perServer(
      'Profile reads/s by X-Cache result',
      'Where each server found the profiles it served.',
      'ops',
      sumRate(['server', 'result'], 'cachelab_profile_reads_total', A),
      '{{server}} {{result}}',
    ),
  ],
};

const gets = (by: string[], extra = '') => sumRate(by, OPS, sel('op="get"', extra, M));

const tiers: RowSpec = {
  title: 'Cache tiers per server',
  panels: [
    perServer(
      'Hit ratio per server and tier',
      'Cache gets that hit, per server and tier (l1 = local, l2 = Redis).',
      'percentunit',
      ratio(
        zeroFill(
          gets(['server', 'tier'], 'result="hit"'),
          ['server', 'tier'],
          gets(['server', 'tier']),
        ),
        gets(['server', 'tier']),
      ),
      '{{server}} {{tier}}',
    ),
    perServer(
      'Cache operations/s',
      'Gets, sets and invalidations per tier and outcome.',
      'ops',
      sumRate(['server', 'tier', 'op', 'result'], OPS, A),
      '{{server}} {{tier}} {{op}} {{result}}',
    ),
    perServer(
      'Cache operation latency p99',
      'p99 of one cache operation per server, tier and operation.',
      's',
      quantile(0.99, ['server', 'tier', 'op'], 'cachelab_cache_operation_duration_seconds', A),
      '{{server}} {{tier}} {{op}}',
    ),
    perServer(
      'L1 entries per server',
      'Entries in each local tier.',
      'short',
      L1_BASE,
      '{{server}}',
    ),
    perServer(
      'L1 bytes per server',
      'Bytes held by each local tier.',
      'bytes',
      sumGauge(['server'], 'cachelab_l1_bytes', A),
      '{{server}}',
    ),
    perServer(
      'Evictions/s per server',
      'Entries dropped by size, TTL or invalidation; 0 when none.',
      'ops',
      zeroFill(
        sumRate(['server', 'tier', 'reason'], 'cachelab_cache_evictions_total', A),
        ['server'],
        L1_BASE,
      ),
      '{{server}} {{tier}} {{reason}}',
    ),
    perServer(
      'Invalidations/s per server',
      'Invalidation messages each server sent and received; 0 when none.',
      'ops',
      zeroFill(
        sumRate(['server', 'direction'], 'cachelab_invalidations_total', A),
        ['server'],
        L1_BASE,
      ),
      '{{server}} {{direction}}',
    ),
    perServer(
      'Cache errors/s per server',
      'Cache backend errors per server and tier; 0 when none.',
      'ops',
      zeroFill(sumRate(['server', 'tier'], 'cachelab_cache_errors_total', A), ['server'], L1_BASE),
      '{{server}} {{tier}}',
    ),
  ],
};

const database: RowSpec = {
  title: 'Database per server',
  panels: [
    perServer(
      'Database queries/s per server',
      'Queries each app server sent, by query.',
      'ops',
      sumRate(['server', 'query'], 'cachelab_db_query_duration_seconds_count', A),
      '{{server}} {{query}}',
    ),
    perServer(
      'Database query latency p95 per server',
      'p95 of each query kind, measured by the app.',
      's',
      quantile(0.95, ['server', 'query'], 'cachelab_db_query_duration_seconds', A),
      '{{server}} {{query}}',
    ),
  ],
};

const processes: RowSpec = {
  title: 'App processes',
  panels: [
    perServer(
      'CPU per server',
      'CPU seconds per second used by each app process (1 = one core).',
      'short',
      sumRate(['server'], 'cachelab_process_cpu_seconds_total', A),
      '{{server}}',
    ),
    perServer(
      'Resident memory per server',
      'RSS of each app process.',
      'bytes',
      sumGauge(['server'], 'cachelab_process_resident_memory_bytes', A),
      '{{server}}',
    ),
    perServer(
      'Event loop lag p99 per server',
      'Node event loop delay p99: a saturated server shows it first.',
      's',
      sumGauge(['server'], 'cachelab_nodejs_eventloop_lag_p99_seconds', A),
      '{{server}}',
    ),
  ],
};

const variables: VariableSpec[] = [
  {
    name: 'topology',
    label: 'Topology',
    query: 'label_values(cachelab_http_request_duration_seconds_count, topology)',
    multi: false,
    regex: catalogRegex(),
  },
  {
    name: 'run_id',
    label: 'Run',
    query:
      'label_values(cachelab_http_request_duration_seconds_count{topology="$topology"}, run_id)',
    multi: false,
  },
  {
    name: 'server',
    label: 'App server',
    query: `label_values(cachelab_http_request_duration_seconds_count{${RUN}}, server)`,
    multi: true,
  },
  {
    name: 'redis_node',
    label: 'Redis node',
    query: `label_values(redis_up{${RUN}}, redis_node)`,
    multi: true,
  },
];

/** "Cache tiers": one topology and run in depth, per app server and per Redis node. */
export function cacheTiers(): Dashboard {
  return buildDashboard({
    uid: 'cachelab-cache-tiers',
    title: 'cachelab / Cache tiers',
    description:
      'One topology in depth: every app server, every Redis node, Postgres, nginx and the outbox invalidator.',
    tags: ['cachelab'],
    variables,
    rows: [requests, tiers, database, processes, ...infrastructureRows(), invalidatorRow()],
  });
}
