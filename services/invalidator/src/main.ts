import { createServer, type Server } from 'node:http';
import { Cluster } from 'ioredis';
import pg from 'pg';
import type { CacheStrategy } from '../../app/src/cache/cache-types.ts';
import { createCache } from '../../app/src/cache/create-cache.ts';
import type { RedisBackedCache } from '../../app/src/cache/redis-strategy.ts';
import type { TwoTierCache } from '../../app/src/cache/two-tier.ts';
import { createLogger, type Logger } from '../../app/src/logger.ts';
import { type InvalidatorConfig, loadInvalidatorConfig } from './config.ts';
import { createInvalidator } from './invalidator.ts';
import { createInvalidatorMetrics } from './invalidator-metrics.ts';
import { listenForInvalidations } from './notify-listener.ts';

/** Reads the configuration; an invalid value ends the process with code 1 and one line on stderr. */
function configOrExit(): InvalidatorConfig {
  try {
    return loadInvalidatorConfig(process.env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`cachelab invalidator: ${message}\n`);
    process.exit(1);
  }
}

/** GET /metrics (Prometheus text) and GET /healthz; everything else a JSON 404. */
function metricsServer(render: () => Promise<{ type: string; body: string }>): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      render().then(
        ({ type, body }) => res.writeHead(200, { 'Content-Type': type }).end(body),
        () => res.writeHead(500).end(),
      );
      return;
    }
    const ok = req.method === 'GET' && path === '/healthz';
    const body = ok
      ? { status: 'ok', server: 'invalidator' }
      : { error: { code: 'ROUTE_NOT_FOUND', message: 'no such route' } };
    res
      .writeHead(ok ? 200 : 404, { 'Content-Type': 'application/json; charset=utf-8' })
      .end(JSON.stringify(body));
  });
}

/** Re-reads the slot map of a Cluster-backed cache (global-cluster, or two-tier over a Cluster). */
function refreshClusterSlots(cache: CacheStrategy): void {
  const holder = (cache as Partial<TwoTierCache>).l2 ?? cache;
  const client = (holder as Partial<RedisBackedCache>).client;
  if (client instanceof Cluster) client.refreshSlotsCache();
}

async function start(config: InvalidatorConfig, logger: Logger): Promise<void> {
  const metrics = createInvalidatorMetrics({ topology: config.TOPOLOGY, server: config.SERVER_ID });
  let onCacheError = () => {};
  const observer = metrics.cacheObserver(() => onCacheError());
  const cache = await createCache(config.app, { observer, logger });
  if (cache.shared === undefined)
    throw new Error(`CACHE_MODE=${config.app.CACHE_MODE} has no shared tier`);
  const pool = new pg.Pool({
    connectionString: config.app.DATABASE_URL,
    max: 3,
    connectionTimeoutMillis: config.app.DB_CONNECT_TIMEOUT_MS,
    statement_timeout: config.app.DB_STATEMENT_TIMEOUT_MS,
    application_name: 'cachelab-invalidator',
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle postgres connection failed'));
  const invalidator = createInvalidator({
    pool,
    ops: cache.shared,
    tombstoneTtlMs: config.app.TOMBSTONE_TTL_MS,
    batch: config.INVALIDATOR_BATCH,
    retryMaxMs: config.INVALIDATOR_RETRY_MAX_MS,
    replayWindowMs: config.INVALIDATOR_REPLAY_WINDOW_MS,
    retentionMs: config.INVALIDATOR_RETENTION_MS,
    metrics,
    logger,
    // A promoted replica is found at once instead of at the next periodic slot refresh.
    onFailure: () => refreshClusterSlots(cache),
  });
  onCacheError = () => invalidator.needReplay();
  const listener = listenForInvalidations({
    url: config.app.DATABASE_URL,
    connectTimeoutMs: config.app.DB_CONNECT_TIMEOUT_MS,
    onNotify: () => invalidator.wake('notify'),
    onListening: () => invalidator.wake('listen'),
    logger,
  });
  const poll = setInterval(() => {
    invalidator.wake('poll');
    invalidator
      .housekeeping()
      .catch((error: unknown) => logger.debug({ err: error }, 'housekeeping failed'));
  }, config.INVALIDATOR_POLL_MS);
  const server = metricsServer(async () => ({
    type: metrics.registry.contentType,
    body: await metrics.registry.metrics(),
  }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  logger.info(
    { host: config.HOST, port: config.PORT, cacheMode: config.app.CACHE_MODE },
    'invalidator listening',
  );
  const shutdown = async () => {
    clearInterval(poll);
    server.close();
    await listener.close();
    await invalidator.close();
    await Promise.allSettled([cache.close(), pool.end()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

const config = configOrExit();
const logger = createLogger({ level: config.LOG_LEVEL, serverId: config.SERVER_ID });
process.on('unhandledRejection', (reason) => {
  logger.fatal({ err: reason }, 'unhandled promise rejection');
  process.exit(1);
});
start(config, logger).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  logger.fatal({ err: error }, 'start-up failed');
  process.stderr.write(`cachelab invalidator: start-up failed: ${message}\n`);
  process.exit(1);
});
