import { fileURLToPath } from 'node:url';
import type { StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { Cluster, Redis } from 'ioredis';
import {
  GenericContainer,
  Network,
  type StartedNetwork,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hostClusterOptions } from '../../lab/run/driver/compose/cluster-nat-map.ts';
import { profileKey } from '../../services/app/src/cache/keys.ts';
import { DockerScope, describeWithDocker, probeDockerEngine } from '../docker/docker-cli.ts';
import {
  appUrl,
  configureTestcontainers,
  loopbackOnly,
  networkExists,
  REDIS_PASSWORD,
  read,
  startApp,
  startLabPostgres,
  testImage,
} from './support.ts';

// A Redis Cluster 3+3 of GenericContainers on a user network, every node requiring a password (replicas
// authenticate to their master with masterauth). Nodes announce their network alias
// (cluster-announce-hostname): app containers resolve it, the host maps it with ioredis natMap.
const probe = await probeDockerEngine();
configureTestcontainers();

const NODES = [1, 2, 3, 4, 5, 6].map((i) => `redis-${i}`);
const CONF = fileURLToPath(new URL('../../services/redis/redis-cluster.conf', import.meta.url));
const INIT = fileURLToPath(new URL('../../compose/redis/cluster-init.sh', import.meta.url));

function startNode(network: StartedNetwork, labels: Record<string, string>, name: string) {
  const container = new GenericContainer(testImage('REDIS'))
    .withNetwork(network)
    .withNetworkAliases(name)
    .withLabels(labels)
    .withCopyFilesToContainer([
      { source: CONF, target: '/etc/redis-cluster.conf' },
      { source: INIT, target: '/usr/local/bin/cluster-init.sh' },
    ])
    // cluster-init.sh (exec'd in a node) authenticates its redis-cli with REDISCLI_AUTH.
    .withEnvironment({ REDISCLI_AUTH: REDIS_PASSWORD })
    .withCommand([
      ...['redis-server', '/etc/redis-cluster.conf'],
      ...['--requirepass', REDIS_PASSWORD, '--masterauth', REDIS_PASSWORD],
      ...['--cluster-announce-hostname', name, '--cluster-preferred-endpoint-type', 'hostname'],
    ])
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'));
  return loopbackOnly(container).start();
}

/** master_link_status of a replica node (undefined for a master), once it is up or after 10 s. */
async function replicaLink(node: StartedTestContainer): Promise<string | undefined> {
  const client = new Redis(node.getMappedPort(6379), '127.0.0.1', { password: REDIS_PASSWORD });
  try {
    for (let i = 0; i < 40; i++) {
      const info = String(await client.call('INFO', 'replication'));
      if (!info.includes('role:slave')) return undefined;
      const link = /master_link_status:(\w+)/.exec(info)?.[1];
      if (link === 'up' || i === 39) return link;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return undefined;
  } finally {
    client.disconnect();
  }
}

describeWithDocker(
  'Redis Cluster 3+3 in containers, reached from apps and from the host',
  probe,
  () => {
    const scope = new DockerScope('redis-cluster');
    const labels = { 'org.cachelab.test': scope.id };
    let network: StartedNetwork | undefined;
    let nodes: StartedTestContainer[] = [];
    let postgres: StartedPostgreSqlContainer | undefined;
    const hostAddresses = () => nodes.map((n) => `127.0.0.1:${n.getMappedPort(6379)}`);
    const hostCluster = () =>
      new Cluster(
        [{ host: '127.0.0.1', port: nodes[0]?.getMappedPort(6379) ?? 0 }],
        hostClusterOptions(hostAddresses(), REDIS_PASSWORD, {
          redisOptions: { connectTimeout: 2_000, commandTimeout: 2_000 },
          slotsRefreshTimeout: 2_000,
        }),
      );

    beforeAll(async () => {
      network = await new Network().start();
      const net = network;
      [postgres, ...nodes] = await Promise.all([
        startLabPostgres(net, labels, 100),
        ...NODES.map((name) => startNode(net, labels, name)),
      ]);
      const init = await nodes[0]?.exec([
        'sh',
        '/usr/local/bin/cluster-init.sh',
        '1',
        ...NODES.map((n) => `${n}:6379`),
      ]);
      expect(init?.exitCode, init?.output).toBe(0);
    });

    afterAll(async () => {
      await scope.cleanup();
      await network?.stop();
      expect(await scope.leftovers()).toEqual({ containers: 0, networks: 0, volumes: 0 });
      if (network) expect(await networkExists(network.getId())).toBe(false);
    });

    it('is cluster_state:ok and redirects with hostnames the host maps via natMap', async () => {
      const direct = new Redis(nodes[0]?.getMappedPort(6379) ?? 0, '127.0.0.1', {
        password: REDIS_PASSWORD,
      });
      const cluster = hostCluster();
      try {
        expect(await direct.call('CLUSTER', 'INFO')).toContain('cluster_state:ok');
        const keys = Array.from({ length: 40 }, (_, i) => `natmap-test:${i}`);
        for (const key of keys) await cluster.set(key, key);
        expect(await Promise.all(keys.map((k) => cluster.get(k)))).toEqual(keys);
        // Some key lives elsewhere: a plain client is sent there by hostname, which only natMap resolves.
        const moved = await Promise.all(
          keys.map((k) => direct.get(k).catch((e: Error) => e.message)),
        );
        expect(moved.find((m) => m?.startsWith('MOVED'))).toMatch(/^MOVED \d+ redis-\d:6379$/);
        // Every replica is in sync with its master: masterauth got it in.
        const replicas = await Promise.all(nodes.map((n) => replicaLink(n)));
        expect(replicas.filter((link) => link !== undefined)).toEqual(['up', 'up', 'up']);
      } finally {
        direct.disconnect();
        cluster.disconnect();
      }
    });

    it('global-cluster: cached through app A, HIT-L2 through app B, visible from the host', async () => {
      const net = network as StartedNetwork;
      const redis = { nodes: NODES.map((n) => `${n}:6379`) };
      const apps = await Promise.all(
        [0, 1].map((i) => startApp(net, labels, 'global-cluster', i, redis)),
      );
      const cluster = hostCluster();
      try {
        const [a, b] = apps.map(appUrl) as [string, string];
        expect(await read(a, 17)).toMatchObject({ status: 200, cache: 'MISS' });
        expect(await read(b, 17)).toMatchObject({ status: 200, cache: 'HIT-L2' });
        expect(await cluster.exists(profileKey(17))).toBe(1);
      } finally {
        cluster.disconnect();
        await Promise.all(apps.map((app) => app.stop()));
      }
    });

    it('stops every container it started', async () => {
      await Promise.all([...nodes, ...(postgres ? [postgres] : [])].map((c) => c.stop()));
      nodes = [];
      postgres = undefined;
      expect((await scope.leftovers()).containers).toBe(0);
    });
  },
);
