/** Stable error codes: the only place they are defined. HTTP status is derived from the code. */
export const ERROR_CODES = {
  BAD_REQUEST: 400,
  INVALID_ID: 400,
  INVALID_BODY: 400,
  INVALID_JSON: 400,
  INVALID_IDEMPOTENCY_KEY: 400,
  NOT_FOUND: 404,
  PROFILE_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  HEADERS_TOO_LARGE: 431,
  DATABASE_UNAVAILABLE: 503,
  CACHE_UNAVAILABLE: 503,
  NOT_READY: 503,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a stable code; `cause` keeps the underlying failure. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = options.details;
  }
}

/** Narrows an unknown thrown value to AppError. */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** A cache backend failed (connection, timeout, protocol); the read path falls back to the database. */
export class CacheError extends AppError {
  constructor(
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super('CACHE_UNAVAILABLE', message, options);
    this.name = 'CacheError';
  }
}
