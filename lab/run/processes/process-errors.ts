/** Stable codes for failures of the native process layer. */
export type NativeErrorCode =
  | 'BINARY_MISSING'
  | 'START_FAILED'
  | 'NOT_READY'
  | 'STOP_FAILED'
  | 'NO_FREE_PORT'
  | 'COMMAND_FAILED';

/** A native service could not be located, started, readied or stopped; `cause` keeps the underlying failure. */
export class NativeServiceError extends Error {
  readonly code: NativeErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: NativeErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'NativeServiceError';
    this.code = code;
    this.details = options.details;
  }
}
