import { LabError } from '../../lab-errors.ts';
import { killAllManaged } from '../processes/process-registry.ts';

/**
 * Lets the managed processes outlive this process: the native registry kills them on process exit, which is
 * right for tests and for a failed `up`, but `cachelab up` must leave the topology running. The processes
 * are already in their own process groups with their output in files; only the exit hook has to go.
 * Signal handlers stay: a Ctrl-C before exit still cleans up.
 */
export function releaseOnExit(): void {
  if (!process.listeners('exit').includes(killAllManaged)) {
    throw new LabError(
      'UP_FAILED',
      'cannot detach: the native process registry no longer installs killAllManaged as its exit hook',
    );
  }
  process.removeListener('exit', killAllManaged);
}
