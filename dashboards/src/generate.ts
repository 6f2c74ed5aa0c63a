// Writes dashboards/generated/*.json and the Grafana provisioning files: `npx tsx dashboards/src/generate.ts`.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { REPO_ROOT } from '../../lab/repo-root.ts';
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

/** Writes every artifact under `root`; returns the paths written. */
export async function writeArtifacts(root = REPO_ROOT): Promise<string[]> {
  const written: string[] = [];
  for (const [path, content] of renderArtifacts()) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    written.push(path);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const written = await writeArtifacts();
  process.stdout.write(`${written.map((p) => `wrote ${p}`).join('\n')}\n`);
}
