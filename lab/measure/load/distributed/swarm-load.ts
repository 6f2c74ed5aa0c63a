import type { RunResult } from '../../../../loadtests/result-types.ts';
import { type RunLoadOptions, resolveOptions } from '../../../../loadtests/runner/options.ts';
import { LabError } from '../../../lab-errors.ts';
import { CONTAINER_PORTS } from '../../../render/compose/compose-types.ts';
import { STACK_NETWORK } from '../../../render/swarm/stack-services.ts';
import { REPO_ROOT } from '../../../repo-root.ts';
import { docker, serviceTasks, stackLabel } from '../../../run/driver/swarm/swarm-cli.ts';
import { mergeShareResults } from './merge-shares.ts';
import { encodeReplicaInput, type ReplicaInput } from './replica-input.ts';
import { decodeShareLines } from './share-lines.ts';

/** A distributed run on swarm: N replicas of the Node runner against a running stack. */
export interface SwarmLoadOptions {
  /** The stack of the running lab (its overlay network carries the load to nginx). */
  stack: string;
  replicas: number;
  /** An image with Node >= 20 (the lab's app image has it); the repository is mounted read-only. */
  image: string;
  /** The run; baseUrl defaults to http://nginx:8080 inside the stack's network. */
  load: Omit<RunLoadOptions, 'baseUrl' | 'onProgress' | 'onStart' | 'workload'> & {
    workload: string;
    baseUrl?: string;
  };
  /** Time from `service create` to the shared start: every replica must be running by then. */
  leadMs?: number;
}

const ENTRY = 'lab/measure/load/distributed/replica-main.ts';

function createArgs(name: string, o: SwarmLoadOptions, input: ReplicaInput): string[] {
  return [
    'service',
    'create',
    '--detach',
    '--name',
    name,
    '--label',
    stackLabel(o.stack),
    '--container-label',
    stackLabel(o.stack),
    '--network',
    `${o.stack}_${STACK_NETWORK}`,
    '--replicas',
    String(o.replicas),
    '--restart-condition',
    'none',
    '--hostname',
    'load-{{.Task.Slot}}',
    '--limit-cpu',
    '1',
    '--limit-memory',
    '512M',
    '--mount',
    `type=bind,source=${REPO_ROOT},target=/repo,readonly`,
    '--workdir',
    '/repo',
    '--user',
    'root',
    '--entrypoint',
    'node',
    o.image,
    '--import',
    'tsx',
    ENTRY,
    encodeReplicaInput(input),
  ];
}

async function waitComplete(name: string, replicas: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const tasks = await serviceTasks(name);
    const failed = tasks.find((t) => t.state === 'failed' || t.state === 'rejected');
    if (failed)
      throw new LabError(
        'LOAD_FAILED',
        `load replica ${failed.slot} ${failed.state}: ${failed.error}`,
      );
    if (tasks.filter((t) => t.state === 'complete').length === replicas) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new LabError('LOAD_FAILED', `load replicas not done after ${timeoutMs} ms`);
}

/**
 * Runs the load as `replicas` swarm tasks that start together at a shared time, each sending the
 * requests of its share of the keys (so its share of the arrival rate), then merges their results
 * exactly into one RunResult. The replicas' service is removed whatever happens.
 */
export async function runSwarmLoad(o: SwarmLoadOptions): Promise<RunResult> {
  const options = { ...o.load, baseUrl: o.load.baseUrl ?? `http://nginx:${CONTAINER_PORTS.nginx}` };
  const resolved = resolveOptions(options as RunLoadOptions);
  const leadMs = o.leadMs ?? 20_000;
  const input: ReplicaInput = {
    options: { ...options, workload: o.load.workload },
    count: o.replicas,
    startAtEpochMs: Date.now() + leadMs,
  };
  const name = `${o.stack}_load-${Date.now().toString(36)}`;
  await docker(createArgs(name, o, input));
  try {
    const runMs =
      leadMs + (options.warmupSec + options.durationSec) * 1000 + options.timeoutMs * 2 + 30_000;
    await waitComplete(name, o.replicas, runMs);
    const logs = await docker(['service', 'logs', '--raw', name], 60_000);
    return mergeShareResults(resolved, decodeShareLines(logs, o.replicas));
  } finally {
    await docker(['service', 'rm', name]);
  }
}
