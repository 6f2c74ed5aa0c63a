import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { backendRows } from './comparison-backends.ts';
import { catalogRegex } from './comparison-common.ts';
import { trafficRows } from './comparison-traffic.ts';
import { buildDashboard, type VariableSpec } from './dashboard-builder.ts';

const variables: VariableSpec[] = [
  {
    name: 'topology',
    label: 'Topology',
    query: 'label_values(cachelab_http_request_duration_seconds_count, topology)',
    multi: true,
    regex: catalogRegex(),
  },
  {
    name: 'run_id',
    label: 'Run',
    query:
      'label_values(cachelab_http_request_duration_seconds_count{topology=~"$topology"}, run_id)',
    multi: true,
  },
];

/** "Topology comparison": several topologies and runs side by side. */
export function topologyComparison(): Dashboard {
  return buildDashboard({
    uid: 'cachelab-topology-comparison',
    title: 'cachelab / Topology comparison',
    description:
      'Latency, throughput, hit ratios, database load, Redis, L1 and staleness per topology and run.',
    tags: ['cachelab'],
    variables,
    rows: [...trafficRows(), ...backendRows()],
  });
}
