import { appServerEnv, INVALIDATOR_NAME, invalidatorEnv } from '../../topology/app-env.ts';
import type { Topology } from '../../topology/model.ts';
import { REDIS_CONF, SEED_SCRIPT } from '../compose/base-services.ts';
import { CONTAINER_PORTS, POSTGRES } from '../compose/compose-types.ts';
import { httpProbe, LIMITS, postgresProbe, redisProbe } from '../compose/healthchecks.ts';
import { redisServerConfig } from '../redis/redis-config.ts';
import type { StackDeploy, StackMount, StackService } from './stack-types.ts';

/** The one overlay network of a stack (attachable: the distributed load runner joins it). */
export const STACK_NETWORK = 'lab';

/** Names of the stack's secrets; swarm mounts each at /run/secrets/<name>. */
export const STACK_SECRETS = {
  postgres: 'postgres_password',
  redis: 'redis_password',
} as const;

/** Names of the stack's configs (files swarm copies into the containers). */
export const STACK_CONFIGS = {
  nginx: 'nginx_conf',
  redis: 'redis_conf',
  redisCluster: 'redis_cluster_conf',
  clusterInit: 'cluster_init',
} as const;

/** Where the cluster-init script is mounted. */
const CLUSTER_INIT_SCRIPT = '/usr/local/bin/cachelab-cluster-init.sh';

/** Named volume of the Postgres data (`cachelab down` removes it). */
export const STACK_POSTGRES_VOLUME = 'postgres-data';

/** The images a stack runs. */
export interface StackImages {
  nginx: string;
  app: string;
  postgres: string;
  redis: string;
}

type LimitName = keyof typeof LIMITS;

const secretPath = (name: string): string => `/run/secrets/${name}`;
const readSecret = (name: string): string => `"$(cat ${secretPath(name)})"`;

/** A long-running, replicated, dnsrr service's deploy section with the compose driver's limits. */
export function deployOf(limit: LimitName, replicas = 1): StackDeploy {
  const { cpus, mem_limit } = LIMITS[limit];
  return {
    replicas,
    endpoint_mode: 'dnsrr',
    resources: { limits: { cpus: String(cpus), memory: mem_limit.toUpperCase() } },
    restart_policy: { condition: 'any', delay: '2s' },
  };
}

/** A one-shot job: retried a few times on failure, then left `complete` (or `failed`). */
function jobDeploy(limit: LimitName): StackDeploy {
  return {
    ...deployOf(limit),
    restart_policy: { condition: 'on-failure', delay: '3s', max_attempts: 5 },
  };
}

/**
 * `sh -c` that exports secrets read from /run/secrets, then execs `exec` with the service's command
 * as its arguments: the password never appears in the stack file, the task spec or `docker inspect`.
 */
export function secretEntrypoint(exports: Record<string, string>, exec: string): string[] {
  const lines = Object.entries(exports).map(([name, value]) => `export ${name}=${value}`);
  return ['sh', '-c', [...lines, `exec ${exec} "$@"`].join('; '), 'cachelab'];
}

const mountSecret = (name: string): StackMount => ({ source: name, target: name });

/** The lab database URL inside the stack, the password read from its secret at start. */
const DATABASE_URL = `"postgres://${POSTGRES.user}:$(cat ${secretPath(STACK_SECRETS.postgres)})@${POSTGRES.host}:${CONTAINER_PORTS.postgres}/${POSTGRES.db}"`;

/** Postgres; data in the stack's named volume; published on the node for host-side tools. */
export function postgresStackService(image: string, hostPort: number): StackService {
  const { user, db } = POSTGRES;
  return {
    image,
    entrypoint: secretEntrypoint(
      { POSTGRES_PASSWORD: readSecret(STACK_SECRETS.postgres) },
      'docker-entrypoint.sh',
    ),
    command: ['postgres', '-c', 'max_connections=200', '-c', 'shared_buffers=256MB'],
    environment: { POSTGRES_USER: user, POSTGRES_DB: db },
    secrets: [mountSecret(STACK_SECRETS.postgres)],
    volumes: [`${STACK_POSTGRES_VOLUME}:/var/lib/postgresql/data`],
    ports: [hostPortOf(CONTAINER_PORTS.postgres, hostPort)],
    networks: [STACK_NETWORK],
    healthcheck: postgresProbe(user, db, CONTAINER_PORTS.postgres),
    stop_signal: 'SIGINT',
    deploy: deployOf('postgres'),
  };
}

