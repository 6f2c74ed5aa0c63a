import { join } from 'node:path';
import { Cluster } from 'ioredis';
import {
  DockerComposeEnvironment,
  type StartedDockerComposeEnvironment,
  Wait,
} from 'testcontainers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMPOSE_DIR, GENERATED_COMPOSE_DIR } from '../../lab/render/compose/compose-folders.ts';
import { COMPOSE_PATHS } from '../../lab/render/compose/compose-types.ts';
import { hostClusterOptions } from '../../lab/run/driver/compose/cluster-nat-map.ts';
import {
  type ComposeCli,
  DOWN_COMMAND,
  runCompose,
} from '../../lab/run/driver/compose/compose-binary.ts';
import { placeholderSecrets } from '../../lab/run/driver/compose/secrets.ts';
import { freePort } from '../../lab/run/processes/ports.ts';
import { profileKey } from '../../services/app/src/cache/keys.ts';
import { describeWithDocker, waitFor } from '../docker/docker-cli.ts';
import {
  environmentKey,
  existingVolumes,
  probeCompose,
  projectLeftovers,
  projectVolumes,
  testProjectName,
} from './compose-support.ts';
import { anonymousRedis, configureTestcontainers, read } from './support.ts';

// The generated compose files of `global-cluster` (base + overlay + offline override) brought up by
// testcontainers' DockerComposeEnvironment: Redis Cluster 3+3, three app servers, nginx, Postgres, and
// the observability profile (Prometheus and exporters; no Grafana offline).
const probe = await probeCompose();
configureTestcontainers();

const TOPOLOGY = 'global-cluster';
const REDIS_PASSWORD = 'compose-env-redis-pw';

/** Job and health of every active Prometheus target. */
async function scrapeHealth(url: string): Promise<{ job: string; health: string }[]> {
  const res = await fetch(`${url}/api/v1/targets`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as {
    data: { activeTargets: { labels: { job: string }; health: string }[] };
  };
  return body.data.activeTargets.map((t) => ({ job: t.labels.job, health: t.health }));
}
/** Values of an instant PromQL query, one per series. */
async function instantValues(url: string, query: string): Promise<string[]> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
  return body.data.result.map((r) => r.value[1]);
}
const FILES = [COMPOSE_PATHS.base, COMPOSE_PATHS.overlay(TOPOLOGY), COMPOSE_PATHS.offline];

