import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  type K6TrendStat,
  k6CounterName,
  k6TrendName,
} from '../../lab/render/prometheus/k6-remote-write.ts';
import { K6_METRICS } from '../../loadtests/k6/k6-summary.ts';
import { CACHE_RESULT_LABELS, ERROR_CLASSES } from '../../loadtests/result-types.ts';
import {
  buildDashboard,
  type PanelSpec,
  type RowSpec,
  type TargetSpec,
} from './dashboard-builder.ts';
import { aggregate, ratio, sel, sumRate } from './promql.ts';

// Every k6 series carries the run tags profile-load.ts sets: testid and topology.
const K = sel('testid=~"$testid"', 'topology=~"$topology"');
const BY = ['testid'];

function counterRate(metric: string, legend: string, by: string[] = BY): TargetSpec {
  return { expr: sumRate(by, k6CounterName(metric), K), legend };
}

/** Percentiles cannot be aggregated: `max` over the series is an upper bound, exact for one series. */
function trend(metric: string, stat: K6TrendStat, legend: string, by: string[] = BY): TargetSpec {
  return { expr: aggregate('max', by, `${k6TrendName(metric, stat)}${K}`), legend };
}

function panel(title: string, description: string, unit: string, targets: TargetSpec[]) {
  return { title, description, unit, targets } satisfies PanelSpec;
}

const overview: RowSpec = {
  title: 'Overview',
  panels: [
    {
      ...panel('VUs', 'Virtual users in use.', 'short', [
        { expr: `sum(k6_vus${K})`, legend: 'VUs' },
      ]),
      kind: 'stat',
    },
    {
      ...panel('Requests/s', 'HTTP requests per second.', 'reqps', [
        counterRate('http_reqs', 'req/s', []),
      ]),
      kind: 'stat',
    },
    {
      ...panel('Request p95', 'Upper bound of the p95 request duration.', 's', [
        trend('http_req_duration', 'p(95)', 'p95', []),
      ]),
      kind: 'stat',
    },
    {
      ...panel('Failed requests', 'Share of failed requests (k6 http_req_failed).', 'percentunit', [
        { expr: `max(k6_http_req_failed_rate${K})`, legend: 'failed' },
      ]),
      kind: 'stat',
    },
  ],
};

const requests: RowSpec = {
  title: 'Requests',
  panels: [
    panel(
      'Requests/s by name and status',
      'Request rate per request name and HTTP status.',
      'reqps',
      [counterRate('http_reqs', '{{testid}} {{name}} {{status}}', [...BY, 'name', 'status'])],
    ),
    panel('Request duration p95 / p99', 'Per request name (GET or PATCH /profiles/:id).', 's', [
      trend('http_req_duration', 'p(95)', '{{testid}} {{name}} p95', [...BY, 'name']),
      trend('http_req_duration', 'p(99)', '{{testid}} {{name}} p99', [...BY, 'name']),
    ]),
    panel(
      'Dropped iterations/s',
      'Scheduled iterations k6 skipped because no VU was free.',
      'ops',
      [counterRate('dropped_iterations', '{{testid}}')],
    ),
    panel('VUs over time', 'Virtual users in use over time.', 'short', [
      { expr: `sum by (testid) (k6_vus${K})`, legend: '{{testid}}' },
    ]),
  ],
};

const cache: RowSpec = {
  title: 'Cache results seen by k6',
  panels: [
    panel(
      'Reads/s by X-Cache result',
      'X-Cache header of every read response.',
      'ops',
      CACHE_RESULT_LABELS.map((l) => counterRate(K6_METRICS.cacheCount(l), `{{testid}} ${l}`)),
    ),
    panel(
      'Read latency p95 by X-Cache result',
      'Read latency split by where the profile came from.',
      's',
      CACHE_RESULT_LABELS.map((l) => trend(K6_METRICS.cacheLatency(l), 'p(95)', `{{testid}} ${l}`)),
    ),
    panel('Read and write latency p50 / p99', 'Reads and writes of the measured window.', 's', [
      trend(K6_METRICS.latencyRead, 'p(50)', '{{testid}} read p50'),
      trend(K6_METRICS.latencyRead, 'p(99)', '{{testid}} read p99'),
      trend(K6_METRICS.latencyWrite, 'p(50)', '{{testid}} write p50'),
      trend(K6_METRICS.latencyWrite, 'p(99)', '{{testid}} write p99'),
    ]),
  ],
};

const staleReads = sumRate(BY, k6CounterName(K6_METRICS.staleReads), K);
const versioned = sumRate(BY, k6CounterName(K6_METRICS.versionedReads), K);

const consistency: RowSpec = {
  title: 'Staleness and errors',
  panels: [
    panel('Stale reads/s', 'Reads older than a version the same VU had written.', 'ops', [
      { expr: staleReads, legend: '{{testid}}' },
    ]),
    panel('Stale read share', 'Stale reads over reads that carried a version.', 'percentunit', [
      { expr: ratio(staleReads, versioned), legend: '{{testid}}' },
    ]),
    panel('Stale window p95 / max', 'How long a stale version stayed visible (seconds).', 's', [
      trend(K6_METRICS.staleWindow, 'p(95)', '{{testid}} p95'),
      trend(K6_METRICS.staleWindow, 'max', '{{testid}} max'),
    ]),
    panel(
      'Errors/s by class',
      'Timeouts, connection failures, 4xx and 5xx.',
      'ops',
      ERROR_CLASSES.map((c) => counterRate(K6_METRICS.error(c), `{{testid}} ${c}`)),
    ),
  ],
};

/** "k6": k6 runs pushed by remote write (trend stats as gauges), by testid and topology. */
export function k6Prometheus(): Dashboard {
  return buildDashboard({
    uid: 'cachelab-k6',
    title: 'cachelab / k6 load tests',
    description:
      'k6 results pushed with -o experimental-prometheus-rw (K6_PROMETHEUS_RW_TREND_STATS=p(50),p(95),p(99),max).',
    tags: ['cachelab', 'k6'],
    variables: [
      {
        name: 'testid',
        label: 'Test id',
        query: 'label_values(k6_http_reqs_total, testid)',
        multi: true,
      },
      {
        name: 'topology',
        label: 'Topology',
        query: 'label_values(k6_http_reqs_total{testid=~"$testid"}, topology)',
        multi: true,
      },
    ],
    rows: [overview, requests, cache, consistency],
  });
}
