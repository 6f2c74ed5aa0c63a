import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from '../../../lab-errors.ts';
import type { ProgressListener } from '../driver-types.ts';
import {
  docker,
  isEmpty,
  type StackLeftovers,
  stackLeftovers,
  stackServices,
} from './swarm-cli.ts';

/** Longest wait for swarm to stop the tasks and remove the networks after `stack rm`. */
const REMOVE_TIMEOUT_MS = 120_000;

/** Keeps each service's logs in `<runDir>/logs/<service>.log` (best effort: the reason is written instead). */
async function keepLogs(stack: string, runDir: string): Promise<void> {
  const dir = join(runDir, 'logs');
  await mkdir(dir, { recursive: true });
  for (const service of await stackServices(stack)) {
    const text = await docker(
      ['service', 'logs', '--no-trunc', '--timestamps', '--raw', service],
      30_000,
    ).catch((e: unknown) => `could not read the logs: ${String(e)}`);
    await writeFile(join(dir, `${service}.log`), text);
  }
}

const describe = (l: StackLeftovers): string =>
  Object.entries(l)
    .filter(([, names]) => names.length > 0)
    .map(([kind, names]) => `${kind}: ${names.join(', ')}`)
    .join('; ');

/** Polls until only volumes may be left (tasks stopped, network gone), bounded. */
async function waitRemoved(stack: string): Promise<StackLeftovers> {
  const deadline = Date.now() + REMOVE_TIMEOUT_MS;
  let left = await stackLeftovers(stack);
  while (Date.now() < deadline) {
    const { volumes: _, ...rest } = left;
    if (Object.values(rest).every((v) => v.length === 0)) return left;
    await new Promise((resolve) => setTimeout(resolve, 500));
    left = await stackLeftovers(stack);
  }
  throw new LabError(
    'STOP_FAILED',
    `docker stack rm ${stack} left ${describe(left)} after ${REMOVE_TIMEOUT_MS} ms`,
  );
}

/**
 * Removes stack `stack` and everything it created: services (and their containers), the overlay
 * network, configs, secrets, then its volumes, which `docker stack rm` keeps. Logs are kept first.
 * STOP_FAILED naming what survived.
 */
export async function downStack(
  stack: string,
  runDir: string,
  onProgress?: ProgressListener,
): Promise<void> {
  const steps = [
    'keep the logs',
    `docker stack rm ${stack}`,
    'remove the volumes and check nothing is left',
  ];
  const report = (step: number, phase: 'start' | 'done') =>
    onProgress?.({ step, total: steps.length, label: steps[step - 1] ?? '', phase });
  report(1, 'start');
  await keepLogs(stack, runDir);
  report(1, 'done');
  report(2, 'start');
  await docker(['stack', 'rm', stack], 60_000);
  const { volumes } = await waitRemoved(stack);
  report(2, 'done');
  report(3, 'start');
  if (volumes.length > 0) await docker(['volume', 'rm', ...volumes], 60_000);
  const left = await stackLeftovers(stack);
  if (!isEmpty(left)) throw new LabError('STOP_FAILED', `stack ${stack} left ${describe(left)}`);
  report(3, 'done');
}
