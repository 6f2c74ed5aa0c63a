import { LabError } from '../lab-errors.ts';

/**
 * Runs `work` with SIGINT/SIGTERM (Ctrl-C) turned into an abort of its signal, rejecting with an
 * INTERRUPTED LabError; `notice` says on stderr what happens next (e.g. "stopping what was started").
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
    process.stderr.write(`\ncachelab: ${signal}: ${notice}…\n`);
    controller.abort(new LabError('INTERRUPTED', `interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
