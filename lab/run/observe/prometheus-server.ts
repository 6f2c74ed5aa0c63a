import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prometheusArgs } from '../../render/prometheus/observability-args.ts';
import { prometheusBin } from '../processes/binaries.ts';
import { type ManagedProcess, spawnManaged, waitUntil } from '../processes/managed-process.ts';
import { httpGet, httpStatus } from '../processes/net-checks.ts';
import { startOnFreePort } from '../processes/ports.ts';
import { NativeServiceError } from '../processes/process-errors.ts';

/** Options of startPrometheus. */
export interface StartPrometheusOptions {
  /** Folder of prometheus.yml and the log; the TSDB goes to `<runDir>/prometheus/data` by default. */
  runDir: string;
  /** prometheus.yml text. */
  config: string;
  /** TSDB folder; pass a folder shared by several runs to compare them in one Prometheus. */
  storageDir?: string;
  readyTimeoutMs?: number;
}

/** A running Prometheus on 127.0.0.1. */
export interface PrometheusProcess {
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  configPath: string;
  storageDir: string;
  proc: ManagedProcess;
}

/** One entry of /api/v1/targets. */
export interface TargetHealth {
  job: string;
  instance: string;
  health: string;
  lastError: string;
}

/** Writes prometheus.yml, starts Prometheus on a free port and waits for /-/ready. */
export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusProcess> {
  const dir = join(options.runDir, 'prometheus');
  const storageDir = options.storageDir ?? join(dir, 'data');
  await mkdir(dir, { recursive: true });
  await mkdir(storageDir, { recursive: true });
  const configPath = join(dir, 'prometheus.yml');
  await writeFile(configPath, options.config);
  const command = prometheusBin();
  return startOnFreePort(undefined, async (port) => {
    const listen = `127.0.0.1:${port}`;
    const proc = await spawnManaged({
      name: 'prometheus',
      command,
      args: prometheusArgs(configPath, storageDir, listen),
      runDir: options.runDir,
      cwd: dir,
      stopTimeoutMs: 10_000,
    });
    const url = `http://${listen}`;
    try {
      const ready = async () => (await httpStatus(`${url}/-/ready`)) === 200;
      const timeoutMs = options.readyTimeoutMs ?? 20_000;
      await waitUntil(`prometheus ${url}/-/ready`, ready, { timeoutMs, intervalMs: 100, proc });
    } catch (error) {
      await proc.kill();
      throw error;
    }
    return { port, url, configPath, storageDir, proc };
  });
}

/** The active targets Prometheus reports, with their health (up, down, unknown). */
export async function targetHealth(prometheusUrl: string): Promise<TargetHealth[]> {
  const { status, body } = await httpGet(`${prometheusUrl}/api/v1/targets?state=active`);
  if (status !== 200) throw new Error(`GET /api/v1/targets answered ${status}`);
  const parsed = JSON.parse(body) as {
    data: {
      activeTargets: { labels: Record<string, string>; health: string; lastError: string }[];
    };
  };
  return parsed.data.activeTargets.map((t) => ({
    job: t.labels.job ?? '',
    instance: t.labels.instance ?? '',
    health: t.health,
    lastError: t.lastError,
  }));
}

/** Waits until every one of `expected` targets has been scraped successfully (health `up`). */
export async function waitTargetsUp(
  prometheus: PrometheusProcess,
  expected: number,
  timeoutMs = 20_000,
): Promise<void> {
  let last: TargetHealth[] = [];
  const allUp = async (): Promise<boolean> => {
    last = await targetHealth(prometheus.url);
    return last.length === expected && last.every((t) => t.health === 'up');
  };
  try {
    await waitUntil('every Prometheus target up', allUp, {
      timeoutMs,
      intervalMs: 200,
      proc: prometheus.proc,
    });
  } catch (error) {
    const down = last
      .filter((t) => t.health !== 'up')
      .map((t) => `${t.job} ${t.instance}: ${t.lastError}`);
    throw new NativeServiceError('NOT_READY', `Prometheus targets not up: ${down.join('; ')}`, {
      cause: error,
      details: { expected, seen: last.length, down },
    });
  }
}
