/** Stable codes of lab failures; `exitCode` of the CLI is derived from the code. */
export const LAB_ERROR_CODES = {
  USAGE: 2,
  TOPOLOGY_UNKNOWN: 2,
  TOPOLOGY_INVALID: 2,
  DRIVER_UNAVAILABLE: 2,
  PORT_IN_USE: 3,
  ALREADY_RUNNING: 3,
  NOT_RUNNING: 3,
  STATE_INVALID: 3,
  UP_FAILED: 4,
  INTERRUPTED: 130,
  STOP_FAILED: 5,
  CONFIG_INVALID: 2,
  LOAD_FAILED: 6,
  ACTION_UNSUPPORTED: 2,
  ACTION_FAILED: 7,
  SCENARIO_UNKNOWN: 2,
  SCENARIO_FAILED: 7,
} as const;

/** A stable lab error code. */
export type LabErrorCode = keyof typeof LAB_ERROR_CODES;

/** A lab failure with a stable code; `cause` keeps the underlying failure. */
export class LabError extends Error {
  readonly code: LabErrorCode;
  readonly exitCode: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: LabErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'LabError';
    this.code = code;
    this.exitCode = LAB_ERROR_CODES[code];
    this.details = options.details;
  }
}

/** Narrows an unknown thrown value to LabError. */
export function isLabError(value: unknown): value is LabError {
  return value instanceof LabError;
}
