import type { StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer, type StartedRedisContainer } from '@testcontainers/redis';
import { Redis } from 'ioredis';
import { Network, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { profileKey } from '../../services/app/src/cache/keys.ts';
import { DockerScope, describeWithDocker, probeDockerEngine } from '../docker/docker-cli.ts';
import {
  anonymousRedis,
  appUrl,
  configureTestcontainers,
  INVALIDATION_BOUND_MS,
  loopbackOnly,
  msUntilServed,
  networkExists,
  patchHeadline,
  REDIS_PASSWORD,
  read,
  startApp,
  startLabPostgres,
  testImage,
} from './support.ts';

// The app image as two containers A and B on one network with Postgres and Redis (testcontainers
// modules), asserting what tests/topologies.test.ts asserts natively.
const probe = await probeDockerEngine();
configureTestcontainers();

const SEED_USERS = 200;
const REDIS = { url: 'redis://redis:6379' };

describeWithDocker('app containers A and B over Postgres and Redis containers', probe, () => {
  const scope = new DockerScope('app-containers');
  const labels = { 'org.cachelab.test': scope.id };
  let network: StartedNetwork | undefined;
  let postgres: StartedPostgreSqlContainer | undefined;
  let redis: StartedRedisContainer | undefined;

  beforeAll(async () => {
    network = await new Network().start();
    const redisContainer = new RedisContainer(testImage('REDIS'))
      .withNetwork(network)
      .withNetworkAliases('redis')
      .withLabels(labels)
      .withPassword(REDIS_PASSWORD);
    [postgres, redis] = await Promise.all([
      startLabPostgres(network, labels, SEED_USERS),
      loopbackOnly(redisContainer).start(),
    ]);
  });

  afterAll(async () => {
    // No Ryuk: remove by label whatever a failed test left, then the network, and prove it.
    await scope.cleanup();
    await network?.stop();
    expect(await scope.leftovers()).toEqual({ containers: 0, networks: 0, volumes: 0 });
    if (network) expect(await networkExists(network.getId())).toBe(false);
  });

  /** Starts A and B of `topology`, runs `check`, stops them whatever happens. */
  async function withPair(topology: string, check: (a: string, b: string) => Promise<void>) {
    const net = network as StartedNetwork;
    const apps: StartedTestContainer[] = await Promise.all([
      startApp(net, labels, topology, 0, REDIS),
      startApp(net, labels, topology, 1, REDIS),
    ]);
    try {
      await check(appUrl(apps[0] as StartedTestContainer), appUrl(apps[1] as StartedTestContainer));
    } finally {
      await Promise.all(apps.map((app) => app.stop()));
    }
  }

  it('global: a profile cached through A is HIT-L2 through B', async () => {
    await withPair('global', async (a, b) => {
      expect(await read(a, 9)).toMatchObject({ status: 200, cache: 'MISS', servedBy: 'app-1' });
      expect(await read(b, 9)).toMatchObject({ status: 200, cache: 'HIT-L2', servedBy: 'app-2' });
      const port = redis?.getMappedPort(6379) ?? 0;
      const client = new Redis(port, '127.0.0.1', { password: REDIS_PASSWORD });
      const anonymous = anonymousRedis(port);
      try {
        expect(await client.exists(profileKey(9))).toBe(1);
        // The apps got in with the password; without it Redis refuses.
        await expect(anonymous.get(profileKey(9))).rejects.toThrow(/NOAUTH/);
      } finally {
        client.disconnect();
        anonymous.disconnect();
      }
    });
  });

  it('local: A caches in its own RAM, B misses', async () => {
    await withPair('local', async (a, b) => {
      expect((await read(a, 21)).cache).toBe('MISS');
      expect((await read(a, 21)).cache).toBe('HIT-L1');
      expect((await read(b, 21)).cache).toBe('MISS');
    });
  });

  it('two-tier: a PATCH through A invalidates B’s L1 within the bound', async () => {
    await withPair('two-tier', async (a, b) => {
      await read(b, 11);
      const before = await read(b, 11);
      expect(before.cache).toBe('HIT-L1');
      const version = await patchHeadline(a, 11);
      expect(version).toBeGreaterThan(before.version);
      expect(await msUntilServed(b, 11, version)).toBeLessThan(INVALIDATION_BOUND_MS);
      expect((await read(b, 11)).version).toBeGreaterThanOrEqual(version);
    });
  });

  it('Redis stopped: profile reads through A and B still answer 200', async () => {
    await withPair('two-tier', async (a, b) => {
      await read(a, 31);
      await redis?.stop();
      redis = undefined;
      for (const base of [a, b]) {
        for (const id of [31, 32]) expect((await read(base, id)).status).toBe(200);
      }
    });
  });

  it('leaves no container behind once stopped', async () => {
    await postgres?.stop();
    postgres = undefined;
    expect((await scope.leftovers()).containers).toBe(0);
  });
});
