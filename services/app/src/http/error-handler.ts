import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { sendErrorResponse, toAppError } from './error-mapping.ts';

/** Terminal middleware for paths no route matched: 404 ROUTE_NOT_FOUND (never Express's HTML page). */
export function routeNotFound(): RequestHandler {
  return (req) => {
    throw new AppError('ROUTE_NOT_FOUND', `no route for ${req.method} ${req.path.slice(0, 200)}`);
  };
}

/**
 * Maps a request failure to its AppError and logs it: server errors at error level with their cause
 * chain, client errors only at debug, so bad input cannot flood the log. Shared by every request path.
 */
export function reportRequestError(
  logger: Logger,
  error: unknown,
  request: { method: string; path: string },
): AppError {
  const appError = toAppError(error);
  const context = { method: request.method, path: request.path.slice(0, 200), code: appError.code };
  if (appError.status >= 500) logger.error({ ...context, err: appError }, 'request failed');
  else logger.debug({ ...context, message: appError.message }, 'request rejected');
  return appError;
}

/**
 * Renders every error as `{"error":{"code","message"}}` with the status its code implies (see
 * reportRequestError for logging). If the response has already started, Express drops the connection.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const appError = reportRequestError(logger, error, req);
    if (res.headersSent) {
      next(error);
      return;
    }
    sendErrorResponse(res, appError, req.method);
  };
}
