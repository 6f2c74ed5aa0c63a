import type { RequestHandler, Response } from 'express';
import { AppError } from '../errors.ts';
import type { CacheLabel, RouteLabel } from '../metrics.ts';

/** What handlers record on a response for the request-timing middleware (typed view of res.locals). */
interface TimingLocals {
  route?: RouteLabel;
  cache?: CacheLabel;
}

function locals(res: Response): TimingLocals {
  return res.locals as TimingLocals;
}

/** Records which route handled the request (the `route` metric label). */
export function setRouteLabel(res: Response, route: RouteLabel): void {
  locals(res).route = route;
}

/** Records the X-Cache result of a profile read (the `cache` metric label). */
export function setCacheLabel(res: Response, cache: CacheLabel): void {
  locals(res).cache = cache;
}

/** Middleware recording the `route` metric label for every request that reaches it. */
export function label(route: RouteLabel): RequestHandler {
  return (_req, res, next) => {
    setRouteLabel(res, route);
    next();
  };
}

/** The labels recorded so far; unknown route and `none` cache when no handler set them. */
export function readTimingLabels(res: Response): { route: RouteLabel; cache: CacheLabel } {
  const { route, cache } = locals(res);
  return { route: route ?? 'unknown', cache: cache ?? 'none' };
}

/** Stores the validated profile id of the request. */
export function setProfileId(res: Response, id: number): void {
  (res.locals as { profileId?: number }).profileId = id;
}

/** The profile id validated earlier in the chain; throws if the chain was wired without validation. */
export function profileIdOf(res: Response): number {
  const id = (res.locals as { profileId?: number }).profileId;
  if (id === undefined)
    throw new AppError('INTERNAL', 'profile id was not validated before the handler');
  return id;
}
