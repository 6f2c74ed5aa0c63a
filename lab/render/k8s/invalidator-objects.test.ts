import { describe, expect, it } from 'vitest';
import { getTopology } from '../../topology/catalog.ts';
import { withConsistency } from '../../topology/consistency.ts';
import { k8sOptions } from './k8s-examples.ts';
import { k8sManifests } from './render-k8s.ts';

type Env = { name: string; value?: string; valueFrom?: unknown };
type Json = {
  kind: string;
  metadata: { name: string };
  spec: { template?: { spec: { containers: { args?: string[]; env: Env[] }[] } } };
};

function objectsOf(mode: 'outbox+lease' | 'lease'): Json[] {
  const topology = withConsistency(getTopology('global-cluster'), mode);
  return k8sManifests(topology, k8sOptions())
    .flatMap((f) => f.objects)
    .map((o) => {
      expect(() => o.validate(), o.kind).not.toThrow();
      return o.toJSON() as unknown as Json;
    });
}

describe('k8s invalidator', () => {
  it('runs beside an outbox topology with its own Deployment, Service and ServiceMonitor', () => {
    const objects = objectsOf('outbox+lease');
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'Deployment/invalidator',
        'Service/invalidator',
        'ServiceMonitor/invalidator',
      ]),
    );
    const deployment = objects.find(
      (o) => `${o.kind}/${o.metadata.name}` === 'Deployment/invalidator',
    );
    const container = deployment?.spec.template?.spec.containers[0];
    expect(container?.args).toEqual([
      'node',
      '--enable-source-maps',
      'dist/services/invalidator/src/main.js',
    ]);
    const env = Object.fromEntries(
      (container?.env ?? []).map((e) => [e.name, e.value ?? 'secret']),
    );
    expect(env).toMatchObject({
      CONSISTENCY: 'outbox+lease',
      SERVER_ID: 'invalidator',
      POSTGRES_PASSWORD: 'secret',
      REDIS_PASSWORD: 'secret',
    });
    // It invalidates exactly the cache the app servers fill: the same cache settings.
    const app = objects.find((o) => `${o.kind}/${o.metadata.name}` === 'Deployment/app');
    const appEnv = Object.fromEntries(
      (app?.spec.template?.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]),
    );
    for (const name of ['CACHE_MODE', 'L2_CLUSTER', 'REDIS_NODES', 'REDIS_URL', 'CONSISTENCY']) {
      expect(env[name], name).toBe(appEnv[name]);
    }
    const order = (container?.env ?? []).map((e) => e.name);
    expect(order.indexOf('POSTGRES_PASSWORD')).toBeLessThan(order.indexOf('DATABASE_URL'));
  });

  it('is absent when the consistency mode has no outbox', () => {
    const names = objectsOf('lease').map((o) => o.metadata.name);
    expect(names).not.toContain('invalidator');
  });
});
