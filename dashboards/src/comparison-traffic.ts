import { BY, CACHE_GETS, HTTP, LEGEND, PROFILE_ROUTES, S } from './comparison-common.ts';
import type { PanelSpec, RowSpec } from './dashboard-builder.ts';
import { quantile, ratio, sel, sumRate, zeroFill } from './promql.ts';

function readLatency(q: number): PanelSpec {
  const pct = `p${q * 100}`;
  return {
    title: `Read latency ${pct} by X-Cache result`,
    description: `${pct} of GET /profiles/:id per topology, run and cache result (HIT-L1, HIT-L2, MISS, BYPASS).`,
    unit: 's',
    targets: [
      {
        expr: quantile(q, [...BY, 'cache'], HTTP, sel('route="profile_get"', S)),
        legend: `${LEGEND} {{cache}}`,
      },
    ],
  };
}

function writeLatency(): PanelSpec {
  const target = (q: number) => ({
    expr: quantile(q, BY, HTTP, sel('route="profile_patch"', S)),
    legend: `${LEGEND} p${q * 100}`,
  });
  return {
    title: 'Write latency (PATCH) p50 / p95 / p99',
    description: 'PATCH /profiles/:id latency: the write plus its invalidation.',
    unit: 's',
    targets: [target(0.5), target(0.95), target(0.99)],
  };
}

const traffic: RowSpec = {
  title: 'Latency and throughput',
  panels: [
    readLatency(0.5),
    readLatency(0.95),
    readLatency(0.99),
    writeLatency(),
    {
      title: 'Throughput by route',
      description: 'Profile requests answered per second by the app servers.',
      unit: 'reqps',
      targets: [
        {
          expr: sumRate([...BY, 'route'], `${HTTP}_count`, sel(PROFILE_ROUTES, S)),
          legend: `${LEGEND} {{route}}`,
        },
      ],
    },
    {
      title: 'nginx requests/s',
      description: 'Requests nginx handled (stub_status via the nginx exporter).',
      unit: 'reqps',
      targets: [{ expr: sumRate(BY, 'nginx_http_requests_total', sel(S)), legend: LEGEND }],
    },
  ],
};

const errors: RowSpec = {
  title: 'Errors',
  panels: [
    {
      title: '5xx responses/s',
      description: 'App responses with a 5xx status (0 when there were none).',
      unit: 'reqps',
      targets: [
        {
          expr: zeroFill(
            sumRate(BY, `${HTTP}_count`, sel('status=~"5.."', S)),
            BY,
            sumRate(BY, `${HTTP}_count`, sel(S)),
          ),
          legend: LEGEND,
        },
      ],
    },
    {
      title: 'Cache errors/s by tier',
      description: 'Cache backend errors (timeouts, connection failures) per tier; 0 when none.',
      unit: 'ops',
      targets: [
        {
          expr: zeroFill(
            sumRate([...BY, 'tier'], 'cachelab_cache_errors_total', sel(S)),
            [...BY, 'tier'],
            CACHE_GETS([...BY, 'tier']),
          ),
          legend: `${LEGEND} {{tier}}`,
        },
      ],
    },
  ],
};

const effectiveness: RowSpec = {
  title: 'Cache effectiveness',
  panels: [
    {
      title: 'Hit ratio per tier',
      description: 'Cache gets that hit, per tier (l1 = local, l2 = Redis).',
      unit: 'percentunit',
      targets: [
        {
          expr: ratio(
            zeroFill(
              CACHE_GETS([...BY, 'tier'], 'result="hit"'),
              [...BY, 'tier'],
              CACHE_GETS([...BY, 'tier']),
            ),
            CACHE_GETS([...BY, 'tier']),
          ),
          legend: `${LEGEND} {{tier}}`,
        },
      ],
    },
    {
      title: 'Profile reads by X-Cache result',
      description:
        'Share of profile reads answered from L1, L2, the database (MISS) or uncached (BYPASS).',
      unit: 'percentunit',
      targets: [
        {
          expr: `${sumRate([...BY, 'result'], 'cachelab_profile_reads_total', sel(S))} / ignoring (result) group_left ${sumRate(BY, 'cachelab_profile_reads_total', sel(S))}`,
          legend: `${LEGEND} {{result}}`,
        },
      ],
    },
    {
      title: 'Cache get latency p95 per tier',
      description: 'Time of one cache get, per tier.',
      unit: 's',
      targets: [
        {
          expr: quantile(
            0.95,
            [...BY, 'tier'],
            'cachelab_cache_operation_duration_seconds',
            sel('op="get"', S),
          ),
          legend: `${LEGEND} {{tier}}`,
        },
      ],
    },
  ],
};

/** Latency, throughput, errors and cache effectiveness rows of the comparison dashboard. */
export function trafficRows(): RowSpec[] {
  return [traffic, errors, effectiveness];
}
