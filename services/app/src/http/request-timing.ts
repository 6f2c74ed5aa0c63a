import type { RequestHandler } from 'express';
import type { AppMetrics } from '../metrics.ts';
import { readTimingLabels } from './locals.ts';

/**
 * Observes each request's duration into cachelab_http_request_duration_seconds when the response is
 * finished. Requests the client aborts before the response completes are not observed.
 */
export function requestTiming(metrics: AppMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const { route, cache } = readTimingLabels(res);
      metrics.observeRequest({ route, cache, method: req.method, status: res.statusCode, seconds });
    });
    next();
  };
}
