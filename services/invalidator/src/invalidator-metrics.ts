import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheObserver } from '../../app/src/cache/cache-types.ts';

/** Why the invalidator looked at the outbox. */
export type WakeSource = 'notify' | 'poll' | 'retry' | 'listen';
/** Where a batch failed. */
export type FailureStage = 'redis' | 'database';

/** Commit-to-applied buckets, 1 ms … 60 s. */
const DELAY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** The invalidator's metrics, on its own registry (labels bounded). */
export interface InvalidatorMetrics {
  readonly registry: Registry;
  wake(source: WakeSource): void;
  applied(rows: number, ages: number[]): void;
  failed(stage: FailureStage): void;
  replayed(keys: number): void;
  lag(pending: number, lagSeconds: number): void;
  /** Observer handed to the cache strategy: counts its operations and errors. */
  cacheObserver(onError: () => void): CacheObserver;
}

/** Creates the registry with the invalidator families and default labels {topology, server}. */
export function createInvalidatorMetrics(labels: {
  topology: string;
  server: string;
}): InvalidatorMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry, prefix: 'cachelab_invalidator_' });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  const wakeups = counter('cachelab_invalidator_wakeups_total', 'Outbox scans by cause', [
    'source',
  ]);
  const applied = counter(
    'cachelab_invalidator_applied_total',
    'Outbox rows applied and marked done',
  );
  const failures = counter('cachelab_invalidator_failures_total', 'Failed batches by stage', [
    'stage',
  ]);
  const replays = counter(
    'cachelab_invalidator_replayed_total',
    'Keys invalidated again after a Redis error',
  );
  const cacheErrors = counter('cachelab_invalidator_cache_errors_total', 'Redis errors seen');
  const delay = new Histogram({
    name: 'cachelab_invalidator_apply_delay_seconds',
    help: 'From a row commit to its invalidation applied',
    buckets: DELAY_BUCKETS,
    registers,
  });
  const pending = new Gauge({
    name: 'cachelab_invalidator_pending',
    help: 'Pending outbox rows',
    registers,
  });
  const lag = new Gauge({
    name: 'cachelab_invalidator_lag_seconds',
    help: 'Age of the oldest pending outbox row (0 when none)',
    registers,
  });
  return {
    registry,
    wake: (source) => wakeups.inc({ source }),
    applied(rows, ages) {
      applied.inc(rows);
      for (const age of ages) delay.observe(age);
    },
    failed: (stage) => failures.inc({ stage }),
    replayed: (keys) => replays.inc(keys),
    lag(rows, seconds) {
      pending.set(rows);
      lag.set(seconds);
    },
    cacheObserver: (onError) => ({
      operation() {},
      eviction() {},
      invalidation() {},
      error() {
        cacheErrors.inc();
        onError();
      },
    }),
  };
}
