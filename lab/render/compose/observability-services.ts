import { COMPOSE_PROMETHEUS_URL } from '../../../dashboards/src/provisioning.ts';
import type { Topology } from '../../topology/model.ts';
import type { ExporterName } from '../../topology/services.ts';
import { k6RemoteWriteEnv } from '../prometheus/k6-remote-write.ts';
import { appNames, localPort } from './base-services.ts';
import {
  type ComposeObservability,
  composeObservability,
  PROMETHEUS_CONTAINER_PATHS,
} from './compose-observability.ts';
import {
  COMPOSE_PATHS,
  CONTAINER_PORTS,
  type ComposeService,
  FROM_COMPOSE_DIR,
  type Healthcheck,
  imageVariable,
  POSTGRES,
  POSTGRES_PASSWORD_REF,
  PROFILES,
  REDIS_PASSWORD_REF,
  ref,
} from './compose-types.ts';
import { httpProbe, LIMITS, NO_HEALTHCHECK, ONE_SHOT } from './healthchecks.ts';

/** Label `run_id` of every series scraped in compose (the files are static: one value). */
export const COMPOSE_RUN_ID = 'compose';

/** The observability renderer's output for `topology`, addressing services by compose DNS name. */
export function observabilityOf(topology: Topology): ComposeObservability {
  const { user, db, host } = POSTGRES;
  return composeObservability(topology, {
    runId: COMPOSE_RUN_ID,
    postgresUrl: `postgres://${user}@${host}:${CONTAINER_PORTS.postgres}/${db}`,
    nginxStatusUrl: `http://nginx:${CONTAINER_PORTS.nginx}/nginx_status`,
  });
}

const observed = (service: ComposeService): ComposeService => ({
  profiles: [PROFILES.observability],
  ...service,
});

// lib/pq in the exporter; the password comes from compose substitution, like the app's DATABASE_URL.
function postgresDsn(): string {
  const { user, db, host } = POSTGRES;
  const address = `${host}:${CONTAINER_PORTS.postgres}`;
  return `postgresql://${user}:${POSTGRES_PASSWORD_REF}@${address}/${db}?sslmode=disable`;
}

// Flags of the nginx exporter only Debian's 0.11 (Go `flag`) knows; 1.x (kingpin) refuses them. They
// retried the first stub_status read: compose starts the exporter once nginx is healthy instead.
const NGINX_EXPORTER_011_ONLY = ['nginx.retries', 'nginx.retry-interval'];

/**
 * The nginx exporter's flags in a form both the offline Debian 0.11 and the official 1.x accept:
 * `--name=value` (Go's `flag` takes one or two dashes, kingpin only two), without 0.11-only flags.
 */
export function portableNginxExporterArgs(args: readonly string[]): string[] {
  return args
    .map((arg) => arg.replace(/^-{1,2}/, '--'))
    .filter((arg) => !NGINX_EXPORTER_011_ONLY.includes(arg.slice(2).split('=')[0] ?? ''));
}

function exporterEnvironment(name: ExporterName): Pick<ComposeService, 'environment'> {
  if (name === 'postgres-exporter') return { environment: { DATA_SOURCE_NAME: postgresDsn() } };
  // Used for every /scrape?target=redis-N (the exporter's own flag is -redis.password).
  if (name === 'redis-exporter') return { environment: { REDIS_PASSWORD: REDIS_PASSWORD_REF } };
  return {};
}

// The official nginx exporter image is FROM scratch: no shell, no wget, nothing a healthcheck could
// run. It has none; Prometheus' `up{job="nginx"}` is its health. The other exporter images have a
// shell and wget (redis: the -alpine pin; postgres: busybox), the offline ones bash.
const exporterHealth = (name: ExporterName): Healthcheck =>
  name === 'nginx-exporter' ? NO_HEALTHCHECK : httpProbe(CONTAINER_PORTS[name], '/metrics');

function exporter(
  name: ExporterName,
  profile: ComposeObservability,
  depends: string,
  scale?: number,
): ComposeService {
  const command = profile.services[name]?.command ?? [];
  return observed({
    image: ref(imageVariable(name)),
    ...(scale === undefined ? {} : { scale }),
    command: name === 'nginx-exporter' ? portableNginxExporterArgs(command) : command,
    ...exporterEnvironment(name),
    depends_on: { [depends]: { condition: 'service_healthy' } },
    healthcheck: exporterHealth(name),
    ...LIMITS.exporter,
  });
}

