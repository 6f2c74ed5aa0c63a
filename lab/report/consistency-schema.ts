import { z } from 'zod';
import { CONSISTENCY_MODES } from '../../services/app/src/config.ts';

const count = z.number().int().nonnegative();
const nonNegative = z.number().nonnegative();

/**
 * How stale a topology went under its consistency mode, and what the mode cost, over the measured
 * window: the runner's stale reads are on the topology record; these are the server's side.
 */
export const consistencyFiguresSchema = z.strictObject({
  mode: z.enum(CONSISTENCY_MODES),
  /** Stale-if-error grace beyond the TTL (0 = off). */
  graceMs: count,
  /** Write (PATCH) latency from the scheduled start (null: no writes measured). */
  writeLatencyMs: z.strictObject({ p50: nonNegative, p99: nonNegative }).nullable(),
  /** Redis commands (every node) per profile request the apps answered (null: no Redis). */
  redisOpsPerRequest: nonNegative.nullable(),
  /** The sampled server-side audit: entries compared, and those confirmed stale. */
  audit: z.strictObject({ checked: count, stale: count, healed: count }),
  /** Mode events summed over the app servers (lease_granted, fill_refused, invalidate_failed …). */
  events: z.record(z.string(), count),
  /** Reads that met a database failure, by grace result (served, expired, missing). */
  grace: z.record(z.string(), count),
  /**
   * The outbox invalidator over the window (absent: the mode has none, or its /metrics did not answer,
   * which the warnings say): rows applied, failed batches retried, keys replayed after a Redis error,
   * rows pending and the oldest one's age at the window's end, and the commit-to-applied p99 as the
   * upper bound of its histogram bucket (null: nothing applied; Infinity is written as null too).
   */
  invalidator: z
    .strictObject({
      applied: count,
      failures: count,
      replayed: count,
      pending: count,
      lagSec: nonNegative,
      applyDelayP99Sec: nonNegative.nullable(),
    })
    .optional(),
});

/** The consistency figures of one measured topology. */
export type ConsistencyFigures = z.infer<typeof consistencyFiguresSchema>;
