import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSwarmLoad } from '../../lab/measure/load/distributed/swarm-load.ts';
import { createSwarmDriver, type SwarmLab } from '../../lab/run/driver/swarm/driver.ts';
import { downStack } from '../../lab/run/driver/swarm/stack-down.ts';
import { stackLeftovers } from '../../lab/run/driver/swarm/swarm-cli.ts';
import { freePort } from '../../lab/run/processes/ports.ts';
import { getTopology } from '../../lab/topology/catalog.ts';
import { runLoad } from '../../loadtests/runner/run-load.ts';
import { describeWithDocker, dockerOk, probeDockerEngine, waitFor } from '../docker/docker-cli.ts';
import { read } from './support.ts';
import { ensureSwarm, leaveSwarm, type SwarmScope, stackContainers } from './swarm-support.ts';

// The swarm driver end to end on a single-node swarm (created here unless the engine is in one, and
// left afterwards only then), with the offline images: global and two-tier through nginx, a live
// scale from 3 to 5 app servers under a bounded load with no failed request, Redis Cluster following
// announced hostnames, and `down` leaving no service, network, volume, secret, config or container.
const probe = await probeDockerEngine();
const SEED_USERS = 400;
// Up, load and down of a whole stack on a shared 2-core box: minutes, each bounded here.
const TEST_MS = 240_000;
const SCALE_TEST_MS = 420_000;
const CLUSTER_TEST_MS = 300_000;

const nothingLeft = {
  services: [],
  containers: [],
  networks: [],
  volumes: [],
  secrets: [],
  configs: [],
};

