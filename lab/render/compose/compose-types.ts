import { COMPOSE_PORTS } from '../../topology/services.ts';

/** A `depends_on` condition compose v1.29 and v2 both understand. */
export type DependCondition =
  | 'service_started'
  | 'service_healthy'
  | 'service_completed_successfully';

/** A compose healthcheck (durations as compose strings, e.g. `2s`). */
export interface Healthcheck {
  test?: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  disable?: boolean;
}

/** The subset of a compose service the lab writes; keys are emitted in this order. */
export interface ComposeService {
  image?: string;
  profiles?: string[];
  /** 0 in the base for services only some topologies run; their overlay sets 1. */
  scale?: number;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: DependCondition }>;
  healthcheck?: Healthcheck;
  cpus?: number;
  mem_limit?: string;
  stop_signal?: string;
  stop_grace_period?: string;
}

/** One compose file: services (and named volumes). */
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, Record<string, never>>;
}

/** Ports inside the containers (the images' defaults; the observability renderer uses the same). */
export const CONTAINER_PORTS = {
  app: COMPOSE_PORTS.app,
  redis: COMPOSE_PORTS.redis,
  postgres: 5432,
  nginx: 8080,
  prometheus: 9090,
  grafana: 3000,
  'redis-exporter': COMPOSE_PORTS['redis-exporter'],
  'postgres-exporter': COMPOSE_PORTS['postgres-exporter'],
  'nginx-exporter': COMPOSE_PORTS['nginx-exporter'],
} as const;

/** Image families; each maps to CACHELAB_<FAMILY>_IMAGE and CACHELAB_OFFLINE_<FAMILY>_IMAGE pins. */
export const IMAGE_FAMILIES = [
  'nginx',
  'app',
  'postgres',
  'redis',
  'prometheus',
  'redis-exporter',
  'postgres-exporter',
  'nginx-exporter',
  'grafana',
  'k6',
] as const;

/** One image family. */
export type ImageFamily = (typeof IMAGE_FAMILIES)[number];

/** Families without an offline image (compose.offline.yaml leaves them out). */
export const NO_OFFLINE_IMAGE: readonly ImageFamily[] = ['grafana', 'k6'];

const family = (f: ImageFamily): string => f.toUpperCase().replaceAll('-', '_');

/** Name of the pins variable of a family's official image, e.g. CACHELAB_REDIS_IMAGE. */
export function imageVariable(f: ImageFamily): string {
  return `CACHELAB_${family(f)}_IMAGE`;
}

/** Name of the pins variable of a family's offline image, e.g. CACHELAB_OFFLINE_REDIS_IMAGE. */
export function offlineImageVariable(f: ImageFamily): string {
  return `CACHELAB_OFFLINE_${family(f)}_IMAGE`;
}

/** Compose substitution of a variable (from compose/.env or the environment), with a default. */
export const ref = (variable: string, fallback?: string): string =>
  fallback === undefined ? `$\{${variable}}` : `$\{${variable}:-${fallback}}`;

/** The database, user and host app servers use in compose. */
export const POSTGRES = { user: 'cachelab', db: 'cachelab', host: 'postgres' } as const;

/**
 * Compose substitution of a secret of compose/secrets.env (exported into compose's environment by the
 * driver); compose stops with this hint when it is unset.
 */
export const secretRef = (name: 'POSTGRES_PASSWORD' | 'REDIS_PASSWORD'): string =>
  `$\{${name}:?copy compose/.env.example to compose/secrets.env and export it}`;

/** Compose substitution of the Postgres password. */
export const POSTGRES_PASSWORD_REF = secretRef('POSTGRES_PASSWORD');

/** Compose substitution of the password every Redis node requires (requirepass and masterauth). */
export const REDIS_PASSWORD_REF = secretRef('REDIS_PASSWORD');

/** postgres:// URL of the lab database as containers reach it (password substituted by compose). */
export function containerDatabaseUrl(): string {
  const { user, db, host } = POSTGRES;
  return `postgres://${user}:${POSTGRES_PASSWORD_REF}@${host}:${CONTAINER_PORTS.postgres}/${db}`;
}

/** Profiles of the base file. */
export const PROFILES = { observability: 'observability', k6: 'k6', network: 'network' } as const;

/** Folder of the generated files inside compose/ (the hand-written .env, secrets and scripts stay out). */
export const GENERATED_SUBDIR = 'generated';

/** Paths of the generated files, relative to compose/generated (compose resolves mounts from there). */
export const COMPOSE_PATHS = {
  base: 'compose.yaml',
  offline: 'compose.offline.yaml',
  overlay: (topology: string) => `topologies/${topology}.yaml`,
  nginx: (topology: string) => `nginx/${topology}.conf`,
  prometheus: (topology: string) => `prometheus/${topology}.yml`,
  /** Over the overlay when the network profile is not loopback: the fault proxy on every hop. */
  network: (topology: string) => `topologies/${topology}.network.yaml`,
  networkNginx: (topology: string) => `nginx/${topology}.network.conf`,
  faultProxy: (topology: string) => `fault-proxy/${topology}.json`,
  /** Hand-written (not generated), in compose/redis: creates the Redis Cluster, then waits for cluster_state:ok. */
  clusterInit: '../redis/cluster-init.sh',
} as const;

/** Where the repository's folders are seen from compose/generated (compose resolves paths there). */
export const FROM_COMPOSE_DIR = '../..';
