import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../repo-root.ts';
import { CATALOG, getTopology } from '../../topology/catalog.ts';
import { driftOf, writeGenerated } from '../generated-files.ts';
import { renderK8sNginx } from './app-objects.ts';
import { TestRun } from './k6-testrun.ts';
import { K8S_EXAMPLES, K8S_EXAMPLES_DIR, k8sExampleSet, k8sOptions } from './k8s-examples.ts';
import { K6, k8sManifests, LOADTEST_DIR, renderK8s } from './render-k8s.ts';

const run = promisify(execFile);
const options = k8sOptions();
const KUBECTL = '/usr/bin/kubectl';

type Doc = {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
};

function docsOf(name: string): Doc[] {
  return renderK8s(getTopology(name), options)
    .filter((f) => f.path.endsWith('.yaml') && !f.path.endsWith('kustomization.yaml'))
    .flatMap((f) => parseAllDocuments(f.text).map((d) => d.toJSON() as Doc))
    .filter((d) => d !== null);
}

describe('k8s manifests', () => {
  it.each(CATALOG.map((t) => [t.name]))('%s: every object validates against its schema', (name) => {
    const objects = k8sManifests(getTopology(name), options).flatMap((f) => f.objects);
    expect(objects.length).toBeGreaterThan(8);
    for (const object of objects) expect(() => object.validate(), object.kind).not.toThrow();
  });

  it('a schema violation is reported, not written', () => {
    const bad = new TestRun({
      metadata: { name: 'Not_A_Name' },
      spec: { parallelism: 0, script: { configMap: { name: 'k', file: 'f' } } },
    });
    expect(() => bad.validate()).toThrow(/parallelism|metadata\.name/);
  });

  it('Postgres: StatefulSet, Service, seed Job; app: Deployment with probes, limits and a PDB', () => {
    const docs = docsOf('global');
    const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'StatefulSet/postgres',
        'Service/postgres',
        'Job/seed',
        'StatefulSet/redis',
        'Deployment/app',
        'Service/app',
        'PodDisruptionBudget/app',
        'Deployment/nginx',
        'ConfigMap/nginx-conf',
        'ServiceMonitor/app',
        'ServiceMonitor/redis',
        'ServiceMonitor/postgres',
        'TestRun/cachelab-load',
        'ConfigMap/k6-script',
      ]),
    );
    const app = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'app');
    type PodSpec = { template: { spec: { containers: Record<string, unknown>[] } } };
    const container = (app?.spec as PodSpec | undefined)?.template.spec.containers[0];
    expect(container?.readinessProbe).toMatchObject({ httpGet: { path: '/readyz' } });
    expect(container?.livenessProbe).toMatchObject({ httpGet: { path: '/healthz' } });
    expect(container?.resources).toMatchObject({ requests: { cpu: '250m' }, limits: { cpu: '1' } });
  });

  it('Redis Cluster: StatefulSet of 6, headless Service, init Job with announced hostnames', () => {
    const docs = docsOf('global-cluster');
    const set = docs.find((d) => d.kind === 'StatefulSet' && d.metadata.name === 'redis');
    expect(set?.spec?.replicas).toBe(6);
    const service = docs.find((d) => d.kind === 'Service' && d.metadata.name === 'redis');
    expect(service?.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    const text = JSON.stringify(set);
    expect(text).toContain('"--cluster-announce-hostname","$(POD_NAME).redis"');
    const init = docs.find((d) => d.kind === 'Job' && d.metadata.name === 'redis-cluster-init');
    expect(JSON.stringify(init)).toContain('redis-5.redis:6379');
  });

  it('nginx ConfigMap comes from the nginx renderer, re-resolving the headless app Service', () => {
    const conf = docsOf('local-hash').find((d) => d.metadata.name === 'nginx-conf');
    expect(conf?.data?.['nginx.conf']).toBe(renderK8sNginx(getTopology('local-hash'), 'cachelab'));
    expect(conf?.data?.['nginx.conf']).toContain(
      'server app.cachelab.svc.cluster.local:3000 resolve',
    );
    expect(conf?.data?.['nginx.conf']).toContain('hash $profile_id consistent;');
  });

  it('TestRun: the k6 script in a ConfigMap (one file, no relative import) and the parallelism', () => {
    const docs = docsOf('two-tier');
    const testRun = docs.find((d) => d.kind === 'TestRun');
    expect(testRun?.spec).toMatchObject({
      parallelism: 2,
      script: { configMap: { name: K6.configMap, file: K6.file } },
    });
    const script = docs.find((d) => d.metadata.name === K6.configMap)?.data?.[K6.file] ?? '';
    expect(script).toMatch(/export \{[^}]*handleSummary/);
    expect(script).not.toMatch(/from ['"]\.\.?\//);
    expect(Buffer.byteLength(script)).toBeLessThan(1024 * 1024);
  });
});

describe('committed examples (deploy/k8s)', () => {
  it('match the generator (run `make generate` after changing the model)', async () => {
    const drift = await driftOf(k8sExampleSet(), REPO_ROOT);
    expect(drift).toEqual({ changed: [], stale: [] });
  });
});

describe.skipIf(!existsSync(KUBECTL))('kubectl kustomize renders every generated folder', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8s-render-'));
    const files = CATALOG.flatMap((t) =>
      renderK8s(t, options).map((f) => ({ path: `${t.name}/${f.path}`, text: f.text })),
    );
    await writeGenerated({ files, ownedDirs: [] }, dir);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(CATALOG.flatMap((t) => [[t.name], [`${t.name}/${LOADTEST_DIR}`]]))(
    '%s',
    async (folder) => {
      const { stdout } = await run(KUBECTL, ['kustomize', join(dir, folder)], { timeout: 30_000 });
      const kinds = parseAllDocuments(stdout).map((d) => (d.toJSON() as Doc).kind);
      expect(kinds.length).toBeGreaterThan(1);
      if (!folder.endsWith(LOADTEST_DIR)) expect(kinds).toContain('Secret');
    },
  );

  it('the committed examples render too', async () => {
    for (const name of K8S_EXAMPLES) {
      await run(KUBECTL, ['kustomize', join(REPO_ROOT, K8S_EXAMPLES_DIR, name)], {
        timeout: 30_000,
      });
    }
  });
});
