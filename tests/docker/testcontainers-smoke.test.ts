import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';
import { Redis } from 'ioredis';
import pg from 'pg';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, expect, it } from 'vitest';
import {
  DockerScope,
  describeWithDocker,
  disableRyukUnlessSet,
  probeDockerEngine,
} from './docker-cli.ts';
import { pin, readPins } from './pins-file.ts';

// testcontainers 12.0.x on Debian's docker.io engine with the offline images (no registry, no Ryuk).
const probe = await probeDockerEngine();
disableRyukUnlessSet();
const pins = readPins();
const REDIS_IMAGE = pin(pins, 'CACHELAB_OFFLINE_REDIS_IMAGE');
const POSTGRES_IMAGE = pin(pins, 'CACHELAB_OFFLINE_POSTGRES_IMAGE');

/** PINGs a Redis over 127.0.0.1 with a real client. */
async function ping(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

describeWithDocker('testcontainers on the offline images', probe, () => {
  const scope = new DockerScope('testcontainers');
  const labels = { 'org.cachelab.test': scope.id };
  // Without Ryuk nothing reaps what a failed test left: stop in finally, remove by label at the end.
  afterAll(() => scope.cleanup());

  async function stopped<T extends StartedTestContainer>(
    container: T,
    use: (c: T) => Promise<void>,
  ): Promise<void> {
    try {
      await use(container);
    } finally {
      await container.stop();
    }
  }

  it('GenericContainer starts the offline redis image and waits for its log line', async () => {
    const started = await new GenericContainer(REDIS_IMAGE)
      .withLabels(labels)
      .withExposedPorts(6379)
      .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
      .start();
    await stopped(started, async (c) => {
      expect(await ping(`redis://${c.getHost()}:${c.getMappedPort(6379)}`)).toBe('PONG');
    });
  });

  it('RedisContainer (module) starts it with a password', async () => {
    const started = await new RedisContainer(REDIS_IMAGE)
      .withLabels(labels)
      .withPassword('lab-secret')
      .start();
    await stopped(started, async (c) => {
      expect(await ping(c.getConnectionUrl())).toBe('PONG');
      // Not executeCliCmd: 12.0.1 passes `-a <password>` as one argv word, which redis-cli rejects.
      expect((await c.exec(['redis-cli', 'PING'])).output).toContain('NOAUTH');
    });
  });

  it('PostgreSqlContainer (module) initialises the offline postgres image', async () => {
    const started = await new PostgreSqlContainer(POSTGRES_IMAGE)
      .withLabels(labels)
      .withDatabase('labdb')
      .withUsername('lab')
      .withPassword('lab-secret')
      .start();
    await stopped(started, async (c) => {
      const client = new pg.Client({ connectionString: c.getConnectionUri() });
      await client.connect();
      try {
        const result = await client.query('SELECT 1 AS one, current_database() AS db');
        expect(result.rows[0]).toEqual({ one: 1, db: 'labdb' });
      } finally {
        await client.end();
      }
    });
  });

  it('leaves no container, network or volume behind', async () => {
    await scope.cleanup();
    expect(await scope.leftovers()).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
