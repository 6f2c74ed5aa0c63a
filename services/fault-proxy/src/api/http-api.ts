import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApiError } from '../api-error.ts';
import type { ProxyCollection } from '../proxy-collection.ts';
import type { FaultProxyMetrics } from '../proxy-metrics.ts';
import { sendError } from './respond.ts';
import { route } from './routes.ts';

/** Logs what the API could not answer as a client error. */
export type ApiLogger = (message: string, error: unknown) => void;

function toApiError(error: unknown, log: ApiLogger): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof URIError)
    return new ApiError('ROUTE_NOT_FOUND', error.message, { cause: error });
  log('unexpected API failure', error);
  return new ApiError('INTERNAL', undefined, { cause: error });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { proxies: ProxyCollection; metrics: FaultProxyMetrics; log: ApiLogger },
): Promise<void> {
  try {
    // As toxiproxy: a browser must not be able to drive the API from a web page.
    if (req.headers['user-agent']?.startsWith('Mozilla/')) throw new ApiError('BROWSER_FORBIDDEN');
    const path = new URL(req.url ?? '/', 'http://api').pathname;
    const { handler, params } = route(req.method ?? 'GET', path);
    await handler({ req, res, params, ...deps });
  } catch (error) {
    if (!res.headersSent) sendError(res, toApiError(error, deps.log));
    else res.destroy();
  }
}

/** The HTTP admin API (toxiproxy v2's paths and JSON shapes). */
export function createApiServer(deps: {
  proxies: ProxyCollection;
  metrics: FaultProxyMetrics;
  log: ApiLogger;
}): Server {
  const server = createServer((req, res) => void handle(req, res, deps));
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 30_000;
  return server;
}
