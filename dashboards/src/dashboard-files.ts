import { join } from 'node:path';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { cacheTiers } from './cache-tiers.ts';
import { k6Prometheus } from './k6-prometheus.ts';
import { dashboardProvisioning, datasourceProvisioning, REPO_PATHS } from './provisioning.ts';
import { topologyComparison } from './topology-comparison.ts';

/** Every dashboard, by the file name it is written to in dashboards/generated/. */
export const DASHBOARDS: Readonly<Record<string, () => Dashboard>> = {
  'topology-comparison.json': topologyComparison,
  'cache-tiers.json': cacheTiers,
  'k6-prometheus.json': k6Prometheus,
};

/** Every generated file (path relative to the repository root → exact content); pure and deterministic. */
export function renderArtifacts(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, build] of Object.entries(DASHBOARDS)) {
    files.set(join(REPO_PATHS.generated, name), `${JSON.stringify(build(), null, 2)}\n`);
  }
  files.set(REPO_PATHS.datasourceFile, datasourceProvisioning());
  files.set(REPO_PATHS.providerFile, dashboardProvisioning());
  return files;
}
