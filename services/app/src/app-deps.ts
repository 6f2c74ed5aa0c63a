import type { CacheStrategy } from './cache/cache-types.ts';
import type { AppConfig } from './config.ts';
import type { ConsistencyMode } from './consistency/consistency-types.ts';
import type { ReadThrough } from './consistency/read-through.ts';
import type { StalenessAudit } from './consistency/staleness-audit.ts';
import type { ProfileRepository } from './db/profile-repository.ts';
import type { Logger } from './logger.ts';
import type { AppMetrics } from './metrics.ts';

/** Everything the app needs, built by main.ts (or a test) — createApp itself opens nothing. */
export interface AppDeps {
  config: AppConfig;
  repository: ProfileRepository;
  readThrough: ReadThrough;
  cache: CacheStrategy;
  /** How writes reach the cache (CONSISTENCY). */
  consistency: ConsistencyMode;
  /** The sampled staleness audit, when enabled. */
  audit?: StalenessAudit | undefined;
  metrics: AppMetrics;
  logger: Logger;
}
