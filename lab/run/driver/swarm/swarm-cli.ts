import { LabError } from '../../../lab-errors.ts';
import { execCommand } from '../compose/compose-binary.ts';

/** The label swarm puts on every object of a stack. */
export const stackLabel = (stack: string): string => `com.docker.stack.namespace=${stack}`;

const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

/** `docker …` with a bound; output as text. */
export async function docker(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return (await execCommand('docker', args, { timeoutMs })).stdout;
}

/** This engine's swarm state: `active`, `inactive`, `pending`, `error` or `locked`. */
export async function localSwarmState(): Promise<string> {
  return (await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'], 10_000)).trim();
}

/** Throws SWARM_INACTIVE with the command to run when this engine is not a swarm manager. */
export async function assertSwarmManager(): Promise<void> {
  const state = await localSwarmState();
  const manager = (await docker(['info', '--format', '{{.Swarm.ControlAvailable}}'])).trim();
  if (state !== 'active' || manager !== 'true') {
    throw new LabError(
      'UP_FAILED',
      `this Docker engine is not a swarm manager (swarm ${state}): run \`docker swarm init --advertise-addr 127.0.0.1\` (a single-node swarm) or use a manager of your swarm`,
    );
  }
}

/** Ids of the swarm's nodes that accept tasks (ready and active), sorted. */
export async function activeNodes(): Promise<string[]> {
  const out = await docker(['node', 'ls', '--format', '{{.ID}} {{.Status}} {{.Availability}}']);
  return lines(out)
    .map((l) => l.split(' '))
    .filter(([, status, availability]) => status === 'Ready' && availability === 'Active')
    .map(([id]) => id ?? '')
    .sort();
}

/** One task of a service, from `docker inspect`. */
export interface SwarmTask {
  id: string;
  slot: number;
  /** new, pending, assigned, preparing, starting, running, complete, failed, shutdown, rejected… */
  state: string;
  desired: string;
  error: string;
  nodeId: string;
}

interface TaskJson {
  ID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState: string;
  Status: { State: string; Err?: string };
}

/** Every task (current and past) of service `name`. */
export async function serviceTasks(name: string): Promise<SwarmTask[]> {
  const ids = lines(await docker(['service', 'ps', '-q', '--no-trunc', name]));
  if (ids.length === 0) return [];
  const raw = JSON.parse(await docker(['inspect', '--type', 'task', ...ids])) as TaskJson[];
  return raw.map((t) => ({
    id: t.ID,
    slot: t.Slot ?? 0,
    state: t.Status.State,
    desired: t.DesiredState,
    error: t.Status.Err ?? '',
    nodeId: t.NodeID ?? '',
  }));
}

/** Names of the services of `stack`, sorted. */
export async function stackServices(stack: string): Promise<string[]> {
  const out = await docker([
    'service',
    'ls',
    '--filter',
    `label=${stackLabel(stack)}`,
    '--format',
    '{{.Name}}',
  ]);
  return lines(out).sort();
}

/** Everything of `stack` that still exists, by kind (empty lists: nothing left). */
export interface StackLeftovers {
  services: string[];
  containers: string[];
  networks: string[];
  volumes: string[];
  secrets: string[];
  configs: string[];
}

const byLabel = (kind: string, stack: string, format: string) =>
  docker([
    kind,
    'ls',
    ...(kind === 'container' ? ['-a'] : []),
    '--filter',
    `label=${stackLabel(stack)}`,
    '--format',
    format,
  ]).then(lines);

/** What `stack` left on this node (containers and volumes are per node; the rest is swarm-wide). */
export async function stackLeftovers(stack: string): Promise<StackLeftovers> {
  const [services, containers, networks, volumes, secrets, configs] = await Promise.all([
    byLabel('service', stack, '{{.Name}}'),
    byLabel('container', stack, '{{.Names}}'),
    byLabel('network', stack, '{{.Name}}'),
    byLabel('volume', stack, '{{.Name}}'),
    byLabel('secret', stack, '{{.Name}}'),
    byLabel('config', stack, '{{.Name}}'),
  ]);
  return { services, containers, networks, volumes, secrets, configs };
}

/** True when nothing of the stack is left. */
export const isEmpty = (l: StackLeftovers): boolean =>
  Object.values(l).every((v) => v.length === 0);
