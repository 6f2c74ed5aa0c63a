import pg from 'pg';
import type { AppConfig } from '../config.ts';
import { createLogger, type Logger } from '../logger.ts';

/** Idle connections are closed after this long, so a quiet server does not pin backends. */
const IDLE_TIMEOUT_MS = 30_000;
/**
 * Client-side guard on top of the server's statement_timeout: if the server stops answering altogether
 * (frozen, partitioned), the query still fails instead of hanging. Later than statement_timeout on purpose.
 */
const QUERY_TIMEOUT_MARGIN_MS = 1_000;

/** The pg.Pool settings derived from the app configuration (exported for tests). */
export function poolConfig(config: AppConfig): pg.PoolConfig {
  return {
    connectionString: config.DATABASE_URL,
    max: config.DB_POOL_SIZE,
    connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
    statement_timeout: config.DB_STATEMENT_TIMEOUT_MS,
    query_timeout: config.DB_STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_MARGIN_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    application_name: `cachelab-${config.SERVER_ID}`,
    keepAlive: true,
  };
}

/**
 * Creates the app's Postgres pool (DB_POOL_SIZE connections, connect and statement timeouts from the config).
 * An idle connection that dies (server restart, network cut) is logged and dropped, never crashes the process.
 */
export function createPool(config: AppConfig, logger?: Pick<Logger, 'warn'>): pg.Pool {
  const log = logger ?? createLogger({ level: config.LOG_LEVEL, serverId: config.SERVER_ID });
  const pool = new pg.Pool(poolConfig(config));
  pool.on('error', (error) => {
    log.warn(
      { err: error, component: 'db-pool' },
      'idle postgres connection failed; it was removed',
    );
  });
  return pool;
}
