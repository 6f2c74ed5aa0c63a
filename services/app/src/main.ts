import { createServer, type Server } from 'node:http';
import { createApp } from './app.ts';
import type { AppDeps } from './app-deps.ts';
import { createCache } from './cache/create-cache.ts';
import { type AppConfig, loadConfig } from './config.ts';
import { invalidatedSince } from './consistency/outbox-store.ts';
import { createReadThrough } from './consistency/read-through.ts';
import { buildConsistency } from './consistency/wire-consistency.ts';
import { createPool } from './db/pool.ts';
import { createProfileRepository } from './db/profile-repository.ts';
import { handleClientErrors } from './http/client-error.ts';
import { profileFastPath } from './http/fast-path.ts';
import { type Closer, installGracefulShutdown } from './http/graceful-shutdown.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';

/**
 * Longer than nginx's upstream keepalive_timeout (60 s), so the proxy, not the app, closes idle
 * upstream connections and never sends a request on a socket the app is closing.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Reads the configuration; an invalid value ends the process with code 1 and one line on stderr. */
function configOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`cachelab app: ${message}\n`);
    process.exit(1);
  }
}

/** Builds every dependency of the app and the list of what to close, in shutdown order. */
async function buildDeps(
  config: AppConfig,
  logger: Logger,
): Promise<{ deps: AppDeps; closers: Closer[] }> {
  const metrics = createMetrics({
    topology: config.TOPOLOGY,
    serverId: config.SERVER_ID,
    consistency: config.CONSISTENCY,
  });
  const pool = createPool(config, logger);
  const repository = createProfileRepository(pool, metrics.db);
  const catchUp = config.CONSISTENCY.startsWith('outbox')
    ? (sinceMs: number) => invalidatedSince(pool, sinceMs)
    : undefined;
  const cache = await createCache(config, { observer: metrics.observer, logger, catchUp });
  const { consistency, grace, audit, hitCheck } = buildConsistency(config, {
    cache,
    repository,
    metrics,
    logger,
  });
  const readThrough = createReadThrough({
    cache,
    ttlMs: config.CACHE_TTL_MS,
    jitter: config.CACHE_TTL_JITTER,
    observer: metrics.observer,
    logger,
    consistency,
    grace,
    hitCheck,
  });
  audit?.start();
  const closers: Closer[] = [
    { name: 'staleness audit', close: async () => audit?.stop() },
    { name: 'cache', close: () => cache.close() },
    { name: 'database pool', close: () => pool.end() },
  ];
  const deps = { config, repository, readThrough, cache, consistency, audit, metrics, logger };
  return { deps, closers };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

async function start(config: AppConfig, logger: Logger): Promise<void> {
  const { deps, closers } = await buildDeps(config, logger);
  const server = createServer(profileFastPath(deps, createApp(deps)));
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  handleClientErrors(server, config.SERVER_ID, logger);
  installGracefulShutdown({
    server,
    graceMs: config.SHUTDOWN_GRACE_MS,
    logger,
    closers,
    exit: (code) => process.exit(code),
  });
  const port = await listen(server, config.HOST, config.PORT);
  const context = {
    host: config.HOST,
    port,
    cacheMode: config.CACHE_MODE,
    consistency: config.CONSISTENCY,
    pid: process.pid,
  };
  logger.info({ ...context, topology: config.TOPOLOGY }, 'listening');
}

function exitOnCrash(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
}

const config = configOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, serverId: config.SERVER_ID });
exitOnCrash(logger);
start(config, logger).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  logger.fatal({ err: error }, 'start-up failed');
  process.stderr.write(`cachelab app: start-up failed: ${message}\n`);
  process.exit(1);
});
