import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { AppMetrics, CacheLabel, RouteLabel } from '../metrics.ts';
import { readTimingLabels } from './locals.ts';

/** What every response is tagged and measured with. */
export interface ResponseContext {
  serverId: string;
  metrics: AppMetrics;
}

/** The labels of a request, read once its response has finished. */
export type LabelSource = () => { route: RouteLabel; cache: CacheLabel };

/**
 * What every response gets, on the Express app and the fast path alike: `X-Served-By` set first, so
 * errors and 404s carry it too, and the duration observed into cachelab_http_request_duration_seconds
 * when the response finishes. Requests the client aborts before the response completes are not observed.
 */
export function trackResponse(
  res: ServerResponse,
  method: string,
  context: ResponseContext,
  labels: LabelSource,
): void {
  const started = process.hrtime.bigint();
  res.setHeader('X-Served-By', context.serverId);
  res.once('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { route, cache } = labels();
    context.metrics.observeRequest({ route, cache, method, status: res.statusCode, seconds });
  });
}

/** Express middleware applying trackResponse, with the labels handlers record on res.locals. */
export function requestTracking(context: ResponseContext): RequestHandler {
  return (req, res, next) => {
    trackResponse(res, req.method, context, () => readTimingLabels(res));
    next();
  };
}
