import { LabError } from '../../../lab-errors.ts';
import { type SwarmTask, serviceTasks } from './swarm-cli.ts';

/** What a service must reach: `replicas` running (healthy) tasks, or one task `complete` (a job). */
export interface ServiceGoal {
  /** Full swarm name, e.g. cachelab-global_app. */
  name: string;
  kind: 'service' | 'job';
  replicas: number;
}

/** Attempts after which a crash-looping service is given up on (its restart policy would go on). */
const MAX_FAILED_TASKS = 5;

/** Ready, failed for good (with why), or still on its way. */
export function judgeTasks(
  goal: ServiceGoal,
  tasks: readonly SwarmTask[],
): 'ready' | 'waiting' | string {
  const rejected = tasks.find((t) => t.state === 'rejected');
  if (rejected) return `${goal.name} rejected: ${rejected.error || 'no reason given'}`;
  const failed = tasks.filter((t) => t.state === 'failed');
  if (goal.kind === 'job' && tasks.some((t) => t.state === 'complete')) return 'ready';
  if (failed.length >= MAX_FAILED_TASKS) {
    return `${goal.name} failed ${failed.length} times: ${failed[0]?.error ?? ''}`;
  }
  if (goal.kind === 'job') return 'waiting';
  const running = tasks.filter((t) => t.desired === 'running' && t.state === 'running');
  return running.length === goal.replicas ? 'ready' : 'waiting';
}

/**
 * Polls until every goal is met. A task counts as running only once its healthcheck passed (swarm
 * reports `starting` until then, and adds it to the service's DNS name only then). Bounded.
 */
export async function waitForServices(
  goals: readonly ServiceGoal[],
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let waiting = goals.map((g) => g.name);
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    const verdicts = await Promise.all(
      goals.map(async (g) => [g.name, judgeTasks(g, await serviceTasks(g.name))] as const),
    );
    const failure = verdicts.find(([, v]) => v !== 'ready' && v !== 'waiting');
    if (failure) throw new LabError('UP_FAILED', `swarm service failed: ${failure[1]}`);
    waiting = verdicts.filter(([, v]) => v === 'waiting').map(([name]) => name);
    if (waiting.length === 0) return;
    // Once a second: every poll is work for dockerd, which also answers the tasks' DNS queries.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new LabError(
    'UP_FAILED',
    `swarm services not ready after ${options.timeoutMs} ms: ${waiting.join(', ')}`,
  );
}
