import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { backendRows } from './comparison-backends.ts';
import { catalogRegex } from './comparison-common.ts';
import { trafficRows } from './comparison-traffic.ts';
import { type AnnotationSpec, buildDashboard, type VariableSpec } from './dashboard-builder.ts';

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

/**
 * Every action of `cachelab scenario run --observe` (kill, failover, flush…, and rollbacks): the
 * scenario engine writes one sample of this series per action (lab/scenario/annotations).
 */
const scenarioActions: AnnotationSpec = {
  name: 'Scenario actions',
  expr: 'cachelab_scenario_action{topology=~"$topology", run_id=~"$run_id"}',
  titleFormat: '{{action}}: {{text}}',
  textFormat: '{{scenario}} on {{topology}} ({{run_id}})',
  tagKeys: 'scenario,topology,action',
  iconColor: 'red',
};

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
    annotations: [scenarioActions],
  });
}
