import { z } from 'zod';
import { type AppConfig, loadConfig as loadAppConfig } from '../../app/src/config.ts';
import { AppError } from '../../app/src/errors.ts';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The invalidator's own settings; the cache target is read with the app's schema (same names). */
const envSchema = z.object({
  /** Identity on every log line and the `server` metric label. */
  SERVER_ID: z.string().min(1).max(64).default('invalidator'),
  TOPOLOGY: z.string().min(1).max(64).default('adhoc'),
  /** Where /metrics and /healthz listen. */
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(9400),
  /** Polling backstop of LISTEN/NOTIFY. */
  INVALIDATOR_POLL_MS: int(10, 60_000).default(500),
  /** Rows applied per transaction. */
  INVALIDATOR_BATCH: int(1, 10_000).default(200),
  /** Cap of the retry backoff after a failed batch (Redis or Postgres down). */
  INVALIDATOR_RETRY_MAX_MS: int(10, 60_000).default(250),
  /** After a Redis error, rows applied this recently are applied again (a failover can lose them). */
  INVALIDATOR_REPLAY_WINDOW_MS: int(0, 3_600_000).default(15_000),
  /** Applied rows are deleted after this long (two-tier catch-up reads them until then). */
  INVALIDATOR_RETENTION_MS: int(60_000, 86_400_000).default(600_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

/** The validated invalidator configuration: its own settings plus the app's cache settings. */
export type InvalidatorConfig = z.infer<typeof envSchema> & { app: AppConfig };

/** Names of the app settings the invalidator passes through (the cache it invalidates, and Postgres). */
const APP_SETTINGS = [
  'DATABASE_URL',
  'DB_CONNECT_TIMEOUT_MS',
  'DB_STATEMENT_TIMEOUT_MS',
  'CACHE_MODE',
  'CONSISTENCY',
  'REDIS_URL',
  'REDIS_NODES',
  'REDIS_NAT_MAP',
  'L2_CLUSTER',
  'REDIS_PASSWORD',
  'REDIS_COMMAND_TIMEOUT_MS',
  'REDIS_CONNECT_TIMEOUT_MS',
  'TOMBSTONE_TTL_MS',
  'INVALIDATION_CHANNEL',
] as const;

/** Parses the environment once; an invalid value throws naming the variable. */
export function loadInvalidatorConfig(
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
): InvalidatorConfig {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(defined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('CONFIG_INVALID', `invalid configuration: ${problems.join('; ')}`);
  }
  const passed = Object.fromEntries(APP_SETTINGS.map((name) => [name, defined[name]]));
  const app = loadAppConfig({ ...passed, CONSISTENCY: defined.CONSISTENCY ?? 'outbox' });
  if (!app.CONSISTENCY.startsWith('outbox')) {
    throw new AppError(
      'CONFIG_INVALID',
      `invalid configuration: CONSISTENCY: the invalidator serves outbox modes, got ${app.CONSISTENCY}`,
    );
  }
  return { ...parsed.data, app };
}