describeWithDocker('swarm driver end to end', probe, () => {
  let scope: SwarmScope | undefined;
  let dir = '';
  const prefix = `cachelab-swarm-${process.pid}`;
  const driver = () =>
    createSwarmDriver({
      stackPrefix: prefix,
      secretsFile: join(dir, 'secrets.env'),
      readyTimeoutMs: 180_000,
    });

  beforeAll(async () => {
    scope = await ensureSwarm();
    dir = await mkdtemp(join(tmpdir(), 'swarm-e2e-'));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    await leaveSwarm(scope);
  });

  /** Brings `name` up in its own run folder; whatever happens, the test's `finally` removes it. */
  async function up(name: string): Promise<SwarmLab> {
    const runDir = await mkdtemp(join(dir, `${name}-`));
    return driver().up(getTopology(name), {
      runDir,
      httpPort: await freePort(),
      seedUsers: SEED_USERS,
      appLogLevel: 'warn',
    });
  }

  async function downAndCheck(lab: SwarmLab): Promise<void> {
    await lab.down();
    expect(await stackLeftovers(lab.record.stack)).toEqual(nothingLeft);
    expect(await stackContainers(lab.record.stack)).toEqual([]);
  }

  // A failed test must not leave its stack: removed by name if `down` was not reached.
  async function withLab(name: string, body: (lab: SwarmLab) => Promise<void>): Promise<void> {
    const lab = await up(name);
    try {
      await body(lab);
    } finally {
      const left = await stackLeftovers(lab.record.stack);
      if (left.services.length > 0) await downStack(lab.record.stack, lab.state.runDir);
    }
  }

  it(
    'global: serves through nginx, scales 3 -> 5 under load with no failed request, down leaves nothing',
    async () => {
      await withLab('global', async (lab) => {
        const first = await read(lab.url, 7);
        expect(first.status).toBe(200);
        expect(first.servedBy).toMatch(/^app-[123]$/);
        expect(lab.state.services.filter((s) => s.role === 'app')).toHaveLength(3);

        const d = driver();
        // A stack just deployed is cold (connection pools, Postgres buffers, no cached profile): the
        // warm-up absorbs that, and the scale starts with the measured window and ends inside it.
        const WARMUP_SEC = 10;
        const WINDOW_SEC = 30;
        let scaled: Promise<unknown> = Promise.resolve();
        let scaleDoneSec = Number.POSITIVE_INFINITY;
        let timer: NodeJS.Timeout | undefined;
        const result = await runLoad({
          baseUrl: lab.url,
          workload: 'read-heavy',
          keyCount: SEED_USERS,
          rate: 15,
          durationSec: WINDOW_SEC,
          warmupSec: WARMUP_SEC,
          seed: 3,
          // Generous: the box is shared, and a slow answer is not a failed one; an error class is.
          timeoutMs: 15_000,
          // Starting two Node servers on a 2-core box slows every answer for a few seconds: room enough
          // that no scheduled request is dropped while it happens.
          maxInFlight: 400,
          topology: 'global',
          onStart: (startAt) => {
            let resolveScale: (v: unknown) => void = () => {};
            scaled = new Promise((resolve) => {
              resolveScale = resolve;
            });
            timer = setTimeout(() => {
              const scaling = d.scale(lab.state, 'app', 5);
              // A failed scale is reported where `scaled` is awaited below.
              scaling.then(
                () => {
                  scaleDoneSec = (performance.timeOrigin + performance.now() - startAt) / 1000;
                },
                () => {},
              );
              resolveScale(scaling);
            }, WARMUP_SEC * 1000);
          },
        });
        clearTimeout(timer);
        const state = (await await scaled) as typeof lab.state;
        expect(scaleDoneSec).toBeLessThan(WARMUP_SEC + WINDOW_SEC);
        expect(state.services.filter((s) => s.role === 'app').map((s) => s.name)).toEqual([
          'app-1',
          'app-2',
          'app-3',
          'app-4',
          'app-5',
        ]);
        expect(result.requests.sent).toBe(result.requests.scheduled);
        expect(result.errorSamples, JSON.stringify(result.errors)).toEqual({});
        expect(result.requests.completed).toBe(result.requests.sent);
        expect(result.errors).toEqual({
          timeout: 0,
          connection: 0,
          http4xx: 0,
          http5xx: 0,
          other: 0,
        });
        // The new servers were found by nginx re-resolving the service name, without a reload.
        expect(result.servedBy['app-4'] ?? 0).toBeGreaterThan(0);
        expect(result.servedBy['app-5'] ?? 0).toBeGreaterThan(0);

        const status = await d.status(state);
        expect(status.serving).toBe(true);
        expect(status.services.filter((s) => s.role === 'app' && s.alive)).toHaveLength(5);

        // Distributed load: 2 runner replicas on the stack's network, one shared start, one merged result.
        const spread = await runSwarmLoad({
          stack: lab.record.stack,
          replicas: 2,
          image: lab.record.appImage,
          load: {
            workload: 'read-heavy',
            keyCount: SEED_USERS,
            rate: 20,
            durationSec: 6,
            warmupSec: 1,
            seed: 5,
            timeoutMs: 15_000,
            maxInFlight: 200,
            topology: 'global',
          },
        });
        // Every scheduled request of both shares is in the one result, each answered by an app server.
        expect(spread.requests.scheduled).toBe(120);
        expect(spread.requests.sent).toBe(120);
        expect(spread.requests.completed).toBe(120);
        expect(spread.latencyMs.count).toBe(120);
        expect(Object.values(spread.servedBy).reduce((a, b) => a + b, 0)).toBe(120);
        expect(await stackLeftovers(lab.record.stack)).toMatchObject({
          services: expect.not.arrayContaining([expect.stringContaining('_load-')]),
        });
        await downAndCheck(lab);
      });
    },
    SCALE_TEST_MS,
  );

  it(
    'two-tier: second read of a profile is a cache hit; down leaves nothing',
    async () => {
      await withLab('two-tier', async (lab) => {
        const miss = await read(lab.url, 11);
        expect(miss).toMatchObject({ status: 200, cache: 'MISS' });
        const again = await read(lab.url, 11);
        expect(again.status).toBe(200);
        expect(['HIT-L1', 'HIT-L2']).toContain(again.cache);
        expect(lab.record.nginxMode).toBe(lab.record.offline ? 'variable' : 'resolve');
        await downAndCheck(lab);
      });
    },
    TEST_MS,
  );

  describe('Redis Cluster', () => {
    it(
      'global-cluster: nodes announce service names the app servers follow',
      async () => {
        await withLab('global-cluster', async (lab) => {
          // Keys on every master: each read once, then polled (bounded) until it is an L2 hit, which
          // needs the app servers to have followed the announced names to the slot's master.
          for (const id of [1, 2, 3, 4, 5, 6]) {
            expect((await read(lab.url, id)).status).toBe(200);
            const hit = await waitFor(
              `an L2 hit for profile ${id}`,
              async () => ((await read(lab.url, id)).cache === 'HIT-L2' ? true : undefined),
              { timeoutMs: 60_000, intervalMs: 500 },
            );
            expect(hit).toBe(true);
          }
          const [node] = await stackContainers(lab.record.stack).then(async (ids) =>
            (
              await Promise.all(
                ids.map(async (id) => {
                  const name = await dockerOk([
                    'inspect',
                    '--format',
                    '{{index .Config.Labels "com.docker.swarm.service.name"}}',
                    id,
                  ]);
                  return name.trim().endsWith('_redis-1') ? [id] : [];
                }),
              )
            ).flat(),
          );
          expect(node).toBeDefined();
          const cli = (command: string) =>
            dockerOk([
              'exec',
              node ?? '',
              'sh',
              '-c',
              `REDISCLI_AUTH="$(cat /run/secrets/redis_password)" redis-cli ${command}`,
            ]);
          // CLUSTER NODES: `<id> <ip:port@bus,hostname> …`: every node is known by its service name.
          const hostnames = (await cli('cluster nodes'))
            .split('\n')
            .map((l) => /,([^ ]+) /.exec(l)?.[1])
            .filter((h) => h !== undefined);
          expect(hostnames.sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `redis-${i}`));
          // CLUSTER SLOTS (what MOVED points to) gives each slot range's master by that name, not an IP.
          const slots = (await cli('cluster slots')).split('\n').map((l) => l.trim());
          const named = slots.filter((l) => /^redis-\d+$/.test(l));
          expect(named.length).toBeGreaterThanOrEqual(3);
          expect(slots.filter((l) => /^\d+\.\d+\.\d+\.\d+$/.test(l)).length).toBeLessThanOrEqual(
            named.length,
          );
          await downAndCheck(lab);
        });
      },
      CLUSTER_TEST_MS,
    );
  });
});
