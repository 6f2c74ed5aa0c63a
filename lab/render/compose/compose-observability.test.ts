import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getTopology } from '../../topology/catalog.ts';
import { type PrometheusConfig, scrapeTargets } from '../prometheus/prometheus-config.ts';
import { composeObservability } from './compose-observability.ts';

describe('composeObservability', () => {
  it('addresses every service by its compose DNS name and listens on all interfaces', () => {
    const profile = composeObservability(getTopology('two-tier'), { runId: 'compose-run' });
    const config = parse(profile.prometheusYaml) as PrometheusConfig;
    expect(scrapeTargets(config)).toEqual([
      'app-1:3000',
      'app-2:3000',
      'app-3:3000',
      'invalidator:3000',
      'redis://redis-1:6379',
      'postgres-exporter:9187',
      'nginx-exporter:9113',
    ]);
    expect(Object.keys(profile.services)).toEqual([
      'prometheus',
      'redis-exporter',
      'postgres-exporter',
      'nginx-exporter',
    ]);
    expect(profile.services.prometheus?.command).toContain('--web.enable-remote-write-receiver');
    expect(profile.services['postgres-exporter']?.environment.DATA_SOURCE_NAME).toBe(
      'postgres://cachelab:cachelab@postgres:5432/cachelab?sslmode=disable',
    );
    expect(profile.grafanaMounts).toContainEqual({
      source: 'dashboards/generated',
      target: '/var/lib/grafana/dashboards',
    });
  });

  it('runs no Redis exporter for a topology without Redis', () => {
    const profile = composeObservability(getTopology('local'), { runId: 'r' });
    expect(Object.keys(profile.services)).not.toContain('redis-exporter');
  });
});
