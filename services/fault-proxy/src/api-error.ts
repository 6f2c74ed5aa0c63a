/** Stable codes of API failures, with toxiproxy's messages and statuses (the only place they are defined). */
export const API_ERRORS = {
  BAD_REQUEST_BODY: { status: 400, message: 'bad request body' },
  MISSING_FIELD: { status: 400, message: 'missing required field' },
  INVALID_STREAM: {
    status: 400,
    message: 'stream was invalid, can be either upstream or downstream',
  },
  INVALID_TOXIC_TYPE: { status: 400, message: 'invalid toxic type' },
  BROWSER_FORBIDDEN: { status: 403, message: 'User agent not allowed' },
  PROXY_NOT_FOUND: { status: 404, message: 'proxy not found' },
  TOXIC_NOT_FOUND: { status: 404, message: 'toxic not found' },
  ROUTE_NOT_FOUND: { status: 404, message: 'not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'method not allowed' },
  PROXY_ALREADY_EXISTS: { status: 409, message: 'proxy already exists' },
  TOXIC_ALREADY_EXISTS: { status: 409, message: 'toxic already exists' },
  LISTEN_FAILED: { status: 409, message: 'listen address unavailable' },
  INTERNAL: { status: 500, message: 'internal error' },
} as const;

/** A stable API error code. */
export type ApiErrorCode = keyof typeof API_ERRORS;

/** An API failure; its JSON is toxiproxy's `{ "error": message, "status": code }`. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;

  /** `detail` is appended as toxiproxy does: "<message>: <detail>". */
  constructor(code: ApiErrorCode, detail?: string, options: { cause?: unknown } = {}) {
    const base = API_ERRORS[code].message;
    super(detail ? `${base}: ${detail}` : base, { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = API_ERRORS[code].status;
  }

  /** The response body. */
  toJSON(): { error: string; status: number } {
    return { error: this.message, status: this.status };
  }
}
