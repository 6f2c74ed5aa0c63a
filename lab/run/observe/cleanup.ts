import { LabError } from '../../lab-errors.ts';

/**
 * Runs `cleanup` after `error` (a failed start) and returns what to throw: `error` itself, or a LabError
 * carrying both when the cleanup failed too, so neither failure is lost.
 */
export async function withCleanup(error: unknown, cleanup: () => Promise<void>): Promise<unknown> {
  try {
    await cleanup();
    return error;
  } catch (cleanupError) {
    const message = error instanceof Error ? error.message : String(error);
    return new LabError('UP_FAILED', `${message} (and stopping what was started failed)`, {
      cause: new AggregateError([error, cleanupError]),
    });
  }
}

/** Stops every process (in parallel) and throws an AggregateError of the failures, if any. */
export async function stopEach(procs: readonly { stop(): Promise<unknown> }[]): Promise<void> {
  const results = await Promise.allSettled(procs.map((p) => p.stop()));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  if (failures.length > 0) throw new AggregateError(failures, 'stopping failed');
}
