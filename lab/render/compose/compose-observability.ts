import {
  DATASOURCE_UID,
  GRAFANA_CONTAINER_PATHS,
  REPO_PATHS,
} from '../../../dashboards/src/provisioning.ts';
import type { Topology } from '../../topology/model.ts';
import {
  COMPOSE_PORTS,
  composeResolver,
  type ExporterName,
  exportersOf,
} from '../../topology/services.ts';
import {
  exporterDsn,
  nginxExporterArgs,
  postgresExporterArgs,
  prometheusArgs,
  redisExporterArgs,
} from '../prometheus/observability-args.ts';
import { renderPrometheusYaml } from '../prometheus/prometheus-config.ts';

/** Where prometheus.yml and the TSDB live in the Prometheus container. */
export const PROMETHEUS_CONTAINER_PATHS = {
  config: '/etc/prometheus/prometheus.yml',
  storage: '/prometheus',
} as const;

/** Port Prometheus listens on in compose (the Grafana datasource points at prometheus:9090). */
export const COMPOSE_PROMETHEUS_PORT = 9090;

/** Command and environment of one container of the observability profile. */
export interface ComposeProcess {
  command: string[];
  environment: Record<string, string>;
}

/** Everything the compose `observability` profile needs, derived from the same code as the native run. */
export interface ComposeObservability {
  /** Content of prometheus.yml (mount it at PROMETHEUS_CONTAINER_PATHS.config). */
  prometheusYaml: string;
  /** prometheus and each exporter the topology needs, by compose service name. */
  services: Record<string, ComposeProcess>;
  /** Grafana mounts: repository folder → container folder (read-only). */
  grafanaMounts: { source: string; target: string }[];
  datasourceUid: string;
}

/** What composeObservability needs to know about the compose services. */
export interface ComposeObservabilityOptions {
  runId: string;
  /** Default postgres://cachelab:cachelab@postgres:5432/cachelab. */
  postgresUrl?: string;
  /** Default http://nginx:8080/nginx_status. */
  nginxStatusUrl?: string;
}

function exporterProcesses(topology: Topology, options: ComposeObservabilityOptions) {
  const listen = (port: number) => `:${port}`;
  const postgresUrl = options.postgresUrl ?? 'postgres://cachelab:cachelab@postgres:5432/cachelab';
  const all: Record<ExporterName, ComposeProcess> = {
    'redis-exporter': {
      command: redisExporterArgs(listen(COMPOSE_PORTS['redis-exporter'])),
      environment: {},
    },
    'postgres-exporter': {
      command: postgresExporterArgs(listen(COMPOSE_PORTS['postgres-exporter'])),
      environment: { DATA_SOURCE_NAME: exporterDsn(postgresUrl) },
    },
    'nginx-exporter': {
      command: nginxExporterArgs(
        listen(COMPOSE_PORTS['nginx-exporter']),
        options.nginxStatusUrl ?? 'http://nginx:8080/nginx_status',
      ),
      environment: {},
    },
  };
  return Object.fromEntries(exportersOf(topology).map((name) => [name, all[name]]));
}

/**
 * The compose `observability` profile of `topology`: prometheus.yml addressing services by DNS name
 * (same renderer as the native run), the Prometheus and exporter commands, the Grafana mounts.
 */
export function composeObservability(
  topology: Topology,
  options: ComposeObservabilityOptions,
): ComposeObservability {
  const { config, storage } = PROMETHEUS_CONTAINER_PATHS;
  const prometheus = {
    command: prometheusArgs(config, storage, `:${COMPOSE_PROMETHEUS_PORT}`),
    environment: {},
  };
  return {
    prometheusYaml: renderPrometheusYaml(topology, {
      runId: options.runId,
      resolve: composeResolver(),
    }),
    services: { prometheus, ...exporterProcesses(topology, options) },
    grafanaMounts: [
      { source: REPO_PATHS.provisioning, target: GRAFANA_CONTAINER_PATHS.provisioning },
      { source: REPO_PATHS.generated, target: GRAFANA_CONTAINER_PATHS.dashboards },
    ],
    datasourceUid: DATASOURCE_UID,
  };
}
