import type {
  CacheObserver,
  CacheOperation,
  CacheOperationResult,
  CacheTier,
  InvalidationEvent,
} from './cache-types.ts';

/** A CacheObserver that records every call, for tests and lab probes. */
export interface RecordingObserver extends CacheObserver {
  operations: { tier: CacheTier; op: CacheOperation; result: CacheOperationResult }[];
  evictions: { tier: CacheTier; reason: 'size' | 'ttl' | 'invalidate' }[];
  invalidations: Record<InvalidationEvent, number>;
  errors: { tier: CacheTier; error: unknown }[];
}

/** Creates an observer that keeps what it is told in arrays and counters. */
export function createRecordingObserver(): RecordingObserver {
  const recorder: RecordingObserver = {
    operations: [],
    evictions: [],
    invalidations: { sent: 0, received: 0, confirmed: 0, unconfirmed: 0 },
    errors: [],
    operation(tier, op, result) {
      recorder.operations.push({ tier, op, result });
    },
    eviction(tier, reason) {
      recorder.evictions.push({ tier, reason });
    },
    invalidation(direction) {
      recorder.invalidations[direction] += 1;
    },
    error(tier, error) {
      recorder.errors.push({ tier, error });
    },
  };
  return recorder;
}
