import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getTopology } from '../../topology/catalog.ts';
import { withConsistency } from '../../topology/consistency.ts';
import {
  composeResolver,
  mapResolver,
  observedServices,
  redisNodeCount,
} from '../../topology/services.ts';
import {
  renderPrometheusConfig,
  renderPrometheusYaml,
  scrapeTargets,
} from './prometheus-config.ts';

const nativeAddresses: Record<string, string> = {
  'app-1': '127.0.0.1:20001',
  'app-2': '127.0.0.1:20002',
  'app-3': '127.0.0.1:20003',
  'redis-1': '127.0.0.1:21001',
  'redis-2': '127.0.0.1:21002',
  'redis-3': '127.0.0.1:21003',
  invalidator: '127.0.0.1:23001',
  'redis-exporter': '127.0.0.1:22001',
  'postgres-exporter': '127.0.0.1:22002',
  'nginx-exporter': '127.0.0.1:22003',
};

describe('renderPrometheusConfig', () => {
  it('derives one target per app server and per Redis node from the model', () => {
    const topology = getTopology('global-sharded');
    const config = renderPrometheusConfig(topology, {
      runId: 'run-1',
      resolve: mapResolver(nativeAddresses),
    });
    expect(scrapeTargets(config)).toEqual([
      '127.0.0.1:20001',
      '127.0.0.1:20002',
      '127.0.0.1:20003',
      '127.0.0.1:23001',
      'redis://127.0.0.1:21001',
      'redis://127.0.0.1:21002',
      'redis://127.0.0.1:21003',
      '127.0.0.1:22002',
      '127.0.0.1:22003',
    ]);
    const redis = config.scrape_configs.find((j) => j.job_name === 'redis');
    expect(redis?.metrics_path).toBe('/scrape');
    expect(redis?.relabel_configs).toContainEqual({
      target_label: '__address__',
      replacement: '127.0.0.1:22001',
    });
    expect(redis?.static_configs.map((s) => s.labels.redis_node)).toEqual([
      'redis-1',
      'redis-2',
      'redis-3',
    ]);
  });

  it('labels every target with topology and run_id, apps with server', () => {
    const config = renderPrometheusConfig(getTopology('local'), {
      runId: 'local-abc',
      resolve: mapResolver(nativeAddresses),
    });
    const labels = config.scrape_configs.flatMap((j) => j.static_configs.map((s) => s.labels));
    for (const l of labels) expect(l).toMatchObject({ topology: 'local', run_id: 'local-abc' });
    expect(config.scrape_configs.map((j) => j.job_name)).toEqual([
      'cachelab-app',
      'postgres',
      'nginx',
    ]);
    expect(config.scrape_configs[0]?.static_configs.map((s) => s.labels.server)).toEqual([
      'app-1',
      'app-2',
      'app-3',
    ]);
  });

  it('renders the compose variant from the same function, addressing services by DNS name', () => {
    const text = renderPrometheusYaml(getTopology('global-cluster'), {
      runId: 'compose',
      resolve: composeResolver(),
      scrapeIntervalSec: 5,
    });
    const config = parse(text) as ReturnType<typeof renderPrometheusConfig>;
    expect(config.global.scrape_interval).toBe('5s');
    expect(scrapeTargets(config)).toContain('app-3:3000');
    expect(scrapeTargets(config)).toContain('redis://redis-6:6379');
    expect(scrapeTargets(config)).toContain('postgres-exporter:9187');
  });

  it('fails with the service name when the running services do not match the model', () => {
    const { 'app-3': _missing, ...partial } = nativeAddresses;
    expect(() =>
      renderPrometheusConfig(getTopology('local'), { runId: 'r', resolve: mapResolver(partial) }),
    ).toThrow(/app app-3/);
  });

  it('counts cluster replicas as Redis nodes and skips the Redis exporter without Redis', () => {
    expect(redisNodeCount({ kind: 'cluster', masters: 3, replicasPerMaster: 1 })).toBe(6);
    const kinds = observedServices(getTopology('no-cache')).map((s) => s.name);
    expect(kinds).not.toContain('redis-exporter');
  });

  it('scrapes the invalidator only when the consistency mode has an outbox', () => {
    const outbox = withConsistency(getTopology('global'), 'outbox+lease');
    const config = renderPrometheusConfig(outbox, { runId: 'r', resolve: composeResolver() });
    const job = config.scrape_configs.find((j) => j.job_name === 'cachelab-invalidator');
    expect(job?.honor_labels).toBe(true);
    expect(job?.static_configs).toEqual([
      {
        targets: ['invalidator:3000'],
        labels: { topology: 'global', run_id: 'r', server: 'invalidator' },
      },
    ]);
    const lease = withConsistency(getTopology('global'), 'lease');
    const names = observedServices(lease).map((s) => s.name);
    expect(names).not.toContain('invalidator');
  });
});
