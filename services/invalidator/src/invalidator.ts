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
 * Applies the outbox: claim a batch, write a tombstone per key (retried until it took effect: a
 * failed batch is rolled back and claimed again after a capped backoff), mark the rows done in the
 * same transaction. Killed mid-batch, the transaction rolls back and the rows stay pending.
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

/** Claims and applies batches until none is pending. */
async function drain(options: InvalidatorOptions): Promise<void> {
  for (;;) {
    const batch = await claimBatch(options.pool, options.batch).catch((error: unknown) => {
      options.metrics.failed('database');
      throw error;
    });
    if (batch === undefined) return;
    try {
      await applyAll(options, batch.invalidations);
    } catch (error) {
      options.metrics.failed('redis');
      await batch.rollback();
      throw error;
    }
    await batch.commit().catch((error: unknown) => {
      options.metrics.failed('database');
      throw error;
    });
    options.metrics.applied(batch.rows, batch.ages);
  }
}

/** Writes every tombstone; rejects if any failed (the whole batch is then retried). */
async function applyAll(options: InvalidatorOptions, invalidations: Invalidation[]): Promise<void> {
  const results = await Promise.allSettled(
    invalidations.map(({ key, version }) =>
      options.ops.tombstone(key, version, options.tombstoneTtlMs),
    ),
  );
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** Applies the recently applied rows again: a failover may have lost writes the old master acknowledged. */
async function replay(options: InvalidatorOptions): Promise<void> {
  const recent = await recentlyApplied(options.pool, options.replayWindowMs);
  await applyAll(options, recent);
  options.metrics.replayed(recent.length);
  options.logger.info({ keys: recent.length }, 'outbox invalidations replayed after a Redis error');
}
