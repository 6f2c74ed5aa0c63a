import { AppError, isAppError } from '../errors.ts';

/** Socket-level failures: the server is down, unreachable, or went away mid-query. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that mean "the database cannot serve right now" rather than "this query is wrong":
 * shutdown/crash/starting up, too many connections, statement timeout or cancel.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/** Messages node-postgres and pg-pool use for connection loss and their own timeouts (no code set). */
const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /query read timeout/i,
  /not queryable/i,
  /cannot use a pool after calling end/i,
];

function errorCode(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True when `error` means the database is unreachable, overloaded or timed out (503, worth a retry later). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // Node reports a refused connection to every address of a host name as one AggregateError.
  if (error instanceof AggregateError) return error.errors.some(isDatabaseUnavailable);
  const code = errorCode(error);
  if (code !== undefined && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)))
    return true;
  // SQLSTATE class 08: connection exception.
  if (code !== undefined && /^08[0-9A-Z]{3}$/.test(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * Wraps a failure of `operation` as AppError with the original as `cause`: DATABASE_UNAVAILABLE for
 * connection loss and timeouts, INTERNAL for anything else (a bug or a broken schema). AppErrors pass through.
 */
export function toDatabaseError(error: unknown, operation: string): AppError {
  if (isAppError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (isDatabaseUnavailable(error)) {
    return new AppError(
      'DATABASE_UNAVAILABLE',
      `database unavailable during ${operation}: ${detail}`,
      {
        cause: error,
      },
    );
  }
  return new AppError('INTERNAL', `database error during ${operation}: ${detail}`, {
    cause: error,
  });
}
