import type { Server } from 'node:http';
import type { Logger } from '../logger.ts';

/** How often idle keep-alive sockets are closed while draining (a busy socket turns idle after its response). */
const IDLE_SWEEP_MS = 25;

/** A resource released after the server has drained, in order. */
export interface Closer {
  name: string;
  close(): Promise<void>;
}

/** What graceful shutdown needs: the listening server, the grace bound and what to close afterwards. */
export interface ShutdownOptions {
  server: Server;
  graceMs: number;
  logger: Logger;
  closers: readonly Closer[];
  exit: (code: number) => void;
}

/** Counts requests in flight and marks responses `Connection: close` once draining has begun. */
export function trackRequests(server: Server): { inFlight(): number; drain(): void } {
  let inFlight = 0;
  let draining = false;
  // Prepended so the header is set before Express can answer synchronously.
  server.prependListener('request', (_req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
    });
    if (draining) res.setHeader('Connection', 'close');
  });
  return {
    inFlight: () => inFlight,
    drain() {
      draining = true;
    },
  };
}

/**
 * The shutdown sequence: stop accepting, let in-flight requests finish (bounded by graceMs, then the
 * remaining sockets are cut), close the closers in order, and exit 0 (1 if a closer failed).
 * Calling it again while draining exits 1 at once.
 */
export function createShutdown(options: ShutdownOptions): (signal: string) => Promise<void> {
  const tracker = trackRequests(options.server);
  let started = false;
  return async (signal: string): Promise<void> => {
    if (started) {
      options.logger.warn({ signal }, 'second signal while draining: exiting now');
      options.exit(1);
      return;
    }
    started = true;
    options.exit(await runShutdown(options, tracker, signal));
  };
}

/** Runs the shutdown sequence on SIGTERM or SIGINT. */
export function installGracefulShutdown(options: ShutdownOptions): void {
  const shutdown = createShutdown(options);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutdown(signal));
  }
}

async function runShutdown(
  options: ShutdownOptions,
  tracker: ReturnType<typeof trackRequests>,
  signal: string,
): Promise<number> {
  const { logger, graceMs } = options;
  const started = performance.now();
  logger.info(
    { signal, inFlight: tracker.inFlight(), graceMs },
    'shutting down: draining requests',
  );
  tracker.drain();
  const drained = await closeServer(options.server, graceMs, logger);
  if (!drained) logger.warn({ graceMs }, 'grace period over: remaining connections closed');
  const failures = await closeAll(options.closers, logger);
  const durationMs = Math.round(performance.now() - started);
  const code = failures === 0 ? 0 : 1;
  logger.info({ signal, drained, failures, durationMs, exitCode: code }, 'stopped');
  return code;
}

/** Resolves true when every connection ended within graceMs, false when some had to be cut. */
function closeServer(server: Server, graceMs: number, logger: Logger): Promise<boolean> {
  return new Promise((resolve) => {
    let forced = false;
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, graceMs);
    server.close((error) => {
      clearInterval(sweep);
      clearTimeout(deadline);
      if (error) logger.warn({ err: error }, 'server was not listening at shutdown');
      resolve(!forced);
    });
    server.closeIdleConnections();
  });
}

async function closeAll(closers: readonly Closer[], logger: Logger): Promise<number> {
  let failures = 0;
  for (const closer of closers) {
    try {
      await closer.close();
      logger.info({ resource: closer.name }, 'closed');
    } catch (error) {
      failures += 1;
      logger.error({ err: error, resource: closer.name }, 'close failed during shutdown');
    }
  }
  return failures;
}
