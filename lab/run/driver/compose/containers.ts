import { LabError } from '../../../lab-errors.ts';
import type { ServiceRole } from '../driver-types.ts';
import { execCommand } from './compose-binary.ts';

/** One container of a compose project, from `docker inspect`. */
export interface ProjectContainer {
  id: string;
  name: string;
  service: string;
  /** created, running, exited… */
  status: string;
  running: boolean;
  exitCode: number;
  /** healthy, unhealthy, starting; undefined without a healthcheck. */
  health: string | undefined;
  pid: number;
  /** Host ports on 127.0.0.1 by container port, e.g. { 6379: 32775 }. */
  ports: Record<number, number>;
}

interface InspectJson {
  Id: string;
  Name: string;
  Config: { Labels: Record<string, string> | null };
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    Pid: number;
    Health?: { Status: string };
  };
  NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
}

/** The compose label every container of project `name` carries. */
export const projectLabel = (name: string): string => `com.docker.compose.project=${name}`;

function toContainer(raw: InspectJson): ProjectContainer {
  const ports: Record<number, number> = {};
  for (const [key, bindings] of Object.entries(raw.NetworkSettings.Ports ?? {})) {
    const local = bindings?.find((b) => b.HostIp === '127.0.0.1');
    if (local) ports[Number.parseInt(key, 10)] = Number(local.HostPort);
  }
  return {
    id: raw.Id,
    name: raw.Name.replace(/^\//, ''),
    service: raw.Config.Labels?.['com.docker.compose.service'] ?? '',
    status: raw.State.Status,
    running: raw.State.Running,
    exitCode: raw.State.ExitCode,
    health: raw.State.Health?.Status,
    pid: raw.State.Pid,
    ports,
  };
}

/** Every container (running or not) of compose project `name`, sorted by service. */
export async function projectContainers(name: string): Promise<ProjectContainer[]> {
  const list = await execCommand('docker', [
    'ps',
    '-aq',
    '--filter',
    `label=${projectLabel(name)}`,
  ]);
  const ids = list.stdout.split('\n').filter((id) => id !== '');
  if (ids.length === 0) return [];
  const inspected = await execCommand('docker', ['inspect', ...ids]);
  const containers = (JSON.parse(inspected.stdout) as InspectJson[]).map(toContainer);
  return containers.sort((a, b) => a.service.localeCompare(b.service, 'en', { numeric: true }));
}

/** What a service does, from its name (decides how status shows it). */
export function roleOf(service: string): ServiceRole {
  if (service === 'nginx' || service === 'postgres' || service === 'invalidator') return service;
  if (/^app-\d+$/.test(service)) return 'app';
  if (service === 'fault-proxy') return 'network';
  if (/^redis-\d+$/.test(service)) return 'redis';
  return 'observer';
}

/** Ready: running and healthy (or without healthcheck), or a one-shot job that exited 0. */
export function isReady(c: ProjectContainer): boolean {
  if (c.status === 'exited') return c.exitCode === 0 && c.health === undefined;
  return c.running && (c.health === undefined || c.health === 'healthy');
}

/** Failed for good: exited non-zero, exited while it should serve, or unhealthy. */
export function hasFailed(c: ProjectContainer): boolean {
  if (c.status === 'exited' || c.status === 'dead')
    return c.exitCode !== 0 || c.health !== undefined;
  return c.health === 'unhealthy';
}

/**
 * Polls until every container of the project is ready (compose v1 has no `up --wait`). Fails at once
 * when one has failed; bounded by `timeoutMs`.
 */
export async function waitUntilReady(
  project: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<ProjectContainer[]> {
  const deadline = Date.now() + options.timeoutMs;
  let last: ProjectContainer[] = [];
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    last = await projectContainers(project);
    const failed = last.filter(hasFailed);
    if (failed.length > 0) {
      const names = failed.map((c) => `${c.service} (${c.health ?? `exit ${c.exitCode}`})`);
      throw new LabError('UP_FAILED', `compose services failed: ${names.join(', ')}`);
    }
    if (last.length > 0 && last.every(isReady)) return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const waiting = last.filter((c) => !isReady(c)).map((c) => c.service);
  throw new LabError(
    'UP_FAILED',
    `compose services not ready after ${options.timeoutMs} ms: ${waiting.join(', ')}`,
  );
}
