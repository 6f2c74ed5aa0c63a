import { appServerEnv, hasInvalidator, type RedisEndpoints } from '../../topology/app-env.ts';
import type { Topology } from '../../topology/model.ts';
import { redisNodeCount } from '../../topology/services.ts';
import { redisServerConfig } from '../redis/redis-config.ts';
import { appNames, REDIS_CONF, redisNames } from './base-services.ts';
import {
  COMPOSE_PATHS,
  CONTAINER_PORTS,
  type ComposeFile,
  type ComposeService,
  containerDatabaseUrl,
  type DependCondition,
  REDIS_PASSWORD_REF,
  ref,
} from './compose-types.ts';
import { invalidatorOverlay } from './invalidator-service.ts';
import { observabilityOverlay } from './observability-services.ts';

/**
 * The variable naming the nginx.conf nginx mounts: the driver points it at a copy in its run folder,
 * which it rewrites (in place) and reloads to add or remove an app server; by hand it is the generated file.
 */
export const NGINX_CONF_VARIABLE = 'CACHELAB_NGINX_CONF';

/** Where each local-disk app server keeps its LMDB cache (the app image makes /app/.lab writable). */
const DISK_CACHE_DIR = '/app/.lab/disk-cache';

/** Redis addresses by compose DNS name, as app containers reach them. */
export function containerRedisEndpoints(topology: Topology): RedisEndpoints {
  const nodes = redisNames(redisNodeCount(topology.redis)).map(
    (name) => `${name}:${CONTAINER_PORTS.redis}`,
  );
  if (topology.redis.kind === 'single') return { url: `redis://${nodes[0]}` };
  return nodes.length > 0 ? { nodes } : {};
}

const on = (names: readonly string[], condition: DependCondition) =>
  Object.fromEntries(names.map((name) => [name, { condition }]));

/** What an app server waits for: the seeded database and the whole cache layer. */
function appDependencies(topology: Topology): ComposeService['depends_on'] {
  const redis = redisNames(redisNodeCount(topology.redis));
  const cache =
    topology.redis.kind === 'cluster'
      ? on(['redis-cluster-init'], 'service_completed_successfully')
      : on(redis, 'service_healthy');
  return {
    postgres: { condition: 'service_healthy' },
    seed: { condition: 'service_completed_successfully' },
    ...cache,
  };
}

/**
 * The environment of app container `index` (0-based), with compose variables (`${…}`) for the
 * secrets and settings compose fills in; also what an app server added to a running lab gets.
 */
export function appContainerEnv(topology: Topology, index: number): Record<string, string> {
  const environment = appServerEnv(topology, {
    index,
    port: CONTAINER_PORTS.app,
    host: '0.0.0.0',
    databaseUrl: containerDatabaseUrl(),
    redis: containerRedisEndpoints(topology),
    diskCacheDir: DISK_CACHE_DIR,
  });
  environment.LOG_LEVEL = ref('CACHELAB_APP_LOG_LEVEL', 'info');
  // One password for every node, shard and the invalidation subscriber (services/app/src/config.ts).
  if (topology.redis.kind !== 'none') environment.REDIS_PASSWORD = REDIS_PASSWORD_REF;
  return environment;
}

function appServices(topology: Topology): Record<string, ComposeService> {
  const entries = appNames(topology.appServers).map((name, index) => {
    const environment = appContainerEnv(topology, index);
    const service: ComposeService = {
      scale: 1,
      environment,
      depends_on: appDependencies(topology),
    };
    return [name, service] as const;
  });
  return Object.fromEntries(entries);
}

/** Every node requires the password; replicas (cluster) authenticate to their master with it. */
const AUTH_ARGS = ['--requirepass', REDIS_PASSWORD_REF, '--masterauth', REDIS_PASSWORD_REF];

const serverArgs = (topology: Topology): string[] => [
  ...Object.entries(redisServerConfig(topology)).flatMap(([key, value]) => [`--${key}`, value]),
  ...AUTH_ARGS,
];

function clusterServices(topology: Topology, names: string[]): Record<string, ComposeService> {
  const replicas = topology.redis.kind === 'cluster' ? topology.redis.replicasPerMaster : 0;
  const node = (name: string): ComposeService => ({
    scale: 1,
    command: [
      'redis-server',
      REDIS_CONF.cluster,
      ...serverArgs(topology),
      // MOVED replies and CLUSTER SLOTS carry the DNS name: app containers resolve it, host-side
      // clients map it to the published port with ioredis natMap (see lab/run/driver/compose/cluster-nat-map.ts).
      '--cluster-announce-hostname',
      name,
      '--cluster-preferred-endpoint-type',
      'hostname',
    ],
  });
  const init: ComposeService = {
    scale: 1,
    command: [String(replicas), ...names.map((n) => `${n}:${CONTAINER_PORTS.redis}`)],
    depends_on: on(names, 'service_healthy'),
  };
  return { ...Object.fromEntries(names.map((n) => [n, node(n)])), 'redis-cluster-init': init };
}

function redisServices(topology: Topology): Record<string, ComposeService> {
  const names = redisNames(redisNodeCount(topology.redis));
  if (topology.redis.kind === 'cluster') return clusterServices(topology, names);
  const command = ['redis-server', REDIS_CONF.single, ...serverArgs(topology)];
  return Object.fromEntries(names.map((name) => [name, { scale: 1, command }]));
}

/**
 * The overlay of `topology` over compose.yaml: turns on its app servers (with the environment
 * appServerEnv derives from the model) and its Redis layout, mounts its nginx.conf and prometheus.yml.
 */
export function topologyOverlay(topology: Topology): ComposeFile {
  const apps = appNames(topology.appServers);
  const source = ref(NGINX_CONF_VARIABLE, `./${COMPOSE_PATHS.nginx(topology.name)}`);
  const nginxConf = `${source}:/etc/nginx/nginx.conf:ro`;
  return {
    services: {
      seed: {
        environment: {
          SEED_USERS: ref('CACHELAB_SEED_USERS', String(topology.postgres.seedUsers)),
        },
      },
      ...redisServices(topology),
      ...appServices(topology),
      ...(hasInvalidator(topology)
        ? invalidatorOverlay(topology, containerRedisEndpoints(topology), appDependencies(topology))
        : {}),
      nginx: { volumes: [nginxConf], depends_on: on(apps, 'service_healthy') },
      ...observabilityOverlay(topology),
    },
  };
}