/**
 * The seed, then ANALYZE: the app servers are started right after it, and until autovacuum gets to
 * the fresh tables (up to a minute) the planner has no statistics for the 59-table profile query,
 * whose bad plans time out under load.
 */
export const SEED_AND_ANALYZE_SCRIPT = [
  SEED_SCRIPT,
  "const { default: pg } = await import('pg');",
  'const client = new pg.Client({ connectionString: url });',
  "await client.connect(); await client.query('ANALYZE'); await client.end();",
  "console.log('analyzed');",
].join(' ');

/** Schema and deterministic seed, once, before any app server starts (the driver deploys in phases). */
export function seedStackService(image: string, seedUsers: number): StackService {
  return {
    image,
    entrypoint: secretEntrypoint({ DATABASE_URL }, 'node'),
    command: ['--input-type=module', '-e', SEED_AND_ANALYZE_SCRIPT],
    environment: { SEED_USERS: String(seedUsers) },
    secrets: [mountSecret(STACK_SECRETS.postgres)],
    networks: [STACK_NETWORK],
    healthcheck: { disable: true },
    deploy: jobDeploy('seed'),
  };
}

/** A port published on the node running the task (host mode). */
export function hostPortOf(target: number, published: number) {
  return { target, published, protocol: 'tcp', mode: 'host' } as const;
}

/** PING answers PONG, authenticated with the password from the secret. */
function redisStackProbe(): StackService['healthcheck'] {
  const auth = `REDISCLI_AUTH=${readSecret(STACK_SECRETS.redis)}`;
  const test = `${auth} redis-cli -p ${CONTAINER_PORTS.redis} ping | grep -q PONG`;
  return { ...redisProbe(CONTAINER_PORTS.redis), test: ['CMD-SHELL', test] };
}

/** Redis node `name`: single, shard or cluster node (announcing its service name in a cluster). */
export function redisStackService(
  topology: Topology,
  name: string,
  image: string,
  hostPort: number,
): StackService {
  const cluster = topology.redis.kind === 'cluster';
  const settings = Object.entries(redisServerConfig(topology)).flatMap(([k, v]) => [`--${k}`, v]);
  // MOVED replies and CLUSTER SLOTS carry the service name, which every task on the network resolves.
  const announce = ['--cluster-announce-hostname', name, '--cluster-preferred-endpoint-type'];
  const auth = '--requirepass "$REDISCLI_AUTH" --masterauth "$REDISCLI_AUTH"';
  return {
    image,
    entrypoint: secretEntrypoint(
      { REDISCLI_AUTH: readSecret(STACK_SECRETS.redis) },
      `docker-entrypoint.sh redis-server ${cluster ? REDIS_CONF.cluster : REDIS_CONF.single} ${auth}`,
    ),
    command: [...settings, ...(cluster ? [...announce, 'hostname'] : [])],
    configs: [
      cluster
        ? { source: STACK_CONFIGS.redisCluster, target: REDIS_CONF.cluster }
        : { source: STACK_CONFIGS.redis, target: REDIS_CONF.single },
    ],
    secrets: [mountSecret(STACK_SECRETS.redis)],
    ports: [hostPortOf(CONTAINER_PORTS.redis, hostPort)],
    networks: [STACK_NETWORK],
    healthcheck: redisStackProbe(),
    deploy: deployOf('redis'),
  };
}

/** Creates the Redis Cluster once every node answers (compose/redis/cluster-init.sh). */
export function clusterInitStackService(
  image: string,
  replicasPerMaster: number,
  nodes: readonly string[],
): StackService {
  return {
    image,
    entrypoint: secretEntrypoint(
      { REDISCLI_AUTH: readSecret(STACK_SECRETS.redis) },
      `sh ${CLUSTER_INIT_SCRIPT}`,
    ),
    command: [String(replicasPerMaster), ...nodes.map((n) => `${n}:${CONTAINER_PORTS.redis}`)],
    configs: [{ source: STACK_CONFIGS.clusterInit, target: CLUSTER_INIT_SCRIPT, mode: 0o555 }],
    secrets: [mountSecret(STACK_SECRETS.redis)],
    networks: [STACK_NETWORK],
    healthcheck: { disable: true },
    deploy: jobDeploy('redis-cluster-init'),
  };
}

/**
 * Connect timeouts of a network, not of loopback: tasks reach Postgres and Redis through Docker's DNS
 * and an overlay network, possibly hosts apart (the app's defaults, 1 s and 500 ms, suit 127.0.0.1).
 */
