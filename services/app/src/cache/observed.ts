import { CacheError } from '../errors.ts';
import type {
  CacheObserver,
  CacheOperation,
  CacheOperationResult,
  CacheTier,
} from './cache-types.ts';

/** ioredis rejects a command that outlives `commandTimeout` with exactly this message. */
const TIMEOUT_MESSAGE = 'Command timed out';

/** Who is running an operation, for reporting: the observer, the tier and the strategy name. */
export interface OperationContext {
  observer: CacheObserver;
  tier: CacheTier;
  strategy: string;
}

/** True when an error is a command timeout (ioredis `commandTimeout` or our own deadline). */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === TIMEOUT_MESSAGE;
}

/** Rejects with a timeout error when `promise` does not settle within `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(TIMEOUT_MESSAGE)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Runs one cache operation, reports its outcome and duration through the observer, and turns a
 * failure into a CacheError (reported once, here, so callers must not report it again).
 */
export async function observed<T>(
  context: OperationContext,
  op: CacheOperation,
  run: () => Promise<T>,
  outcome: (value: T) => CacheOperationResult = () => 'ok',
): Promise<T> {
  const started = performance.now();
  try {
    const value = await run();
    context.observer.operation(context.tier, op, outcome(value), elapsed(started));
    return value;
  } catch (error) {
    const result = isTimeout(error) ? 'timeout' : 'error';
    context.observer.operation(context.tier, op, result, elapsed(started));
    context.observer.error(context.tier, error);
    const reason = error instanceof Error ? error.message : String(error);
    throw new CacheError(`${context.strategy} ${op} failed: ${reason}`, {
      cause: error,
      details: { strategy: context.strategy, op, result },
    });
  }
}

/** Outcome of a get: hit when a value came back. */
export function hitOrMiss(value: unknown): CacheOperationResult {
  return value === undefined || value === null ? 'miss' : 'hit';
}

function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}

/** Runs a health check; a failure becomes a CacheError naming the strategy (not an operation metric). */
export async function checked(strategy: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CacheError(`${strategy} ping failed: ${reason}`, {
      cause: error,
      details: { strategy },
    });
  }
}
