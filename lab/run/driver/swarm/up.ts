import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadLabConfig } from '../../../lab-config.ts';
import { LabError } from '../../../lab-errors.ts';
import { readEnvFile } from '../../../render/compose/pins.ts';
import {
  type NginxResolveMode,
  renderStack,
  renderSwarmNginx,
  stackPhases,
  stackSubset,
  stackYaml,
} from '../../../render/swarm/render-stack.ts';
import type { StackImages } from '../../../render/swarm/stack-services.ts';
import type { StackFile } from '../../../render/swarm/stack-types.ts';
import { REPO_ROOT } from '../../../repo-root.ts';
import type { Topology } from '../../../topology/model.ts';
import { validateTopology } from '../../../topology/schema.ts';
import { redisNodeCount } from '../../../topology/services.ts';
import { freePorts } from '../../processes/ports.ts';
import { makeRunDir } from '../../processes/run-dir.ts';
import { chooseImages, type ImageProbes, imagesOf } from '../compose/images.ts';
import { loadSecrets } from '../compose/secrets.ts';
import { waitServing } from '../compose/status-logs-down.ts';
import type { LabState, UpOptions } from '../driver-types.ts';
import { assertHttpPortFree } from '../native/up.ts';
import { type SwarmRunRecord, writeSwarmRecord } from './record.ts';
import { downStack } from './stack-down.ts';
import { fullName, swarmState } from './stack-state.ts';
import { activeNodes, assertSwarmManager, docker, stackServices } from './swarm-cli.ts';
import { type ServiceGoal, waitForServices } from './wait-tasks.ts';

/** Resolved settings of a swarm driver. */
export interface SwarmSettings {
  /** Folder of the pins (.env) and the secrets file. */
  composeDir: string;
  secretsFile: string;
  /** The stack is `<prefix>-<topology>`. */
  stackPrefix: string;
  readyTimeoutMs: number;
  imageProbes: ImageProbes;
}

/** The stack name of `topology` (swarm names allow lower-case letters, digits, `-` and `_`). */
export const stackNameOf = (prefix: string, topology: string): string =>
  `${prefix}-${topology}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-');

const FAMILIES = ['nginx', 'app', 'postgres', 'redis'] as const;

async function pickImages(s: SwarmSettings) {
  const pins = await readEnvFile(join(s.composeDir, '.env'));
  const { official, offline } = imagesOf(FAMILIES, pins);
  const choice = await chooseImages({
    forced: loadLabConfig().offline,
    official,
    offline,
    probes: s.imageProbes,
  });
  const chosen = choice.offline ? offline : official;
  const [nginx = '', app = '', postgres = '', redis = ''] = chosen;
  const images: StackImages = { nginx, app, postgres, redis };
  // Debian 12's nginx (1.22, the offline image) has no `server … resolve`; the pinned official one has.
  const nginxMode: NginxResolveMode = choice.offline ? 'variable' : 'resolve';
  return { images, nginxMode, offline: choice.offline };
}

/** Secrets as files for `docker stack deploy` (removed once deployed: swarm keeps its own copy). */
async function writeSecretFiles(s: SwarmSettings, dir: string) {
  const secrets = await loadSecrets(s.secretsFile, join(s.composeDir, '.env.example'));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => join(dir, name);
  await writeFile(file('postgres'), secrets.values.POSTGRES_PASSWORD ?? '', { mode: 0o600 });
  await writeFile(file('redis'), secrets.values.REDIS_PASSWORD ?? '', { mode: 0o600 });
  return { postgresPassword: file('postgres'), redisPassword: file('redis') };
}

interface Planned {
  stack: StackFile;
  record: SwarmRunRecord;
}

async function plan(s: SwarmSettings, t: Topology, o: UpOptions, runDir: string): Promise<Planned> {
  const name = stackNameOf(s.stackPrefix, t.name);
  if ((await stackServices(name)).length > 0) {
    throw new LabError(
      'ALREADY_RUNNING',
      `stack ${name} exists; run \`cachelab down\` (or \`docker stack rm ${name}\`) first`,
    );
  }
  const { images, nginxMode, offline } = await pickImages(s);
  const httpPort = o.httpPort ?? loadLabConfig().httpPort;
  const [postgresPort = 0, ...redisPorts] = await freePorts(1 + redisNodeCount(t.redis));
  const nginxConf = join(runDir, 'nginx.conf');
  await writeFile(nginxConf, renderSwarmNginx(t, nginxMode));
  const stack = renderStack(t, {
    images,
    httpPort,
    hostPorts: { postgres: postgresPort, redis: redisPorts },
    seedUsers: o.seedUsers ?? t.postgres.seedUsers,
    appLogLevel: o.appLogLevel ?? loadLabConfig().appLogLevel,
    nodes: await activeNodes(),
    files: {
      nginxConf,
      redisConf: join(REPO_ROOT, 'services/redis/redis.conf'),
      redisClusterConf: join(REPO_ROOT, 'services/redis/redis-cluster.conf'),
      clusterInit: join(s.composeDir, 'redis', 'cluster-init.sh'),
      ...(await writeSecretFiles(s, join(runDir, 'secrets'))),
    },
  });
  const replicas = Object.fromEntries(
    Object.entries(stack.services).map(([n, svc]) => [n, svc.deploy.replicas]),
  );
  const record: SwarmRunRecord = {
    stack: name,
    offline,
    appImage: images.app,
    nginxMode,
    httpPort,
    postgresPort,
    redisPorts,
    replicas,
  };
  return { stack, record };
}

