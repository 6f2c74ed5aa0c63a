import { appServerId } from '../../topology/app-env.ts';
import { redisNodeName } from '../../topology/services.ts';
import {
  COMPOSE_PATHS,
  CONTAINER_PORTS,
  type ComposeService,
  containerDatabaseUrl,
  FROM_COMPOSE_DIR,
  imageVariable,
  POSTGRES,
  POSTGRES_PASSWORD_REF,
  REDIS_PASSWORD_REF,
  ref,
} from './compose-types.ts';
import {
  appProbe,
  httpProbe,
  LIMITS,
  ONE_SHOT,
  postgresProbe,
  redisProbe,
} from './healthchecks.ts';

/** Where the Redis configuration files are mounted (services/redis, read-only). */
export const REDIS_CONF = {
  single: '/usr/local/etc/redis/redis.conf',
  cluster: '/usr/local/etc/redis/redis-cluster.conf',
} as const;

/** Where compose/redis/cluster-init.sh is mounted in the redis-cluster-init container. */
export const CLUSTER_INIT_SCRIPT = '/usr/local/bin/cachelab-cluster-init.sh';

/** Named volume of the Postgres data (removed by `down -v`). */
export const POSTGRES_VOLUME = 'postgres-data';

/** Published on 127.0.0.1 only; an empty host port lets Docker pick a free one. */
export const localPort = (hostPort: string, containerPort: number): string =>
  `127.0.0.1:${hostPort}:${containerPort}`;

/** The host port of nginx, the front door (CACHELAB_HTTP_PORT, default 8080). */
export const HTTP_PORT_REF = ref('CACHELAB_HTTP_PORT', '8080');

/** The front door: nginx with the topology's generated nginx.conf (mounted by the overlay). */
export function nginxService(): ComposeService {
  return {
    image: ref(imageVariable('nginx')),
    ports: [localPort(HTTP_PORT_REF, CONTAINER_PORTS.nginx)],
    healthcheck: httpProbe(CONTAINER_PORTS.nginx, '/nginx_status'),
    ...LIMITS.nginx,
    // Graceful: finish the requests in flight (what the official image sets).
    stop_signal: 'SIGQUIT',
  };
}

/** Postgres with the lab database; data in a named volume, port published for host-side tools. */
export function postgresService(): ComposeService {
  const { user, db } = POSTGRES;
  return {
    image: ref(imageVariable('postgres')),
    // 3 app pools of 10, the seed job, the exporter and psql sessions fit well below 200.
    command: ['postgres', '-c', 'max_connections=200', '-c', 'shared_buffers=256MB'],
    environment: { POSTGRES_USER: user, POSTGRES_DB: db, POSTGRES_PASSWORD: POSTGRES_PASSWORD_REF },
    volumes: [`${POSTGRES_VOLUME}:/var/lib/postgresql/data`],
    ports: [localPort('', CONTAINER_PORTS.postgres)],
    healthcheck: postgresProbe(user, db, CONTAINER_PORTS.postgres),
    ...LIMITS.postgres,
    // Fast shutdown (SIGTERM would wait for every client to disconnect).
    stop_signal: 'SIGINT',
  };
}

/**
 * Schema and seed, run with `node --input-type=module -e` in the app image, which ships the compiled
 * setup module and the SQL files (services/app/Dockerfile). No `${`: compose would substitute it.
 */
export const SEED_SCRIPT = [
  "const { applySchema, seedUsers } = await import('/app/dist/services/app/src/db/setup.js');",
  'const url = process.env.DATABASE_URL;',
  'await applySchema(url);',
  'const r = await seedUsers(url, Number(process.env.SEED_USERS));',
  "console.log('seeded ' + r.requested + ' users (' + r.added + ' added) in ' + r.seconds.toFixed(1) + ' s');",
].join(' ');

/** One-shot: schema and deterministic seed (idempotent), before any app server starts. */
export function seedService(): ComposeService {
  return {
    image: ref(imageVariable('app')),
    command: ['node', '--input-type=module', '-e', SEED_SCRIPT],
    environment: { DATABASE_URL: containerDatabaseUrl() },
    depends_on: { postgres: { condition: 'service_healthy' } },
    healthcheck: ONE_SHOT,
    ...LIMITS.seed,
  };
}

/** App server `index` (0-based), off (scale 0) until an overlay turns it on with its environment. */
export function appService(): ComposeService {
  return {
    image: ref(imageVariable('app')),
    scale: 0,
    ports: [localPort('', CONTAINER_PORTS.app)],
    healthcheck: appProbe(CONTAINER_PORTS.app),
    ...LIMITS.app,
    // Above the app's SHUTDOWN_GRACE_MS default (10 s): it drains, then exits on its own.
    stop_grace_period: '15s',
  };
}

/**
 * redis-cli reads its password from REDISCLI_AUTH (no `-a` on the command line, no warning): the
 * healthcheck and the cluster-init script run with it.
 */
export const REDIS_CLI_ENV = { REDISCLI_AUTH: REDIS_PASSWORD_REF } as const;

/**
 * A Redis node, off until an overlay gives it a role (single, shard or cluster node); the overlay's
 * command sets requirepass and masterauth.
 */
export function redisService(): ComposeService {
  const conf = `${FROM_COMPOSE_DIR}/services/redis`;
  return {
    image: ref(imageVariable('redis')),
    scale: 0,
    environment: { ...REDIS_CLI_ENV },
    volumes: [
      `${conf}/redis.conf:${REDIS_CONF.single}:ro`,
      `${conf}/redis-cluster.conf:${REDIS_CONF.cluster}:ro`,
    ],
    ports: [localPort('', CONTAINER_PORTS.redis)],
    healthcheck: redisProbe(CONTAINER_PORTS.redis),
    ...LIMITS.redis,
  };
}

/** One-shot: `redis-cli --cluster create`, then waits for cluster_state:ok (overlay sets the nodes). */
export function clusterInitService(): ComposeService {
  return {
    image: ref(imageVariable('redis')),
    scale: 0,
    entrypoint: ['sh', CLUSTER_INIT_SCRIPT],
    environment: { ...REDIS_CLI_ENV },
    volumes: [`${COMPOSE_PATHS.clusterInit}:${CLUSTER_INIT_SCRIPT}:ro`],
    healthcheck: ONE_SHOT,
    ...LIMITS['redis-cluster-init'],
  };
}

/** Names of the first `n` app services: app-1, app-2… (also their SERVER_ID). */
export const appNames = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => appServerId(i));

/** Names of the first `n` Redis services: redis-1, redis-2… */
export const redisNames = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => redisNodeName(i));
