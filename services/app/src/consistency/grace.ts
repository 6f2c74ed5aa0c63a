import { LRUCache } from 'lru-cache';
import type { CacheStrategy, GraceCopy } from '../cache/cache-types.ts';

/** A last known value served while the database fails, with its age. */
export interface GraceHit {
  value: Buffer;
  ageMs: number;
}

/** Events of the grace path (a bounded label set). */
export type GraceEvent = 'served' | 'expired' | 'missing';

/**
 * Stale-if-error (RFC 5861; bentocache's grace period): every loaded value is kept as the key's last
 * known value for TTL + grace, in process and, with a shared tier, beside the entry in Redis (a key
 * of its own, so invalidations leave it). Served only when the database fails.
 */
export interface Grace {
  /** Remembers a value loaded from the database at `loadedAtMs` (epoch ms). */
  keep(key: string, value: Buffer, loadedAtMs: number): Promise<void>;
  /** The last known value when it is at most TTL + grace old. */
  recall(key: string): Promise<GraceHit | undefined>;
}

/** Grace settings (CACHE_TTL_MS, GRACE_MS, GRACE_LOCAL_MAX_BYTES). */
export interface GraceOptions {
  cache: CacheStrategy;
  ttlMs: number;
  graceMs: number;
  localMaxBytes: number;
  onEvent?: (event: GraceEvent) => void;
  now?: () => number;
}

/** Creates the grace store (callers skip it when GRACE_MS is 0). */
export function createGrace(options: GraceOptions): Grace {
  const windowMs = options.ttlMs + options.graceMs;
  const now = options.now ?? Date.now;
  const local =
    options.localMaxBytes > 0
      ? new LRUCache<string, GraceCopy>({
          maxSize: options.localMaxBytes,
          sizeCalculation: (copy) => Math.max(copy.value.length, 1),
          ttl: windowMs,
        })
      : undefined;
  const shared = options.cache.shared;
  return {
    async keep(key, value, loadedAtMs) {
      const copy = { value, loadedAtMs };
      local?.set(key, copy);
      // The last known value is a convenience: losing it costs a 503 later, never a wrong answer.
      await shared?.keepGrace(key, copy, windowMs).catch(() => {});
    },
    async recall(key) {
      const copy = local?.get(key) ?? (await shared?.recallGrace(key).catch(() => undefined));
      const event = copy === undefined ? 'missing' : 'served';
      const ageMs = copy === undefined ? 0 : Math.max(0, now() - copy.loadedAtMs);
      if (copy === undefined || ageMs > windowMs) {
        options.onEvent?.(copy === undefined ? event : 'expired');
        return undefined;
      }
      options.onEvent?.('served');
      return { value: copy.value, ageMs };
    },
  };
}
