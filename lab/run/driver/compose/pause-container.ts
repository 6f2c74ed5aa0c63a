import { LabError } from '../../../lab-errors.ts';
import { execCommand } from './compose-binary.ts';

const docker = (args: string[]) => execCommand('docker', args, { timeoutMs: 30_000 });

/** Longest wait for the container's running execs (its healthcheck probe) to end before a pause. */
const QUIET_TIMEOUT_MS = 10_000;
/** Attempts of `docker pause` when the freezer reports a task it could not freeze. */
const FREEZE_ATTEMPTS = 3;

async function execsInFlight(id: string): Promise<number> {
  return Number((await docker(['inspect', '--format', '{{len .ExecIDs}}', id])).stdout.trim());
}

/**
 * Polls until no exec runs in the container (bounded). A healthcheck probe is a `docker exec`: while
 * runc adds its process to the container's cgroup, and while that process is in uninterruptible
 * sleep (exec, page faults), the cgroup v1 freezer cannot freeze the cgroup.
 */
async function waitNoExec(id: string): Promise<void> {
  const deadline = Date.now() + QUIET_TIMEOUT_MS;
  while ((await execsInFlight(id)) > 0) {
    if (Date.now() > deadline) {
      throw new LabError(
        'ACTION_FAILED',
        `an exec still runs in ${id} after ${QUIET_TIMEOUT_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const freezeFailed = (error: unknown): boolean =>
  error instanceof Error && /unable to freeze/.test(error.message);

/**
 * `docker pause` once no healthcheck exec is in flight. runc's cgroup v1 freezer gives up with
 * "unable to freeze" (after thawing) when a task stays unfrozen through its retries
 * (opencontainers/runc#2774, #2791: "still a game of chances"), so that one error, and only it, is
 * tried again a bounded number of times, each after waiting for quiet again.
 */
export async function pauseContainer(id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await waitNoExec(id);
    try {
      await docker(['pause', id]);
      return;
    } catch (error) {
      if (!freezeFailed(error) || attempt >= FREEZE_ATTEMPTS) throw error;
    }
  }
}
