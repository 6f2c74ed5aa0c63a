import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CATALOG, getTopology } from '../../topology/catalog.ts';
import type { Topology } from '../../topology/model.ts';
import { COMPOSE_DIR, composeDrift } from './compose-folders.ts';
import {
  COMPOSE_PATHS,
  type ComposeFile,
  type ComposeService,
  REDIS_PASSWORD_REF,
  ref,
} from './compose-types.ts';
import { portableNginxExporterArgs } from './observability-services.ts';
import { readEnvFile } from './pins.ts';
import { renderComposeFiles } from './render-compose.ts';

const committed = renderComposeFiles();
const fileOf = (path: string, catalog?: readonly Topology[]): string => {
  const files = catalog ? renderComposeFiles(catalog) : committed;
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`not generated: ${path}`);
  return file.text;
};
const yamlOf = (path: string, catalog?: readonly Topology[]): ComposeFile =>
  parse(fileOf(path, catalog)) as ComposeFile;

/** What `compose -f base -f overlay` would run: services whose merged scale is not 0. */
function runningServices(name: string): string[] {
  const base = yamlOf(COMPOSE_PATHS.base).services;
  const overlay = yamlOf(COMPOSE_PATHS.overlay(name)).services;
  return Object.entries(base)
    .filter(([service, s]) => !s.profiles && (overlay[service]?.scale ?? s.scale ?? 1) > 0)
    .map(([service]) => service);
}

const withTopology = (changed: Topology): Topology[] =>
  CATALOG.map((t) => (t.name === changed.name ? changed : t));

describe('generated compose files', () => {
  it('are committed exactly as the generator makes them from the model (drift test)', async () => {
    expect(await composeDrift()).toEqual({ changed: [], stale: [] });
  });

  it('change when the model changes', () => {
    const local = getTopology('local');
    const bigger = withTopology({ ...local, appServers: 5, loadBalancing: 'least-conn' });
    expect(fileOf(COMPOSE_PATHS.overlay('local'), bigger)).toContain('app-5:');
    expect(fileOf(COMPOSE_PATHS.nginx('local'), bigger)).toContain('least_conn;');
    expect(fileOf(COMPOSE_PATHS.prometheus('local'), bigger)).toContain('app-5:3000');
    expect(Object.keys(yamlOf(COMPOSE_PATHS.base, bigger).services)).toContain('app-5');
    const sharded = getTopology('global-sharded');
    const four = withTopology({ ...sharded, redis: { kind: 'shards', count: 4 } });
    expect(fileOf(COMPOSE_PATHS.overlay('global-sharded'), four)).toContain('redis-4:6379');
    const quieter = withTopology({ ...local, cache: { ...local.cache, ttlMs: 1_000 } });
    expect(fileOf(COMPOSE_PATHS.overlay('local'), quieter)).toContain('CACHE_TTL_MS: "1000"');
  });

  it('open with a usage header', () => {
    for (const file of committed.filter((f) => f.path.endsWith('.yaml'))) {
      expect(file.text.startsWith('# cachelab'), file.path).toBe(true);
      expect(file.text).toContain('Usage');
    }
  });
});

describe('compose.yaml', () => {
  const base = yamlOf(COMPOSE_PATHS.base).services;

  it('gives every service a pinned image, a healthcheck, CPU and memory limits', async () => {
    const pins = await readEnvFile(`${COMPOSE_DIR}.env`);
    for (const [name, s] of Object.entries(base)) {
      const variable = /^\$\{(CACHELAB_[A-Z0-9_]+_IMAGE)\}$/.exec(s.image ?? '')?.[1];
      expect(variable && pins.has(variable), `${name} image ${s.image}`).toBe(true);
      expect(s.healthcheck?.test ?? s.healthcheck?.disable, `${name} healthcheck`).toBeTruthy();
      expect(s.cpus, name).toBeGreaterThan(0);
      expect(s.mem_limit, name).toMatch(/^\d+[mg]$/);
    }
  });

  it('publishes ports on 127.0.0.1 only and depends on conditions', () => {
    const all = (pick: (s: ComposeService) => unknown[]) => Object.values(base).flatMap(pick);
    for (const port of all((s) => s.ports ?? [])) expect(port).toMatch(/^127\.0\.0\.1:/);
    const conditions = all((s) => Object.values(s.depends_on ?? {}).map((d) => d.condition));
    expect(new Set(conditions)).toEqual(new Set(['service_healthy', 'service_started']));
    // service_started only on what has no healthcheck (compose refuses service_healthy there).
    for (const s of Object.values(base)) {
      for (const [name, d] of Object.entries(s.depends_on ?? {})) {
        const probed = base[name]?.healthcheck?.test !== undefined;
        expect(d.condition, name).toBe(probed ? 'service_healthy' : 'service_started');
      }
    }
  });

  it('gives the nginx exporter flags both its 0.11 (Debian) and 1.x (official) versions accept', () => {
    const command = base['nginx-exporter']?.command ?? [];
    expect(command).toEqual([
      '--nginx.scrape-uri=http://nginx:8080/nginx_status',
      '--web.listen-address=:9113',
    ]);
    expect(portableNginxExporterArgs(['-nginx.retries=5', '--web.listen-address=:1'])).toEqual([
      '--web.listen-address=:1',
    ]);
  });

  it('keeps Prometheus, the exporters and Grafana behind `observability`, k6 behind `k6`, the fault proxy behind `network`', () => {
    const profiled = Object.entries(base).filter(([, s]) => s.profiles);
    expect(Object.fromEntries(profiled.map(([n, s]) => [n, s.profiles]))).toEqual({
      prometheus: ['observability'],
      'redis-exporter': ['observability'],
      'postgres-exporter': ['observability'],
      'nginx-exporter': ['observability'],
      grafana: ['observability'],
      k6: ['k6'],
      'fault-proxy': ['network'],
    });
  });
});

