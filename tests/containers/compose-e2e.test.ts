import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ComposeCli,
  DOWN_COMMAND,
  runCompose,
} from '../../lab/run/driver/compose/compose-binary.ts';
import { createComposeDriver } from '../../lab/run/driver/compose/driver.ts';
import { parseSecrets, placeholderSecrets } from '../../lab/run/driver/compose/secrets.ts';
import type { ComposeLab } from '../../lab/run/driver/compose/up.ts';
import { freePort } from '../../lab/run/processes/ports.ts';
import { getTopology } from '../../lab/topology/catalog.ts';
import { runLoad } from '../../loadtests/runner/run-load.ts';
import { profileKey } from '../../services/app/src/cache/keys.ts';
import { describeWithDocker, dockerOk } from '../docker/docker-cli.ts';
import {
  containerName,
  existingVolumes,
  probeCompose,
  projectLeftovers,
  projectVolumes,
} from './compose-support.ts';
import {
  anonymousRedis,
  INVALIDATION_BOUND_MS,
  msUntilServed,
  patchHeadline,
  read,
} from './support.ts';

// `two-tier` end to end through the compose driver (the offline images here), a short load through
// nginx with the Node runner, the cache headers, then `down` leaving nothing behind.
const probe = await probeCompose();

const TOPOLOGY = 'two-tier';
const SEED_USERS = 500;
const KEYS = 200;

describeWithDocker('compose driver end to end: two-tier', probe, () => {
  const prefix = `cachelab-e2e-${process.pid}`;
  let dir = '';
  let lab: ComposeLab | undefined;
  let volumes: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compose-e2e-'));
    const driver = createComposeDriver({
      projectPrefix: prefix,
      secretsFile: join(dir, 'secrets.env'),
      readyTimeoutMs: 180_000,
    });
    lab = await driver.up(getTopology(TOPOLOGY), {
      runDir: dir,
      httpPort: await freePort(),
      seedUsers: SEED_USERS,
      appLogLevel: 'warn',
    });
    volumes = await projectVolumes(lab.project.name);
  });

  afterAll(async () => {
    // Whatever happened above, the project goes: compose down by name, then the temp folder.
    const cli: ComposeCli = probe.cli as ComposeCli;
    const project = lab?.project;
    if (project) await runCompose(cli, project, DOWN_COMMAND, { env: placeholderSecrets() });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves through nginx on 127.0.0.1 with the cache headers', async () => {
    const current = lab as ComposeLab;
    expect(current.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const first = await read(current.url, 5);
    expect(first).toMatchObject({ status: 200 });
    expect(first.servedBy).toMatch(/^app-[123]$/);
    expect(['MISS', 'HIT-L1', 'HIT-L2']).toContain(first.cache);
    expect(first.version).toBeGreaterThan(0);
    expect(current.state.services.map((s) => s.name).sort()).toEqual(
      // two-tier's outbox+lease consistency runs the outbox invalidator beside the app servers.
      ['app-1', 'app-2', 'app-3', 'invalidator', 'nginx', 'postgres', 'redis-1'].sort(),
    );
  });

  it('Redis requires the password of secrets.env, which the app servers use', async () => {
    const current = lab as ComposeLab;
    const { REDIS_PASSWORD: password = '' } = parseSecrets(
      await readFile(join(dir, 'secrets.env'), 'utf8'),
      'secrets.env',
    );
    const url = current.state.redis.url ?? '';
    const client = new Redis(url, { password });
    const anonymous = anonymousRedis(Number(new URL(url).port));
    try {
      // Profile 5 was read through nginx above: an app server stored it in Redis (L2).
      expect(await client.exists(profileKey(5))).toBe(1);
      await expect(anonymous.get(profileKey(5))).rejects.toThrow(/NOAUTH/);
    } finally {
      client.disconnect();
      anonymous.disconnect();
    }
  });

  it('carries a short read-heavy load through nginx without errors', async () => {
    const current = lab as ComposeLab;
    // 2 cores shared by nginx, 3 apps, Postgres, Redis (and whatever else runs): warm the caches and the
    // connection pools one request at a time, then a modest rate, so the test checks behaviour, not
    // capacity (a cold burst can time out DB connects, and nginx then takes every server out).
    for (let id = 1; id <= KEYS; id++) expect((await read(current.url, id)).status).toBe(200);
    const result = await runLoad({
      baseUrl: current.url,
      workload: 'read-heavy',
      keyCount: KEYS,
      rate: 50,
      durationSec: 5,
      warmupSec: 2,
      seed: 7,
      timeoutMs: 2_000,
      maxInFlight: 64,
      topology: TOPOLOGY,
    });
    expect(result.requests.completed).toBeGreaterThan(200);
    const errors = Object.values(result.errors).reduce((a, b) => a + b, 0);
    expect(errors, JSON.stringify({ errors: result.errors, samples: result.errorSamples })).toBe(0);
    expect(Object.keys(result.servedBy).sort()).toEqual(['app-1', 'app-2', 'app-3']);
    expect(result.cacheResults['HIT-L1'] ?? 0).toBeGreaterThan(0);
    expect(result.cacheResults['HIT-L2'] ?? 0).toBeGreaterThan(0);
    expect(result.cacheResults.NONE ?? 0).toBe(0);
  });

  it('a PATCH through nginx reaches every app server’s L1 within the bound', async () => {
    const current = lab as ComposeLab;
    const apps = current.state.services.filter((s) => s.role === 'app');
    const urls = apps.map((s) => `http://127.0.0.1:${s.ports[0]}`);
    for (const url of urls) await read(url, 12);
    const version = await patchHeadline(current.url, 12);
    for (const url of urls) {
      expect(await msUntilServed(url, 12, version)).toBeLessThan(INVALIDATION_BOUND_MS);
    }
  });

  it('Redis stopped: reads through nginx still answer 200', async () => {
    const current = lab as ComposeLab;
    const redis = containerName(probe.cli as ComposeCli, current.project.name, 'redis-1');
    await dockerOk(['stop', '--time', '2', redis]);
    for (const id of [5, 12, 99]) expect((await read(current.url, id)).status).toBe(200);
  });

  it('down removes every container, network and volume of the project', async () => {
    const current = lab as ComposeLab;
    await current.down();
    expect(await projectLeftovers(current.project.name)).toEqual({
      containers: 0,
      networks: 0,
      volumes: 0,
    });
    expect(volumes.length).toBeGreaterThan(0);
    expect(await existingVolumes(volumes)).toEqual([]);
  });
});
