import type { Server } from 'node:http';
import { type ApiLogger, createApiServer } from './api/http-api.ts';
import { ProxyCollection } from './proxy-collection.ts';
import { createMetrics, type FaultProxyMetrics } from './proxy-metrics.ts';
import { createScheduler } from './scheduler.ts';

/** A running fault proxy: its API address and proxies. */
export interface FaultProxyServer {
  /** http://host:port of the API. */
  readonly url: string;
  readonly port: number;
  readonly proxies: ProxyCollection;
  readonly metrics: FaultProxyMetrics;
  /** Closes the API and every proxy. */
  close(): Promise<void>;
}

/** Starts the API on host:port (0 = any free port) with no proxies. */
export async function startFaultProxy(options: {
  host: string;
  port: number;
  log?: ApiLogger;
  /** Process-wide default metrics (CPU, memory); off for servers embedded in tests. */
  defaultMetrics?: boolean;
}): Promise<FaultProxyServer> {
  const metrics = createMetrics({ defaults: options.defaultMetrics ?? false });
  const scheduler = createScheduler();
  const proxies = new ProxyCollection(scheduler, metrics);
  const log: ApiLogger =
    options.log ?? ((message, error) => process.stderr.write(`${message}: ${String(error)}\n`));
  const server = createApiServer({ proxies, metrics, log });
  const port = await listen(server, options.host, options.port);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    proxies,
    metrics,
    async close() {
      await proxies.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await scheduler.close();
    },
  };
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
