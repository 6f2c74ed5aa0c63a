import { mkdir } from 'node:fs/promises';
import {
  DEFAULT_SCRAPE_INTERVAL_SEC,
  prometheusYaml,
  renderPrometheusConfig,
  scrapeTargets,
} from '../../render/prometheus/prometheus-config.ts';
import type { Topology } from '../../topology/model.ts';
import { mapResolver } from '../../topology/services.ts';
import { prometheusBin } from '../processes/binaries.ts';
import { waitPortFree } from '../processes/ports.ts';
import { stopEach, withCleanup } from './cleanup.ts';
import { type RunningExporter, startExporters } from './exporters.ts';
import { type PrometheusProcess, startPrometheus, waitTargetsUp } from './prometheus-server.ts';

/** Where the running services of a topology answer (native: 127.0.0.1 ports). */
export interface ObservedEndpoints {
  /** App servers by name (app-1…) and port. */
  apps: readonly { name: string; port: number }[];
  /** Redis nodes by name (redis-1…) and port; empty without Redis. */
  redisNodes: readonly { name: string; port: number }[];
  /** The outbox invalidator's /metrics port; empty when the consistency mode has none. */
  invalidators?: readonly { name: string; port: number }[];
  /** postgres://user:password@127.0.0.1:PORT/db the Postgres exporter connects with. */
  postgresUrl: string;
  /** http://127.0.0.1:PORT/nginx_status (nginx stub_status). */
  nginxStatusUrl: string;
}

/** Options of startObservability. */
export interface StartObservabilityOptions {
  topology: Topology;
  endpoints: ObservedEndpoints;
  /** Folder of the configs, logs and (by default) the TSDB. */
  runDir: string;
  /** The `run_id` label of every series of this run. */
  runId: string;
  scrapeIntervalSec?: number;
  /** TSDB folder; a folder shared by successive runs lets one Prometheus compare them. */
  storageDir?: string;
  /** Bound on waiting for every target to be up. Default 20 s. */
  readyTimeoutMs?: number;
}

/** One process started by startObservability (for the driver's service records). */
export interface ObserverProcess {
  name: string;
  pid: number;
  port: number;
  logPath: string;
}

/** Prometheus and its exporters, running; stop() (or `await using`) stops them all. */
export interface ObservabilityHandle extends AsyncDisposable {
  /** http://127.0.0.1:PORT */
  prometheusUrl: string;
  /** Where k6 pushes: `${prometheusUrl}/api/v1/write`. */
  remoteWriteUrl: string;
  runId: string;
  configPath: string;
  processes: ObserverProcess[];
  /** Stops Prometheus, then the exporters, and waits until their ports are free; safe to call twice. */
  stop(): Promise<void>;
}

function addressesOf(endpoints: ObservedEndpoints, exporters: RunningExporter[]) {
  const local = (port: number) => `127.0.0.1:${port}`;
  return Object.fromEntries([
    ...endpoints.apps.map((a) => [a.name, local(a.port)]),
    ...endpoints.redisNodes.map((n) => [n.name, local(n.port)]),
    ...(endpoints.invalidators ?? []).map((n) => [n.name, local(n.port)]),
    ...exporters.map((e) => [e.name, e.address]),
  ]) as Record<string, string>;
}

async function stopAll(prometheus: PrometheusProcess | undefined, exporters: RunningExporter[]) {
  const failures: unknown[] = [];
  // Prometheus first: it must not record the exporters going down as failed scrapes of the run.
  if (prometheus) await prometheus.proc.stop().catch((error: unknown) => failures.push(error));
  await stopEach(exporters.map((e) => e.proc)).catch((error: unknown) => failures.push(error));
  const ports = [...(prometheus ? [prometheus.port] : []), ...exporters.map((e) => e.port)];
  for (const port of ports) {
    if (!(await waitPortFree(port))) failures.push(new Error(`port ${port} still in use`));
  }
  if (failures.length > 0) throw new AggregateError(failures, 'observability stop failed');
}

function processesOf(prometheus: PrometheusProcess, exporters: RunningExporter[]) {
  return [
    {
      name: 'prometheus',
      pid: prometheus.proc.pid,
      port: prometheus.port,
      logPath: prometheus.proc.logPath,
    },
    ...exporters.map((e) => ({
      name: e.name,
      pid: e.proc.pid,
      port: e.port,
      logPath: e.proc.logPath,
    })),
  ];
}

function handleOf(prometheus: PrometheusProcess, exporters: RunningExporter[], runId: string) {
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= stopAll(prometheus, exporters);
    return stopping;
  };
  return {
    prometheusUrl: prometheus.url,
    remoteWriteUrl: `${prometheus.url}/api/v1/write`,
    runId,
    configPath: prometheus.configPath,
    processes: processesOf(prometheus, exporters),
    stop,
    [Symbol.asyncDispose]: stop,
  } satisfies ObservabilityHandle;
}

/**
 * Starts the exporters and Prometheus (own TSDB, remote-write receiver, 127.0.0.1 free ports, logs in
 * runDir) for a running topology and waits until every target of the model has been scraped.
 * A failure half-way stops whatever was started before rethrowing.
 */
export async function startObservability(
  options: StartObservabilityOptions,
): Promise<ObservabilityHandle> {
  const { topology, endpoints, runDir, runId } = options;
  prometheusBin(); // a missing binary fails with its apt command before anything starts
  await mkdir(runDir, { recursive: true });
  const exporterTargets = { redis: topology.redis.kind !== 'none', ...endpoints };
  const exporters = await startExporters(exporterTargets, runDir);
  let prometheus: PrometheusProcess | undefined;
  try {
    const resolve = mapResolver(addressesOf(endpoints, exporters));
    const scrapeIntervalSec = options.scrapeIntervalSec ?? DEFAULT_SCRAPE_INTERVAL_SEC;
    const config = renderPrometheusConfig(topology, { runId, resolve, scrapeIntervalSec });
    const text = prometheusYaml(topology, config);
    prometheus = await startPrometheus({ runDir, config: text, storageDir: options.storageDir });
    await waitTargetsUp(prometheus, scrapeTargets(config).length, options.readyTimeoutMs);
    return handleOf(prometheus, exporters, runId);
  } catch (error) {
    throw await withCleanup(error, () => stopAll(prometheus, exporters));
  }
}
