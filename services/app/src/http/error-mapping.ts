import type { ServerResponse } from 'node:http';
import { AppError, type ErrorCode, isAppError } from '../errors.ts';

/** Content-Type of every JSON response the app writes itself. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** The JSON shape of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

/** body-parser / raw-body failure types and the stable code each one maps to. */
const BODY_ERROR_CODES: Record<string, ErrorCode> = {
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'INVALID_JSON',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
};

const BODY_ERROR_MESSAGES: Partial<Record<ErrorCode, string>> = {
  PAYLOAD_TOO_LARGE: 'request body is larger than the limit',
  INVALID_JSON: 'request body is not valid JSON',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported content encoding or charset',
};

const STATUS_CODES: Record<number, ErrorCode> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
}

/**
 * Maps anything thrown while handling a request to an AppError: AppErrors pass through, body-parser and
 * other 4xx http errors get a stable client code, everything else becomes INTERNAL (cause kept for logs).
 */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const http = (typeof error === 'object' && error !== null ? error : {}) as HttpLikeError;
  const bodyCode = typeof http.type === 'string' ? BODY_ERROR_CODES[http.type] : undefined;
  if (bodyCode) {
    return new AppError(bodyCode, BODY_ERROR_MESSAGES[bodyCode] ?? 'bad request body', {
      cause: error,
    });
  }
  const status = Number(http.status ?? http.statusCode);
  if (Number.isInteger(status) && status >= 400 && status < 500) {
    const code = STATUS_CODES[status] ?? 'BAD_REQUEST';
    return new AppError(code, `bad request (${status})`, { cause: error });
  }
  return new AppError('INTERNAL', 'internal server error', { cause: error });
}

/** What a client is told about a server-side failure; the full message (host, driver error) is logged only. */
const SERVER_MESSAGES: Partial<Record<ErrorCode, string>> = {
  DATABASE_UNAVAILABLE: 'database unavailable',
  CACHE_UNAVAILABLE: 'cache unavailable',
  NOT_READY: 'not ready',
};

/**
 * The response body for an error, never a stack: client errors (4xx) carry their message and details;
 * server errors (5xx) only a fixed message per code, since theirs may name hosts or driver internals.
 */
export function errorBody(error: AppError): ErrorBody {
  if (error.status >= 500) {
    const message = SERVER_MESSAGES[error.code] ?? 'internal server error';
    return { error: { code: error.code, message } };
  }
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details) body.error.details = error.details;
  return body;
}

/**
 * Writes the JSON error response for `error` on any node:http response (Express's included): its status,
 * JSON Content-Type and Content-Length, and the body — none for HEAD, exactly as Express's res.json does.
 */
export function sendErrorResponse(res: ServerResponse, error: AppError, method: string): void {
  const body = JSON.stringify(errorBody(error));
  res.statusCode = error.status;
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  if (method === 'HEAD') res.end();
  else res.end(body);
}
