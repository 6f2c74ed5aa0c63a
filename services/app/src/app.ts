import express, { type Express } from 'express';
import type { AppDeps } from './app-deps.ts';
import { errorHandler, routeNotFound } from './http/error-handler.ts';
import { requestTracking } from './http/request-timing.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics-route.ts';
import { profileRoutes } from './routes/profiles.ts';

export type { AppDeps } from './app-deps.ts';

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
  app.use(requestTracking({ serverId: deps.config.SERVER_ID, metrics: deps.metrics }));
  // Profiles first: PATCH and HEAD, the profile traffic the fast path leaves to Express, match sooner.
  app.use(profileRoutes(deps));
  app.use(healthRoutes(deps));
  app.use(metricsRoutes(deps.metrics));
  app.use(routeNotFound());
  app.use(errorHandler(deps.logger));
  deps.metrics.trackLocalTier(() => deps.cache.localStats());
  return app;
}
