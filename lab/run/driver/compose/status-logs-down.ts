import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from '../../../lab-errors.ts';
import { CONTAINER_PORTS, POSTGRES, PROFILES } from '../../../render/compose/compose-types.ts';
import type { RedisEndpoints } from '../../../topology/app-env.ts';
import type { Topology } from '../../../topology/model.ts';
import { canConnect, httpStatus } from '../../processes/net-checks.ts';
import type {
  LabState,
  LabStatus,
  ProgressListener,
  ServiceRecord,
  ServiceStatus,
} from '../driver-types.ts';
import { composeCliOf, DOWN_COMMAND, runCompose } from './compose-binary.ts';
import { type ProjectContainer, projectContainers, roleOf } from './containers.ts';
import { readRunRecord } from './record.ts';
import { placeholderSecrets } from './secrets.ts';

// One-shot jobs (seed, cluster init) are done, not services: they are not recorded or probed.
const serving = (containers: ProjectContainer[]) => containers.filter((c) => c.running);

function recordOf(c: ProjectContainer): ServiceRecord {
  return {
    name: c.service,
    role: roleOf(c.service),
    pid: c.pid,
    // Containers are found by project label, never signalled by pid: no start time is needed.
    startTime: 0,
    ports: Object.values(c.ports),
    stopSignal: 'SIGTERM',
    logPath: `docker:${c.name}`,
  };
}

function hostPort(c: ProjectContainer | undefined, containerPort: number): number {
  const port = c?.ports[containerPort];
  if (port === undefined) {
    throw new LabError(
      'UP_FAILED',
      `${c?.service ?? 'a service'} publishes no port ${containerPort}`,
    );
  }
  return port;
}

function hostRedis(topology: Topology, containers: ProjectContainer[]): RedisEndpoints {
  const nodes = containers
    .filter((c) => roleOf(c.service) === 'redis')
    .map((c) => `127.0.0.1:${hostPort(c, CONTAINER_PORTS.redis)}`);
  if (topology.redis.kind === 'none') return {};
  return topology.redis.kind === 'single' ? { url: `redis://${nodes[0]}` } : { nodes };
}

/**
 * The state-file view of a compose run: host-side addresses (127.0.0.1 and published ports); for a
 * cluster, host clients map the announced names with clusterNatMap(state.redis.nodes).
 */
export function stateFromContainers(
  topology: Topology,
  run: { runDir: string; httpPort: number },
  containers: ProjectContainer[],
): LabState {
  const running = serving(containers);
  const postgres = running.find((c) => c.service === 'postgres');
  const { user, db } = POSTGRES;
  return {
    version: 1,
    driver: 'compose',
    topology: topology.name,
    startedAt: new Date().toISOString(),
    runDir: run.runDir,
    httpUrl: `http://127.0.0.1:${run.httpPort}`,
    httpPort: run.httpPort,
    databaseUrl: `postgres://${user}@127.0.0.1:${hostPort(postgres, CONTAINER_PORTS.postgres)}/${db}`,
    redis: hostRedis(topology, running),
    services: running.map(recordOf),
  };
}

/** Waits (bounded, 30 s) until GET <url>/healthz through nginx answers 200. */
export async function waitServing(url: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    const status = await httpStatus(`${url}/healthz`, 2_000).catch(() => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new LabError('UP_FAILED', `nginx at ${url} did not answer GET /healthz with 200 in 30 s`);
}

async function statusOf(c: ProjectContainer): Promise<ServiceStatus> {
  const ports = Object.values(c.ports);
  const open = await Promise.all(ports.map((port) => canConnect(port, '127.0.0.1', 500)));
  return {
    name: c.service,
    role: roleOf(c.service),
    pid: c.pid,
    alive: c.running && c.health !== 'unhealthy',
    listening: ports.filter((_, i) => open[i]),
    ports,
  };
}

/** Probes every container of the recorded project and GET /healthz through nginx. */
export async function composeStatus(state: LabState): Promise<LabStatus> {
  const { project } = await readRunRecord(state.runDir);
  const containers = (await projectContainers(project.name)).filter(
    (c) => c.status !== 'exited' || c.exitCode !== 0,
  );
  const services = await Promise.all(containers.map(statusOf));
  const ok = (await httpStatus(`${state.httpUrl}/healthz`, 2_000).catch(() => 0)) === 200;
  return { state, services, serving: ok };
}

/** `compose logs` of one service (or all), the last `lines` lines each. */
export async function composeLogs(state: LabState, service?: string, lines = 40): Promise<string> {
  const { flavor, project } = await readRunRecord(state.runDir);
  const names = (await projectContainers(project.name)).map((c) => c.service);
  if (service !== undefined && !names.includes(service)) {
    throw new LabError('USAGE', `no service named '${service}'; services: ${names.join(', ')}`);
  }
  const command = ['logs', '--no-color', '--tail', String(lines), ...(service ? [service] : [])];
  const env = placeholderSecrets();
  return (await runCompose(composeCliOf(flavor), project, command, { env })).stdout;
}

/**
 * `compose down --volumes --remove-orphans` of the run recorded in `runDir`, keeping the logs in
 * `<runDir>/logs/compose.log` first; STOP_FAILED if a container of the project survives.
 */
export async function downRecorded(runDir: string, onProgress?: ProgressListener): Promise<void> {
  const record = await readRunRecord(runDir);
  const cli = composeCliOf(record.flavor);
  // Every profile: whatever was started with the project goes, whichever profiles `up` had.
  const project = { ...record.project, profiles: Object.values(PROFILES) };
  const env = placeholderSecrets();
  const steps = ['keep the logs', `compose down ${project.name}`];
  const report = (step: number, phase: 'start' | 'done') =>
    onProgress?.({ step, total: steps.length, label: steps[step - 1] ?? '', phase });
  report(1, 'start');
  const logs = await runCompose(cli, project, ['logs', '--no-color', '--timestamps'], {
    env,
  }).catch((e: unknown) => ({ stdout: `could not read the logs: ${String(e)}` }));
  await mkdir(join(runDir, 'logs'), { recursive: true });
  await writeFile(join(runDir, 'logs', 'compose.log'), logs.stdout);
  report(1, 'done');
  report(2, 'start');
  await runCompose(cli, project, DOWN_COMMAND, { env, timeoutMs: 120_000 });
  const left = await projectContainers(project.name);
  if (left.length > 0) {
    throw new LabError('STOP_FAILED', `compose down left ${left.map((c) => c.name).join(', ')}`);
  }
  report(2, 'done');
}