describe('Redis passwords', () => {
  const base = yamlOf(COMPOSE_PATHS.base).services;

  it('make every Redis node require REDIS_PASSWORD, replicas included (masterauth)', () => {
    for (const name of CATALOG.filter((t) => t.redis.kind !== 'none').map((t) => t.name)) {
      const overlay = yamlOf(COMPOSE_PATHS.overlay(name)).services;
      const nodes = Object.keys(overlay).filter((s) => /^redis-\d+$/.test(s));
      expect(nodes.length, name).toBeGreaterThan(0);
      for (const node of nodes) {
        const command = overlay[node]?.command ?? [];
        for (const flag of ['--requirepass', '--masterauth']) {
          expect(command[command.indexOf(flag) + 1], `${name} ${node} ${flag}`).toBe(
            REDIS_PASSWORD_REF,
          );
        }
      }
      const apps = Object.keys(overlay).filter((s) => /^app-\d+$/.test(s));
      for (const app of apps) {
        expect(overlay[app]?.environment?.REDIS_PASSWORD, `${name} ${app}`).toBe(
          REDIS_PASSWORD_REF,
        );
      }
    }
  });

  it('authenticate the healthchecks, the cluster init and the exporter', () => {
    const cli = Object.entries(base).filter(
      ([n]) => n.startsWith('redis-') && n !== 'redis-exporter',
    );
    expect(cli.length).toBeGreaterThan(6);
    for (const [name, s] of cli) {
      expect(s.environment?.REDISCLI_AUTH, name).toBe(REDIS_PASSWORD_REF);
    }
    expect(base['redis-exporter']?.environment?.REDIS_PASSWORD).toBe(REDIS_PASSWORD_REF);
    const local = yamlOf(COMPOSE_PATHS.overlay('local')).services;
    expect(local['app-1']?.environment?.REDIS_PASSWORD).toBeUndefined();
  });
});

describe('topology overlays', () => {
  it('turn on exactly the services of each topology', () => {
    expect(runningServices('local-single')).toEqual(['nginx', 'postgres', 'seed', 'app-1']);
    expect(runningServices('global')).toEqual([
      ...['nginx', 'postgres', 'seed', 'app-1', 'app-2', 'app-3', 'invalidator', 'redis-1'],
    ]);
    // The outbox invalidator runs beside the shared-cache topologies only.
    expect(runningServices('local')).not.toContain('invalidator');
    expect(runningServices('global-sharded').filter((s) => s.startsWith('redis'))).toHaveLength(3);
    expect(runningServices('global-cluster')).toContain('redis-cluster-init');
  });

  it('make the app servers wait for the seed and for cluster_state:ok', () => {
    const overlay = yamlOf(COMPOSE_PATHS.overlay('global-cluster')).services;
    expect(overlay['app-1']?.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      seed: { condition: 'service_completed_successfully' },
      'redis-cluster-init': { condition: 'service_completed_successfully' },
    });
    expect(overlay['redis-cluster-init']?.command).toEqual([
      '1',
      ...[1, 2, 3, 4, 5, 6].map((i) => `redis-${i}:6379`),
    ]);
    expect(overlay['redis-4']?.command).toContain('--cluster-announce-hostname');
    expect(overlay['app-2']?.environment?.REDIS_NODES).toBe(
      [1, 2, 3, 4, 5, 6].map((i) => `redis-${i}:6379`).join(','),
    );
  });

  it('derive the app environment and nginx upstreams from the model', () => {
    const overlay = yamlOf(COMPOSE_PATHS.overlay('two-tier')).services;
    expect(overlay['app-3']?.environment).toMatchObject({
      SERVER_ID: 'app-3',
      TOPOLOGY: 'two-tier',
      CACHE_MODE: 'two-tier',
      REDIS_URL: 'redis://redis-1:6379',
      HOST: '0.0.0.0',
    });
    const nginx = fileOf(COMPOSE_PATHS.nginx('local-hash'));
    expect(nginx).toContain('server app-3:3000 max_fails=2 fail_timeout=5s;');
    expect(nginx).toContain('hash $profile_id consistent;');
    expect(nginx).toContain('listen 0.0.0.0:8080;');
  });
});

describe('compose.offline.yaml', () => {
  it('swaps every image for its offline build and keeps Grafana and k6 off', () => {
    const base = yamlOf(COMPOSE_PATHS.base).services;
    const offline = yamlOf(COMPOSE_PATHS.offline).services;
    expect(Object.keys(offline).sort()).toEqual(Object.keys(base).sort());
    for (const [name, s] of Object.entries(offline)) {
      if (name === 'grafana' || name === 'k6') {
        expect(s).toEqual({ image: ref('CACHELAB_OFFLINE_BASE_IMAGE'), scale: 0 });
      } else {
        expect(s.image, name).toMatch(/^\$\{CACHELAB_OFFLINE_[A-Z_]+_IMAGE\}$/);
      }
    }
  });
});