export const NETWORK_CONNECT_TIMEOUTS = {
  DB_CONNECT_TIMEOUT_MS: '5000',
  REDIS_CONNECT_TIMEOUT_MS: '2000',
} as const;

/** The slot of a task (1..replicas) as swarm substitutes it in the environment. */
const TASK_SLOT = '{{.Task.Slot}}';

/**
 * What the app servers and the invalidator share: the app image running one entry point, the
 * database URL (and Redis password) exported from the secrets, and a health check on /healthz.
 */
function nodeProcessService(
  topology: Topology,
  image: string,
  environment: Record<string, string>,
  o: { entry: 'app' | 'invalidator'; serverId: string; logLevel: string },
): Omit<StackService, 'deploy'> {
  delete environment.DATABASE_URL;
  environment.SERVER_ID = o.serverId;
  environment.LOG_LEVEL = o.logLevel;
  Object.assign(environment, NETWORK_CONNECT_TIMEOUTS);
  const exports: Record<string, string> = { DATABASE_URL };
  if (topology.redis.kind !== 'none') exports.REDIS_PASSWORD = readSecret(STACK_SECRETS.redis);
  return {
    image,
    entrypoint: secretEntrypoint(exports, 'node'),
    command: ['--enable-source-maps', `dist/services/${o.entry}/src/main.js`],
    environment,
    secrets: [
      mountSecret(STACK_SECRETS.postgres),
      ...(topology.redis.kind === 'none' ? [] : [mountSecret(STACK_SECRETS.redis)]),
    ],
    networks: [STACK_NETWORK],
    // GET /healthz from the shell (bash /dev/tcp), not a Node process per probe: with several
    // replicas per node, a Node start every few seconds each costs the CPU the servers need.
    healthcheck: { ...httpProbe(CONTAINER_PORTS.app, '/healthz'), interval: '3s', retries: 10 },
  };
}

/**
 * The app servers: one service of `topology.appServers` replicas (`cachelab scale app=N`), each with
 * SERVER_ID app-<slot>; nginx finds them by the service name, which resolves to every healthy task.
 */
export function appStackService(
  topology: Topology,
  image: string,
  redis: { url?: string; nodes?: readonly string[] },
  logLevel: string,
): StackService {
  const environment = appServerEnv(topology, {
    index: 0,
    port: CONTAINER_PORTS.app,
    host: '0.0.0.0',
    databaseUrl: 'from-the-secret',
    redis,
    diskCacheDir: '/app/.lab/disk-cache',
  });
  environment.DISK_CACHE_PATH = `/app/.lab/disk-cache/app-${TASK_SLOT}`;
  return {
    ...nodeProcessService(topology, image, environment, {
      entry: 'app',
      serverId: `app-${TASK_SLOT}`,
      logLevel,
    }),
    // Above the app's SHUTDOWN_GRACE_MS default (10 s): it drains, then exits on its own.
    stop_grace_period: '15s',
    deploy: {
      ...deployOf('app', topology.appServers),
      update_config: { parallelism: 1, order: 'start-first', delay: '2s' },
      placement: { preferences: [{ spread: 'node.id' }] },
    },
  };
}

/**
 * The outbox invalidator (outbox modes only): the app image with its own entry point, one replica,
 * the same cache settings as the app servers; /metrics on the app port for Prometheus.
 */
export function invalidatorStackService(
  topology: Topology,
  image: string,
  redis: { url?: string; nodes?: readonly string[] },
  logLevel: string,
): StackService {
  const environment = invalidatorEnv(topology, {
    port: CONTAINER_PORTS.app,
    host: '0.0.0.0',
    databaseUrl: 'from-the-secret',
    redis,
  });
  return {
    ...nodeProcessService(topology, image, environment, {
      entry: 'invalidator',
      serverId: INVALIDATOR_NAME,
      logLevel,
    }),
    stop_grace_period: '5s',
    deploy: deployOf('seed'),
  };
}

/** nginx, the front door, published on the node at `httpPort`, with the swarm nginx.conf. */
export function nginxStackService(image: string, httpPort: number): StackService {
  return {
    image,
    configs: [{ source: STACK_CONFIGS.nginx, target: '/etc/nginx/nginx.conf' }],
    ports: [hostPortOf(CONTAINER_PORTS.nginx, httpPort)],
    networks: [STACK_NETWORK],
    healthcheck: httpProbe(CONTAINER_PORTS.nginx, '/nginx_status'),
    // Graceful: finish the requests in flight.
    stop_signal: 'SIGQUIT',
    deploy: deployOf('nginx'),
  };
}