/**
 * The observability profile of the base file: Prometheus (config mounted by each overlay), the
 * exporters (the Redis one off until an overlay with Redis turns it on), Grafana with the repository's
 * provisioned datasource and dashboards. Commands come from lab/render/prometheus/observability-args.ts, as for the native run.
 */
export function observabilityServices(sample: Topology): Record<string, ComposeService> {
  const profile = observabilityOf(sample);
  const prometheus = observed({
    image: ref(imageVariable('prometheus')),
    command: profile.services.prometheus?.command ?? [],
    ports: [localPort(ref('CACHELAB_PROMETHEUS_PORT', '9090'), CONTAINER_PORTS.prometheus)],
    depends_on: {
      'postgres-exporter': { condition: 'service_healthy' },
      // No healthcheck there (see exporterHealth).
      'nginx-exporter': { condition: 'service_started' },
    },
    healthcheck: httpProbe(CONTAINER_PORTS.prometheus, '/-/ready'),
    ...LIMITS.prometheus,
  });
  return {
    prometheus,
    'redis-exporter': exporter('redis-exporter', profile, 'redis-1', 0),
    'postgres-exporter': exporter('postgres-exporter', profile, 'postgres'),
    'nginx-exporter': exporter('nginx-exporter', profile, 'nginx'),
    grafana: grafanaService(profile),
  };
}

function grafanaService(profile: ComposeObservability): ComposeService {
  return observed({
    image: ref(imageVariable('grafana')),
    environment: {
      GF_AUTH_ANONYMOUS_ENABLED: 'true',
      GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
      GF_ANALYTICS_REPORTING_ENABLED: 'false',
      GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
    },
    volumes: profile.grafanaMounts.map((m) => `${FROM_COMPOSE_DIR}/${m.source}:${m.target}:ro`),
    ports: [localPort(ref('CACHELAB_GRAFANA_PORT', '3000'), CONTAINER_PORTS.grafana)],
    depends_on: { prometheus: { condition: 'service_healthy' } },
    healthcheck: httpProbe(CONTAINER_PORTS.grafana, '/api/health'),
    ...LIMITS.grafana,
  });
}

/** k6 (profile `k6`): the repository's script against nginx, remote-writing into Prometheus. */
export function k6Service(): ComposeService {
  return {
    profiles: [PROFILES.k6],
    image: ref(imageVariable('k6')),
    command: ['run', '/loadtests/k6/profile-load.ts'],
    environment: {
      BASE_URL: `http://nginx:${CONTAINER_PORTS.nginx}`,
      WORKLOAD: ref('K6_WORKLOAD', 'read-heavy'),
      RATE: ref('K6_RATE', '200'),
      DURATION: ref('K6_DURATION', '30'),
      WARMUP: ref('K6_WARMUP', '5'),
      KEYS: ref('K6_KEYS', '10000'),
      // Needs the observability profile (Prometheus) too; K6_OUT=json=/results/… writes a file instead.
      K6_OUT: ref('K6_OUT', 'experimental-prometheus-rw'),
      ...k6RemoteWriteEnv(COMPOSE_PROMETHEUS_URL),
    },
    volumes: [
      `${FROM_COMPOSE_DIR}/loadtests:/loadtests:ro`,
      `${FROM_COMPOSE_DIR}/results:/results`,
    ],
    depends_on: { nginx: { condition: 'service_healthy' } },
    healthcheck: ONE_SHOT,
    ...LIMITS.k6,
  };
}

/** What an overlay adds to the observability services of `topology`. */
export function observabilityOverlay(topology: Topology): Record<string, ComposeService> {
  const config = `./${COMPOSE_PATHS.prometheus(topology.name)}:${PROMETHEUS_CONTAINER_PATHS.config}:ro`;
  const hasRedis = topology.redis.kind !== 'none';
  const redisExporter: Record<string, ComposeService> = hasRedis
    ? { 'redis-exporter': { scale: 1 } }
    : {};
  return {
    prometheus: {
      volumes: [config],
      ...(hasRedis ? { depends_on: { 'redis-exporter': { condition: 'service_healthy' } } } : {}),
    },
    ...redisExporter,
    k6: {
      environment: {
        TOPOLOGY: topology.name,
        TESTID: ref('K6_TESTID', `${topology.name}-compose`),
        SERVER_IDS: appNames(topology.appServers).join(','),
        RESULT_PATH: `/results/k6-${topology.name}.json`,
      },
    },
  };
}
