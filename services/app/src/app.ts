import express, { type Express } from 'express';
import { errorHandler, routeNotFound } from './http/error-handler.ts';
import { requestTiming } from './http/request-timing.ts';
import { servedBy } from './http/served-by.ts';
import type { AppDeps } from './routes/deps.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { profileRoutes } from './routes/profiles.ts';

export type { AppDeps } from './routes/deps.ts';

/**
 * Wires the Express app from already-built dependencies; opens no socket or connection.
 * ETag is off: every body is hashed otherwise (SHA-1 of 10–50 KB per response) on the very path the lab
 * measures, while clients never revalidate — the body's version is exposed as X-Profile-Version instead.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);
  app.use(servedBy(deps.config.SERVER_ID));
  app.use(requestTiming(deps.metrics));
  app.use(healthRoutes(deps));
  app.use(metricsRoutes(deps.metrics));
  app.use(profileRoutes(deps));
  app.use(routeNotFound());
  app.use(errorHandler(deps.logger));
  deps.metrics.trackLocalTier(() => deps.cache.localStats());
  return app;
}
