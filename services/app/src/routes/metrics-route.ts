import { Router } from 'express';
import { label } from '../http/locals.ts';
import { methodNotAllowed } from '../http/method-not-allowed.ts';
import type { AppMetrics } from '../metrics.ts';

/** `GET /metrics`: the Prometheus text exposition of this app's registry. */
export function metricsRoutes(metrics: AppMetrics): Router {
  const router = Router();
  router.get('/metrics', label('metrics'), async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.setHeader('Content-Type', contentType);
    res.send(body);
  });
  router.all('/metrics', label('metrics'), methodNotAllowed(['GET', 'HEAD']));
  return router;
}