describeWithDocker('compose global-cluster via DockerComposeEnvironment', probe, () => {
  const cli = probe.cli as ComposeCli;
  const project = testProjectName('compose-env');
  const name = (service: string) => environmentKey(cli, project, service);
  let env: StartedDockerComposeEnvironment | undefined;
  let volumes: string[] = [];
  let httpUrl = '';
  let prometheusUrl = '';

  const port = (service: string, containerPort: number): number =>
    env?.getContainer(name(service)).getMappedPort(containerPort) ?? 0;

  beforeAll(async () => {
    const [httpPort, prometheusPort] = [await freePort(), await freePort()];
    httpUrl = `http://127.0.0.1:${httpPort}`;
    prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    const executable = cli.flavor === 'v1' ? { standalone: true as const } : undefined;
    env = await new DockerComposeEnvironment(GENERATED_COMPOSE_DIR, FILES)
      .withProjectName(project)
      .withProfiles('observability')
      .withClientOptions(executable ? { executable } : {})
      .withEnvironmentFile(join(COMPOSE_DIR, '.env'))
      .withEnvironment({
        POSTGRES_PASSWORD: 'compose-env-test-pw',
        REDIS_PASSWORD,
        CACHELAB_HTTP_PORT: String(httpPort),
        CACHELAB_PROMETHEUS_PORT: String(prometheusPort),
        CACHELAB_SEED_USERS: '200',
        CACHELAB_APP_LOG_LEVEL: 'warn',
      })
      .withWaitStrategy(name('nginx'), Wait.forHealthCheck())
      // No healthcheck (the official image has no shell): running is all it reports; Prometheus' `up`
      // below is its health.
      .withWaitStrategy(name('nginx-exporter'), Wait.forListeningPorts())
      .withDefaultWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(120_000)
      .up();
    volumes = await projectVolumes(project);
  });

  afterAll(async () => {
    // Down even when `up` or a test failed half-way: no Ryuk reaps compose projects here.
    const files = FILES.map((f) => join(GENERATED_COMPOSE_DIR, f));
    const composeProject = {
      name: project,
      envFile: join(COMPOSE_DIR, '.env'),
      files,
      profiles: [],
    };
    await runCompose(cli, composeProject, DOWN_COMMAND, { env: placeholderSecrets() });
    expect(await projectLeftovers(project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('runs the cluster: ioredis on the host follows MOVED through natMap', async () => {
    const nodes = [1, 2, 3, 4, 5, 6].map((i) => `127.0.0.1:${port(`redis-${i}`, 6379)}`);
    const cluster = new Cluster(
      [{ host: '127.0.0.1', port: port('redis-1', 6379) }],
      hostClusterOptions(nodes, REDIS_PASSWORD, {
        redisOptions: { connectTimeout: 2_000, commandTimeout: 2_000 },
      }),
    );
    const anonymous = anonymousRedis(port('redis-1', 6379));
    try {
      await expect(anonymous.call('CLUSTER', 'INFO')).rejects.toThrow(/NOAUTH/);
      expect(await cluster.cluster('INFO')).toContain('cluster_state:ok');
      const keys = Array.from({ length: 30 }, (_, i) => `compose-env:${i}`);
      for (const key of keys) await cluster.set(key, key);
      expect(await Promise.all(keys.map((k) => cluster.get(k)))).toEqual(keys);
      expect(await read(httpUrl, 23)).toMatchObject({ status: 200 });
      expect(await cluster.exists(profileKey(23))).toBe(1);
    } finally {
      cluster.disconnect();
      anonymous.disconnect();
    }
  });

  it('global-cluster: cached through app-1 is HIT-L2 through app-2', async () => {
    const [a, b] = ['app-1', 'app-2'].map((s) => `http://127.0.0.1:${port(s, 3000)}`) as [
      string,
      string,
    ];
    expect(await read(a, 41)).toMatchObject({ status: 200, cache: 'MISS', servedBy: 'app-1' });
    expect(await read(b, 41)).toMatchObject({ status: 200, cache: 'HIT-L2', servedBy: 'app-2' });
  });

  it('observability: Prometheus scrapes every app, the invalidator, every Redis node, Postgres and nginx', async () => {
    const health = await waitFor(
      'every target up',
      async () => {
        const targets = await scrapeHealth(prometheusUrl);
        return targets.length === 12 && targets.every((t) => t.health === 'up')
          ? targets
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    );
    expect(health.map((t) => t.job).sort()).toEqual([
      ...['cachelab-app', 'cachelab-app', 'cachelab-app', 'cachelab-invalidator', 'nginx'],
      'postgres',
      ...Array(6).fill('redis'),
    ]);
    // A scrape is `up` even when the exporter cannot log in to Redis: redis_up says it did.
    expect(await instantValues(prometheusUrl, 'redis_up')).toEqual(Array(6).fill('1'));
  });

  it('every Redis node stopped: reads through nginx still answer 200', async () => {
    const redis = [1, 2, 3, 4, 5, 6].map((i) => env?.getContainer(name(`redis-${i}`)));
    await Promise.all(redis.map((c) => c?.stop({ remove: false })));
    for (const id of [41, 42, 43]) expect((await read(httpUrl, id)).status).toBe(200);
  });

  it('goes down leaving no container, network or volume', async () => {
    await env?.down({ removeVolumes: true, timeout: 10_000 });
    env = undefined;
    expect(await projectLeftovers(project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    expect(volumes.length).toBeGreaterThan(0);
    expect(await existingVolumes(volumes)).toEqual([]);
  });
});
