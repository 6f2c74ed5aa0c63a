import {
  exporterDsn,
  nginxExporterArgs,
  postgresExporterArgs,
  redisExporterArgs,
} from '../../render/prometheus/observability-args.ts';
import type { ExporterName } from '../../topology/services.ts';
import { nginxExporterBin, postgresExporterBin, redisExporterBin } from '../processes/binaries.ts';
import { type ManagedProcess, spawnManaged, waitUntil } from '../processes/managed-process.ts';
import { httpStatus } from '../processes/net-checks.ts';
import { startOnFreePort } from '../processes/ports.ts';
import { stopEach, withCleanup } from './cleanup.ts';

/** A running exporter process listening on 127.0.0.1:port. */
export interface RunningExporter {
  name: ExporterName;
  port: number;
  /** 127.0.0.1:PORT, what Prometheus scrapes. */
  address: string;
  proc: ManagedProcess;
}

interface ExporterSpec {
  name: ExporterName;
  command: string;
  args(listen: string): string[];
  env?: Record<string, string>;
}

const READY_TIMEOUT_MS = 15_000;

function specs(targets: ExporterTargets): ExporterSpec[] {
  const redis: ExporterSpec = {
    name: 'redis-exporter',
    command: redisExporterBin(),
    args: redisExporterArgs,
  };
  const postgres: ExporterSpec = {
    name: 'postgres-exporter',
    command: postgresExporterBin(),
    args: postgresExporterArgs,
    env: { DATA_SOURCE_NAME: exporterDsn(targets.postgresUrl) },
  };
  const nginx: ExporterSpec = {
    name: 'nginx-exporter',
    command: nginxExporterBin(),
    args: (listen) => nginxExporterArgs(listen, targets.nginxStatusUrl),
  };
  return targets.redis ? [redis, postgres, nginx] : [postgres, nginx];
}

async function startExporter(spec: ExporterSpec, runDir: string): Promise<RunningExporter> {
  return startOnFreePort(undefined, async (port) => {
    const address = `127.0.0.1:${port}`;
    const proc = await spawnManaged({
      name: spec.name,
      command: spec.command,
      args: spec.args(address),
      runDir,
      env: spec.env,
      stopTimeoutMs: 5_000,
    });
    try {
      const ready = async () => (await httpStatus(`http://${address}/metrics`)) === 200;
      await waitUntil(`${spec.name} on ${address}`, ready, {
        timeoutMs: READY_TIMEOUT_MS,
        intervalMs: 50,
        proc,
      });
    } catch (error) {
      await proc.kill();
      throw error;
    }
    return { name: spec.name, port, address, proc };
  });
}

/** What the exporters connect to. */
export interface ExporterTargets {
  /** Start the Redis exporter (the topology has Redis). */
  redis: boolean;
  postgresUrl: string;
  /** http://127.0.0.1:PORT/nginx_status (stub_status). */
  nginxStatusUrl: string;
}

/** Starts the exporters in parallel and waits until each serves /metrics; on failure stops the others. */
export async function startExporters(
  targets: ExporterTargets,
  runDir: string,
): Promise<RunningExporter[]> {
  // Binaries are looked up first, so a missing one fails with its apt command before anything starts.
  const settled = await Promise.allSettled(
    specs(targets).map((spec) => startExporter(spec, runDir)),
  );
  const started = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw await withCleanup(failed.reason, () => stopEach(started.map((e) => e.proc)));
  return started;
}
