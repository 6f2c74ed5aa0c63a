import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { CacheResultLabel, ErrorClass } from '../result-types.ts';
import type { Operation } from '../workload.ts';
import { patchBodyFor } from '../workload.ts';
import { cacheLabelOf } from './stats.ts';

/**
 * The result of one request: an HTTP response (any status) or a failure without one; `retried` when
 * it came from the one retry a lost keep-alive request gets (keep-alive-retry.ts).
 */
export type ExchangeOutcome = { retried?: true } & (
  | {
      kind: 'response';
      status: number;
      cache: CacheResultLabel;
      servedBy: string | undefined;
      /** X-Profile-Version of a read, or the version a write's body acknowledged. */
      version: number | undefined;
    }
  | { kind: 'failure'; errorClass: ErrorClass; error: unknown }
);

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  'ERR_REQUEST_TIMEOUT',
]);
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_CONNECTION_CLOSED',
]);

/** Sorts an error thrown by undici into one of the error classes. */
export function classifyError(error: unknown): ErrorClass {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) return 'timeout';
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return 'connection';
  if ((error as { name?: unknown } | null)?.name === 'AbortError') return 'timeout';
  return 'other';
}

/** A short description of an error for the result's errorSamples: code and message. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 200);
  const code = (error as { code?: unknown }).code;
  return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`.slice(0, 200);
}

/** Response headers by lower-cased name: undici's, or the raw client's parsed few. */
export type OutcomeHeaders = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: OutcomeHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseVersion(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A write's acknowledged version, from its `{"id","version"}` body. */
function ackedVersion(status: number, body: string): number | undefined {
  if (status !== 200) return undefined;
  const parsed = JSON.parse(body) as { version?: unknown } | null;
  return typeof parsed?.version === 'number' ? parsed.version : undefined;
}

/** The outcome of a request that ended without a response. */
export function failure(error: unknown): ExchangeOutcome {
  return { kind: 'failure', errorClass: classifyError(error), error };
}

/** The outcome of a response: its cache label, server and (read header or write body) version. */
export function toOutcome(
  operation: Operation,
  status: number,
  headers: OutcomeHeaders,
  body: Buffer[],
): ExchangeOutcome {
  try {
    const version =
      operation.op === 'read'
        ? parseVersion(header(headers, 'x-profile-version'))
        : ackedVersion(status, Buffer.concat(body).toString('utf8'));
    const cache = cacheLabelOf(header(headers, 'x-cache'));
    return { kind: 'response', status, cache, servedBy: header(headers, 'x-served-by'), version };
  } catch (error) {
    return failure(error);
  }
}

function requestOptions(operation: Operation, writeSeq: number): Dispatcher.DispatchOptions {
  const path = `/profiles/${operation.id}`;
  if (operation.op === 'read') return { path, method: 'GET' };
  const body = patchBodyFor(operation.id, writeSeq);
  // A fresh key per write: the server applies it once however often it arrives.
  const headers = { 'content-type': 'application/json', 'idempotency-key': `"${randomUUID()}"` };
  return { path, method: 'PATCH', headers, body };
}

/** A dispatch handler that collects status, headers and (for writes) the body, then finishes once. */
function responseHandler(
  operation: Operation,
  finish: (o: ExchangeOutcome) => void,
): Dispatcher.DispatchHandler {
  let status = 0;
  let headers: IncomingHttpHeaders = {};
  const chunks: Buffer[] = [];
  return {
    // undici recognises the (non-deprecated) handler API by the presence of onRequestStart.
    onRequestStart() {},
    onResponseStart(_controller, statusCode, responseHeaders) {
      status = statusCode;
      headers = responseHeaders;
    },
    onResponseData(_controller, chunk) {
      if (operation.op === 'write') chunks.push(chunk);
    },
    onResponseEnd() {
      finish(toOutcome(operation, status, headers, chunks));
    },
    onResponseError(_controller, error) {
      finish(failure(error));
    },
  };
}

/**
 * Sends one operation (GET or PATCH /profiles/:id) and calls `done` exactly once with what it needs.
 * Uses undici's low-level dispatch API with a callback: no body stream, Response object or promise
 * per request, which is most of a generator's per-request cost.
 */
export function exchange(
  dispatcher: Dispatcher,
  operation: Operation,
  writeSeq: number,
  done: (outcome: ExchangeOutcome) => void,
): void {
  let finished = false;
  const finish = (outcome: ExchangeOutcome): void => {
    if (finished) return;
    finished = true;
    done(outcome);
  };
  try {
    dispatcher.dispatch(requestOptions(operation, writeSeq), responseHandler(operation, finish));
  } catch (error) {
    finish(failure(error));
  }
}
