import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { Redis } from 'ioredis';
import {
  GenericContainer,
  type StartedNetwork,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import { expect } from 'vitest';
import { appServerEnv, type RedisEndpoints } from '../../lab/topology/app-env.ts';
import { getTopology } from '../../lab/topology/catalog.ts';
import { applySchema, seedUsers } from '../../services/app/src/db/setup.ts';
import { disableRyukUnlessSet, dockerOk } from '../docker/docker-cli.ts';
import { pin, readPins } from '../docker/pins-file.ts';

/** Image families the container suites run. */
export type TestImage = 'APP' | 'REDIS' | 'POSTGRES' | 'NGINX';

/**
 * The image of `family`: CACHELAB_TEST_<FAMILY>_IMAGE if set, else the offline pin (this machine has no
 * registry), or the official pin with CACHELAB_TEST_IMAGES=official.
 */
export function testImage(family: TestImage): string {
  const override = process.env[`CACHELAB_TEST_${family}_IMAGE`];
  if (override) return override;
  const official = process.env.CACHELAB_TEST_IMAGES === 'official';
  return pin(
    readPins(),
    official ? `CACHELAB_${family}_IMAGE` : `CACHELAB_OFFLINE_${family}_IMAGE`,
  );
}

/** testcontainers settings of these suites: no Ryuk (no registry), everything on 127.0.0.1. */
export function configureTestcontainers(): void {
  disableRyukUnlessSet();
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
}

interface PortBinding {
  HostIp?: string;
  HostPort: string;
}

/** Publishes every exposed port on 127.0.0.1 only (testcontainers binds 0.0.0.0 by default). */
export function loopbackOnly<T extends GenericContainer>(container: T): T {
  // hostConfig is protected; PortBindings is the Docker API's own field.
  const { hostConfig } = container as unknown as {
    hostConfig: { PortBindings?: Record<string, PortBinding[]> };
  };
  for (const bindings of Object.values(hostConfig.PortBindings ?? {})) {
    for (const binding of bindings) binding.HostIp = '127.0.0.1';
  }
  return container;
}

/** The password every Redis of these suites requires (requirepass, masterauth), as in compose. */
export const REDIS_PASSWORD = 'containers-redis-pw';

/**
 * A client of 127.0.0.1:`port` without the password, to show that Redis refuses it: no ready check
 * (its INFO would be refused too, as an unhandled error event) and no retries.
 */
export function anonymousRedis(port: number): Redis {
  return new Redis(port, '127.0.0.1', { enableReadyCheck: false, maxRetriesPerRequest: 0 });
}

/** The lab database as containers on the suite network reach it (alias `postgres`). */
export const LAB_DB = { user: 'cachelab', db: 'cachelab', password: 'containers-test-pw' };
const containerDbUrl = `postgres://${LAB_DB.user}:${LAB_DB.password}@postgres:5432/${LAB_DB.db}`;

/** Starts Postgres (PostgreSqlContainer module) on `network` and seeds `users` from the host. */
export async function startLabPostgres(
  network: StartedNetwork,
  labels: Record<string, string>,
  users: number,
): Promise<StartedPostgreSqlContainer> {
  const container = new PostgreSqlContainer(testImage('POSTGRES'))
    .withNetwork(network)
    .withNetworkAliases('postgres')
    .withLabels(labels)
    .withDatabase(LAB_DB.db)
    .withUsername(LAB_DB.user)
    .withPassword(LAB_DB.password);
  const started = await loopbackOnly(container).start();
  const hostUrl = `postgres://${LAB_DB.user}:${LAB_DB.password}@127.0.0.1:${started.getMappedPort(5432)}/${LAB_DB.db}`;
  await applySchema(hostUrl);
  await seedUsers(hostUrl, users);
  return started;
}

/**
 * Starts app server `index` (0 = A, 1 = B) of catalog topology `name` from the app image; with Redis, it
 * authenticates with REDIS_PASSWORD.
 */
export function startApp(
  network: StartedNetwork,
  labels: Record<string, string>,
  name: string,
  index: number,
  redis: RedisEndpoints,
): Promise<StartedTestContainer> {
  const topology = getTopology(name);
  const env = appServerEnv(topology, {
    index,
    port: 3000,
    host: '0.0.0.0',
    databaseUrl: containerDbUrl,
    redis,
    diskCacheDir: '/app/.lab/disk-cache',
    // info: the wait strategy watches for the app's `listening` line.
    logLevel: 'info',
  });
  if (topology.redis.kind !== 'none') env.REDIS_PASSWORD = REDIS_PASSWORD;
  const container = new GenericContainer(testImage('APP'))
    .withNetwork(network)
    .withLabels(labels)
    .withEnvironment(env)
    .withExposedPorts(3000)
    .withWaitStrategy(Wait.forLogMessage(/"msg":"listening"/))
    .withStartupTimeout(60_000);
  return loopbackOnly(container).start();
}

/** http://127.0.0.1:PORT of a started app container. */
export const appUrl = (c: StartedTestContainer): string =>
  `http://127.0.0.1:${c.getMappedPort(3000)}`;

/** What one GET /profiles/:id answered. */
export interface Read {
  status: number;
  servedBy: string;
  cache: string;
  version: number;
}

/** GET /profiles/:id with a 5 s bound; the body is read and dropped. */
export async function read(base: string, id: number): Promise<Read> {
  const res = await fetch(`${base}/profiles/${id}`, { signal: AbortSignal.timeout(5_000) });
  await res.arrayBuffer();
  const header = (name: string): string => res.headers.get(name) ?? '';
  const version = Number(header('x-profile-version'));
  return { status: res.status, servedBy: header('x-served-by'), cache: header('x-cache'), version };
}

/** PATCHes the headline of `id` and returns the new version. */
export async function patchHeadline(base: string, id: number): Promise<number> {
  const res = await fetch(`${base}/profiles/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ headline: `containers test ${Date.now()}` }),
    signal: AbortSignal.timeout(5_000),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return Number(res.headers.get('x-profile-version'));
}

/** Upper bound on how long a PATCH may take to reach every L1 (pub/sub invalidation). */
export const INVALIDATION_BOUND_MS = 2_000;

/** Polls `base` (every 20 ms, at most INVALIDATION_BOUND_MS and 100 reads) until it serves `version`. */
export async function msUntilServed(base: string, id: number, version: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < 100 && performance.now() - started < INVALIDATION_BOUND_MS; i++) {
    if ((await read(base, id)).version >= version) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Number.POSITIVE_INFINITY;
}

/** Whether a Docker network with this id still exists. */
export async function networkExists(id: string): Promise<boolean> {
  return (await dockerOk(['network', 'ls', '-q', '--no-trunc', '--filter', `id=${id}`])) !== '';
}