const JOBS = new Set(['seed', 'redis-cluster-init']);

function goalsOf(stackName: string, stack: StackFile, names: readonly string[]): ServiceGoal[] {
  return names.map((n) => ({
    name: fullName(stackName, n),
    kind: JOBS.has(n) ? 'job' : 'service',
    replicas: stack.services[n]?.deploy.replicas ?? 1,
  }));
}

/** `docker stack deploy` of a stack file; never asks a registry (images must be on the nodes). */
export async function deployStack(name: string, path: string, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  await docker(['stack', 'deploy', '--resolve-image', 'never', '-c', path, name], 120_000);
}

async function deployPhases(s: SwarmSettings, p: Planned, runDir: string, o: UpOptions) {
  const phases = stackPhases(p.stack);
  const labels = ['the data stores', 'the seed and cluster jobs', 'the app servers and nginx'];
  const deployed: string[] = [];
  for (const [i, names] of phases.entries()) {
    const base = {
      step: i + 2,
      total: phases.length + 2,
      label: `deploy ${labels[i] ?? ''}: ${names.join(', ')}`,
    };
    o.onProgress?.({ ...base, phase: 'start' });
    const started = performance.now();
    deployed.push(...names);
    const path = join(runDir, `stack-phase-${i + 1}.yaml`);
    await writeFile(path, stackYaml(stackSubset(p.stack, deployed)));
    await deployStack(p.record.stack, path, o.signal);
    const goals = goalsOf(p.record.stack, p.stack, names);
    await waitForServices(goals, { timeoutMs: s.readyTimeoutMs, signal: o.signal });
    o.onProgress?.({ ...base, phase: 'done', ms: performance.now() - started });
  }
}

/**
 * Deploys `topology` as a stack, phase by phase, and waits until nginx serves. A failure or an abort
 * removes the stack (services, network, configs, secrets, volume) before it throws.
 */
export async function upSwarm(s: SwarmSettings, input: Topology, o: UpOptions) {
  const topology = validateTopology(input);
  const config = loadLabConfig();
  const runDir =
    o.runDir ?? (await makeRunDir(`${topology.name}-swarm`, { base: join(config.labDir, 'runs') }));
  let planned: Planned | undefined;
  try {
    await assertSwarmManager();
    await assertHttpPortFree(o.httpPort ?? config.httpPort);
    planned = await plan(s, topology, o, runDir);
    await writeSwarmRecord(runDir, planned.record);
    await deployPhases(s, planned, runDir, o);
    await waitServing(`http://127.0.0.1:${planned.record.httpPort}`, o.signal);
    return {
      topology,
      state: swarmState(topology, runDir, planned.record),
      record: planned.record,
    };
  } catch (error) {
    const cleanup = planned
      ? await downStack(planned.record.stack, runDir).then(
          () => undefined,
          (e: unknown) => e,
        )
      : undefined;
    const stopped =
      cleanup === undefined ? 'the stack was removed' : `CLEANUP FAILED: ${String(cleanup)}`;
    if (o.signal?.aborted)
      throw new LabError('INTERRUPTED', `interrupted; ${stopped}`, { cause: error });
    if (error instanceof LabError && cleanup === undefined) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new LabError('UP_FAILED', `swarm up failed (${stopped}): ${message}`, { cause: error });
  } finally {
    await rm(join(runDir, 'secrets'), { recursive: true, force: true });
  }
}

/** The state of a run that is up (for the RunningLab). */
export type SwarmUp = { topology: Topology; state: LabState; record: SwarmRunRecord };
