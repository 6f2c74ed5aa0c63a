import { type ManagedProcess, waitUntil } from './managed-process.ts';
import { httpStatus } from './net-checks.ts';

/** Waits until GET `url` answers 200; kills `proc` and rethrows when it does not within `timeoutMs`. */
export async function waitHttpReady(
  proc: ManagedProcess,
  name: string,
  url: string,
  timeoutMs: number,
): Promise<void> {
  try {
    const ready = async (): Promise<boolean> => (await httpStatus(url)) === 200;
    await waitUntil(`${name} ${url}`, ready, { timeoutMs, intervalMs: 50, proc });
  } catch (error) {
    await proc.kill();
    throw error;
  }
}
