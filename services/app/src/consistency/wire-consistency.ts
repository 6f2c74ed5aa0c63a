import type { CacheStrategy } from '../cache/cache-types.ts';
import { profileIdOfKey, profileKey } from '../cache/keys.ts';
import type { AppConfig } from '../config.ts';
import type { ProfileRepository } from '../db/profile-repository.ts';
import type { Logger } from '../logger.ts';
import type { AppMetrics } from '../metrics.ts';
import type { ConsistencyMode } from './consistency-types.ts';
import { createConsistency } from './create-consistency.ts';
import { createGrace, type Grace } from './grace.ts';
import { createHitCheck, type HitCheck } from './hit-check.ts';
import { createStalenessAudit, type StalenessAudit } from './staleness-audit.ts';

/** The consistency parts of one app server. */
export interface ConsistencyParts {
  consistency: ConsistencyMode;
  grace: Grace | undefined;
  audit: StalenessAudit | undefined;
  hitCheck: HitCheck | undefined;
}

/** The hit check of the outbox modes (VERIFY_HITS_AFTER_ERROR_MS), undefined for the others. */
export function hitCheckOf(
  config: AppConfig,
  repository: Pick<ProfileRepository, 'loadVersions'>,
): HitCheck | undefined {
  if (!config.CONSISTENCY.startsWith('outbox') || config.VERIFY_HITS_AFTER_ERROR_MS === 0) {
    return undefined;
  }
  return createHitCheck({
    holdMs: config.VERIFY_HITS_AFTER_ERROR_MS,
    versions: (ids) => repository.loadVersions(ids),
    idOf: profileIdOfKey,
  });
}

/**
 * Builds the mode (CONSISTENCY), grace (GRACE_MS), the staleness audit (AUDIT_INTERVAL_MS) and the
 * hit check after cache errors (VERIFY_HITS_AFTER_ERROR_MS).
 */
export function buildConsistency(
  config: AppConfig,
  parts: {
    cache: CacheStrategy;
    repository: ProfileRepository;
    metrics: AppMetrics;
    logger: Logger;
  },
): ConsistencyParts {
  const { cache, metrics } = parts;
  const consistency = createConsistency(config, cache, metrics.consistency.observer);
  const grace =
    config.GRACE_MS > 0
      ? createGrace({
          cache,
          ttlMs: config.CACHE_TTL_MS,
          graceMs: config.GRACE_MS,
          localMaxBytes: config.GRACE_LOCAL_MAX_BYTES,
          onEvent: metrics.consistency.grace,
        })
      : undefined;
  const audited = config.AUDIT_INTERVAL_MS > 0 && cache.peek !== undefined;
  const audit = audited
    ? createStalenessAudit({
        cache,
        versions: (ids) => parts.repository.loadVersions(ids),
        keyOf: profileKey,
        sample: config.AUDIT_SAMPLE,
        intervalMs: config.AUDIT_INTERVAL_MS,
        observer: metrics.consistency.audit,
        logger: parts.logger,
      })
    : undefined;
  return { consistency, grace, audit, hitCheck: hitCheckOf(config, parts.repository) };
}
