import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { errorBody, toAppError } from './error-mapping.ts';

/** Terminal middleware for paths no route matched: 404 ROUTE_NOT_FOUND (never Express's HTML page). */
export function routeNotFound(): RequestHandler {
  return (req) => {
    throw new AppError('ROUTE_NOT_FOUND', `no route for ${req.method} ${req.path.slice(0, 200)}`);
  };
}

/**
 * Renders every error as `{"error":{"code","message"}}` with the status its code implies. Server errors
 * are logged at error level with their cause chain; client errors only at debug, so bad input cannot
 * flood the log. If the response has already started, the connection is dropped by Express instead.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const appError = toAppError(error);
    const context = { method: req.method, path: req.path.slice(0, 200), code: appError.code };
    if (appError.status >= 500) logger.error({ ...context, err: appError }, 'request failed');
    else logger.debug({ ...context, message: appError.message }, 'request rejected');
    if (res.headersSent) {
      next(error);
      return;
    }
    res.status(appError.status).json(errorBody(appError));
  };
}
