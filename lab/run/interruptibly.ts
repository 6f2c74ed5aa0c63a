import { LabError } from '../lab-errors.ts';
import { holdSignalKills } from './processes/process-registry.ts';

/** Exit status of a run forced by a second Ctrl-C (128 + SIGINT). */
const FORCED_EXIT_CODE = 130;

/**
 * Runs `work` with SIGINT/SIGTERM (Ctrl-C) turned into an abort of its signal, rejecting with an
 * INTERRUPTED LabError; `notice` says on stderr what happens next (e.g. "stopping what was started").
 * Meanwhile the process layer kills nothing on the first signal, so `work` stops what it started in
 * its own order; a second signal forces: every process is killed and the process exits.
 * An `outer` signal aborts the work the same way.
 */
export async function interruptibly<T>(
  notice: string,
  work: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  outer?.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.stderr.write(
        `\ncachelab: ${signal} again: forcing; every process is killed (cachelab down removes any container left)\n`,
      );
      process.exit(FORCED_EXIT_CODE); // the process layer's exit handler kills what still runs
    }
    process.stderr.write(`\ncachelab: ${signal}: ${notice}… (Ctrl-C again to force)\n`);
    controller.abort(new LabError('INTERRUPTED', `interrupted by ${signal}`));
  };
  const release = holdSignalKills();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    release();
  }
}
