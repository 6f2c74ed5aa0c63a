import type { CacheStrategy } from '../cache/cache-types.ts';
import type { AppConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import type { ConsistencyMode, ConsistencyObserver } from './consistency-types.ts';
import { createDeleteMode } from './delete.ts';
import { createLeaseMode, type LeaseSettings } from './lease.ts';
import { createOutboxMode } from './outbox.ts';
import { createTtlMode } from './ttl.ts';

/** The lease timings of the configuration. */
export function leaseSettings(config: AppConfig): LeaseSettings {
  return {
    leaseTtlMs: config.LEASE_TTL_MS,
    waitMs: config.LEASE_WAIT_MS,
    pollMs: config.LEASE_POLL_MS,
  };
}

/** Builds the mode named by CONSISTENCY over the cache strategy. */
export function createConsistency(
  config: AppConfig,
  cache: CacheStrategy,
  observer: ConsistencyObserver,
): ConsistencyMode {
  switch (config.CONSISTENCY) {
    case 'ttl':
      return createTtlMode(cache, observer);
    case 'delete':
      return createDeleteMode(cache, observer);
    case 'lease':
      return createLeaseMode(cache, sharedOf(cache, config), leaseSettings(config), observer);
    case 'outbox':
    case 'outbox+lease': {
      const lease = config.CONSISTENCY === 'outbox+lease' ? leaseSettings(config) : undefined;
      const settings = {
        tombstoneTtlMs: config.TOMBSTONE_TTL_MS,
        writeWaitMs: config.WRITE_INVALIDATE_WAIT_MS,
        lease,
      };
      return createOutboxMode(cache, sharedOf(cache, config), settings, observer);
    }
  }
}

function sharedOf(cache: CacheStrategy, config: AppConfig) {
  if (cache.shared === undefined) {
    throw new AppError(
      'CONFIG_INVALID',
      `invalid configuration: CONSISTENCY: ${config.CONSISTENCY} needs a shared cache tier, CACHE_MODE=${config.CACHE_MODE} has none`,
    );
  }
  return cache.shared;
}
