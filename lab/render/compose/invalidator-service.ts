import { INVALIDATOR_NAME, invalidatorEnv, type RedisEndpoints } from '../../topology/app-env.ts';
import type { Topology } from '../../topology/model.ts';
import {
  CONTAINER_PORTS,
  type ComposeService,
  containerDatabaseUrl,
  imageVariable,
  REDIS_PASSWORD_REF,
  ref,
} from './compose-types.ts';
import { appProbe, LIMITS } from './healthchecks.ts';

/** The compose service name of the outbox invalidator. */
export const INVALIDATOR_SERVICE = INVALIDATOR_NAME;

/** The invalidator, off (scale 0) until an outbox topology's overlay turns it on: the app image, its own entry. */
export function invalidatorService(): ComposeService {
  return {
    image: ref(imageVariable('app')),
    scale: 0,
    command: ['node', '--enable-source-maps', 'dist/services/invalidator/src/main.js'],
    healthcheck: appProbe(CONTAINER_PORTS.app),
    ...LIMITS.seed,
    stop_grace_period: '5s',
  };
}

/** The overlay of an outbox topology's invalidator: its environment, after the cache and the seed. */
export function invalidatorOverlay(
  topology: Topology,
  redis: RedisEndpoints,
  dependsOn: ComposeService['depends_on'],
): Record<string, ComposeService> {
  const environment = invalidatorEnv(topology, {
    port: CONTAINER_PORTS.app,
    host: '0.0.0.0',
    databaseUrl: containerDatabaseUrl(),
    redis,
  });
  environment.LOG_LEVEL = ref('CACHELAB_APP_LOG_LEVEL', 'info');
  if (topology.redis.kind !== 'none') environment.REDIS_PASSWORD = REDIS_PASSWORD_REF;
  return { [INVALIDATOR_SERVICE]: { scale: 1, environment, depends_on: dependsOn } };
}
