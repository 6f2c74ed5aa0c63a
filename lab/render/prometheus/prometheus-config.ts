import { stringify } from 'yaml';
import type { Topology } from '../../topology/model.ts';
import {
  type AddressResolver,
  type ExporterName,
  type ObservedService,
  observedServices,
} from '../../topology/services.ts';

/** Scrape interval of the lab: short, so a 30 s run still gets 15 points per series. */
export const DEFAULT_SCRAPE_INTERVAL_SEC = 2;

/** Prometheus job names (the `job` label). */
export const JOBS = {
  app: 'cachelab-app',
  invalidator: 'cachelab-invalidator',
  redis: 'redis',
  postgres: 'postgres',
  nginx: 'nginx',
} as const;

/** What renderPrometheusConfig needs besides the model. */
export interface PrometheusConfigOptions {
  /** Label of every series of this run (bounded: one value per run). */
  runId: string;
  /** Maps each observed service to `host:port` (native ports or compose DNS names). */
  resolve: AddressResolver;
  scrapeIntervalSec?: number;
}

/** One static_configs entry. */
interface StaticConfig {
  targets: string[];
  labels: Record<string, string>;
}

/** One scrape_configs entry (only the fields the lab uses). */
export interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  honor_labels?: boolean;
  static_configs: StaticConfig[];
  relabel_configs?: Record<string, unknown>[];
}

/** The Prometheus configuration document (only the fields the lab uses). */
export interface PrometheusConfig {
  global: {
    scrape_interval: string;
    scrape_timeout: string;
    evaluation_interval: string;
    external_labels: Record<string, string>;
  };
  scrape_configs: ScrapeConfig[];
}

type RunLabels = { topology: string; run_id: string };

function appJob(apps: ObservedService[], resolve: AddressResolver, run: RunLabels): ScrapeConfig {
  return {
    job_name: JOBS.app,
    // The app already labels its series {topology, server}; honouring them keeps the names as they are
    // instead of Prometheus renaming them exported_topology / exported_server.
    honor_labels: true,
    static_configs: apps.map((app) => ({
      targets: [resolve(app)],
      labels: { ...run, server: app.name },
    })),
  };
}

/** The outbox invalidator: labels its own series {topology, server} like an app server. */
function invalidatorJob(
  invalidators: ObservedService[],
  resolve: AddressResolver,
  run: RunLabels,
): ScrapeConfig {
  return {
    job_name: JOBS.invalidator,
    honor_labels: true,
    static_configs: invalidators.map((service) => ({
      targets: [resolve(service)],
      labels: { ...run, server: service.name },
    })),
  };
}

/**
 * One Redis exporter scrapes every node (multi-target `/scrape?target=`): one process whatever the layout
 * (1, 3 or 6 nodes) instead of one per node, which matters on a 2-core box shared with the system under test.
 */
function redisJob(
  nodes: ObservedService[],
  exporter: string,
  resolve: AddressResolver,
  run: RunLabels,
) {
  return {
    job_name: JOBS.redis,
    metrics_path: '/scrape',
    static_configs: nodes.map((node) => ({
      targets: [`redis://${resolve(node)}`],
      labels: { ...run, redis_node: node.name },
    })),
    relabel_configs: [
      { source_labels: ['__address__'], target_label: '__param_target' },
      { source_labels: ['__param_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: exporter },
    ],
  } satisfies ScrapeConfig;
}

function exporterJob(job: string, address: string, run: RunLabels): ScrapeConfig {
  return { job_name: job, static_configs: [{ targets: [address], labels: { ...run } }] };
}

function scrapeConfigs(topology: Topology, options: PrometheusConfigOptions): ScrapeConfig[] {
  const run = { topology: topology.name, run_id: options.runId };
  const services = observedServices(topology);
  const ofKind = (kind: ObservedService['kind']) => services.filter((s) => s.kind === kind);
  const exporter = (name: ExporterName) => options.resolve({ kind: 'exporter', name });
  const redis = ofKind('redis');
  const invalidators = ofKind('invalidator');
  return [
    appJob(ofKind('app'), options.resolve, run),
    ...(invalidators.length > 0 ? [invalidatorJob(invalidators, options.resolve, run)] : []),
    ...(redis.length > 0
      ? [redisJob(redis, exporter('redis-exporter'), options.resolve, run)]
      : []),
    exporterJob(JOBS.postgres, exporter('postgres-exporter'), run),
    exporterJob(JOBS.nginx, exporter('nginx-exporter'), run),
  ];
}

/**
 * The Prometheus configuration of one run of `topology`: every app server, the outbox invalidator when
 * the consistency mode has one, every Redis node (through the Redis exporter), the Postgres and nginx
 * exporters. Every target carries {topology, run_id} (target
 * labels: those are what queries see; external_labels only label data leaving Prometheus).
 */
export function renderPrometheusConfig(
  topology: Topology,
  options: PrometheusConfigOptions,
): PrometheusConfig {
  const interval = `${options.scrapeIntervalSec ?? DEFAULT_SCRAPE_INTERVAL_SEC}s`;
  return {
    global: {
      scrape_interval: interval,
      scrape_timeout: interval,
      evaluation_interval: interval,
      external_labels: { topology: topology.name, run_id: options.runId },
    },
    scrape_configs: scrapeConfigs(topology, options),
  };
}

/** A rendered configuration as prometheus.yml text, with a header saying where it comes from. */
export function prometheusYaml(topology: Topology, config: PrometheusConfig): string {
  const header = `# Generated by cachelab from topology '${topology.name}'. Do not edit: change the model.\n`;
  return header + stringify(config, { lineWidth: 0 });
}

/** renderPrometheusConfig as prometheus.yml text. */
export function renderPrometheusYaml(topology: Topology, options: PrometheusConfigOptions): string {
  return prometheusYaml(topology, renderPrometheusConfig(topology, options));
}

/** Every scrape target of a configuration (Redis nodes count once each, as `redis://host:port`). */
export function scrapeTargets(config: PrometheusConfig): string[] {
  return config.scrape_configs.flatMap((job) => job.static_configs.flatMap((s) => s.targets));
}
