import type pg from 'pg';
import type { SharedOps } from '../../app/src/cache/cache-types.ts';
import { reconnectDelay } from '../../app/src/cache/redis-connection.ts';
import type { Logger } from '../../app/src/logger.ts';
import type { InvalidatorMetrics, WakeSource } from './invalidator-metrics.ts';
import {
  claimBatch,
  type Invalidation,
  pruneApplied,
  queueLag,
  recentlyApplied,
} from './outbox-queue.ts';

/** What the loop needs. */
export interface InvalidatorOptions {
  pool: pg.Pool;
  /** The topology's shared cache: a tombstone there also drops L1s over the bus in two-tier. */
  ops: SharedOps;
  tombstoneTtlMs: number;
  batch: number;
  retryMaxMs: number;
  replayWindowMs: number;
  retentionMs: number;
  metrics: InvalidatorMetrics;
  logger: Logger;
  /** Called after a failed batch, before the retry (e.g. to re-read a Cluster's slot map). */
  onFailure?: () => void;
}

/** The drain loop: woken by NOTIFY, polls and retries; one drain at a time. */
export interface Invalidator {
  wake(source: WakeSource): void;
  /** A Redis error was seen: recently applied rows are applied again once Redis answers. */
  needReplay(): void;
  /** Refreshes the lag gauges and prunes old rows. */
  housekeeping(): Promise<void>;
  /** Resolves when no drain is running (after close, none starts). */
  close(): Promise<void>;
}

/** Longest pause between prunes of applied rows. */
const PRUNE_EVERY_MS = 60_000;

/**
 * Applies the outbox: claim a batch, write a tombstone per key, mark the rows of the keys that took
 * effect done in the same transaction; the others are retried after a capped backoff until they take
 * effect. Killed mid-batch, the transaction rolls back and the rows stay pending.
 */
export function createInvalidator(options: InvalidatorOptions): Invalidator {
  const state = { running: undefined as Promise<void> | undefined, again: false, closed: false };
  const retry = { attempt: 0, timer: undefined as NodeJS.Timeout | undefined };
  let replayPending = false;
  let lastPrune = 0;
  const runOnce = async () => {
    do {
      state.again = false;
      try {
        await drain(options);
        if (replayPending) {
          replayPending = false;
          await replay(options).catch((error: unknown) => {
            replayPending = true;
            throw error;
          });
        }
        retry.attempt = 0;
      } catch (error) {
        options.logger.warn({ err: error }, 'outbox batch failed; retrying');
        options.onFailure?.();
        clearTimeout(retry.timer);
        const delay = Math.min(reconnectDelay(retry.attempt++), options.retryMaxMs);
        retry.timer = setTimeout(() => invalidator.wake('retry'), delay);
      }
    } while (state.again && !state.closed);
  };
  const invalidator: Invalidator = {
    wake(source) {
      if (state.closed) return;
      options.metrics.wake(source);
      if (state.running !== undefined) {
        state.again = true;
        return;
      }
      state.running = runOnce().finally(() => {
        state.running = undefined;
      });
    },
    needReplay() {
      if (options.replayWindowMs > 0) replayPending = true;
    },
    async housekeeping() {
      const { pending, lagSeconds } = await queueLag(options.pool);
      options.metrics.lag(pending, lagSeconds);
      if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
      lastPrune = Date.now();
      await pruneApplied(options.pool, options.retentionMs);
    },
    async close() {
      state.closed = true;
      clearTimeout(retry.timer);
      await state.running;
    },
  };
  return invalidator;
}

/**
 * One pass over every pending row, batch after batch: the rows whose tombstone took effect are marked
 * done, the others stay pending; rejects at the end if any failed, so the pass is retried after a
 * backoff. A key on an unreachable node therefore never holds back the keys on the others.
 */
async function drain(options: InvalidatorOptions): Promise<void> {
  let failure: { error: unknown } | undefined;
  for (let afterId = '0'; ; ) {
    const batch = await claimBatch(options.pool, options.batch, afterId).catch((error: unknown) => {
      options.metrics.failed('database');
      throw error;
    });
    if (batch === undefined) break;
    afterId = batch.lastId;
    const { applied, error } = await applyEach(options, batch.invalidations);
    if (error !== undefined) {
      options.metrics.failed('redis');
      failure ??= { error };
    }
    const done = await batch.commit(applied).catch((commitError: unknown) => {
      options.metrics.failed('database');
      throw commitError;
    });
    options.metrics.applied(done.rows, done.ages);
  }
  if (failure !== undefined) throw failure.error;
}

/** Writes every tombstone; says which keys took effect, and the first error of the others. */
async function applyEach(
  options: InvalidatorOptions,
  invalidations: Invalidation[],
): Promise<{ applied: Set<string>; error: unknown }> {
  const results = await Promise.allSettled(
    invalidations.map(({ key, version }) =>
      options.ops.tombstone(key, version, options.tombstoneTtlMs),
    ),
  );
  const applied = new Set<string>();
  let error: unknown;
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') applied.add(invalidations[i]?.key ?? '');
    else error ??= result.reason;
  });
  return { applied, error };
}

/** Writes every tombstone; rejects if any failed. */
async function applyAll(options: InvalidatorOptions, invalidations: Invalidation[]): Promise<void> {
  const { error } = await applyEach(options, invalidations);
  if (error !== undefined) throw error;
}

/** Applies the recently applied rows again: a failover may have lost writes the old master acknowledged. */
async function replay(options: InvalidatorOptions): Promise<void> {
  const recent = await recentlyApplied(options.pool, options.replayWindowMs);
  await applyAll(options, recent);
  options.metrics.replayed(recent.length);
  options.logger.info({ keys: recent.length }, 'outbox invalidations replayed after a Redis error');
}
