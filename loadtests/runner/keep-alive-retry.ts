/** Methods Go's net/http replays (`Request.isReplayable`): the safe ones. */
const REPLAYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Headers that make any request replayable in Go's net/http, the Idempotency-Key draft's and its variant. */
export const IDEMPOTENCY_KEY_HEADERS = ['idempotency-key', 'x-idempotency-key'] as const;

/**
 * Go's `Request.isReplayable` for a request whose body can be sent again (the runner's always can):
 * a safe method, or any method carrying an `Idempotency-Key` or `X-Idempotency-Key` header, which
 * tells the server to apply it once however often it arrives.
 */
export function isReplayable(method: string, headerNames: readonly string[]): boolean {
  if (REPLAYABLE_METHODS.has(method.toUpperCase())) return true;
  return headerNames.some((name) =>
    (IDEMPOTENCY_KEY_HEADERS as readonly string[]).includes(name.toLowerCase()),
  );
}

/** What the client knows about a request whose connection ended before its response. */
export interface LostRequest {
  /** The request may be sent again (isReplayable: the runner's reads, and its keyed writes). */
  replayable: boolean;
  /** The connection had carried at least one complete exchange before this request. */
  reusedConnection: boolean;
  /** Bytes of this request's response received before the connection ended. */
  responseBytes: number;
  /** Why it ended: the socket error, or the close (EOF) the connection saw. */
  error: unknown;
  /** This request was already retried once. */
  retried: boolean;
}

// Only the server closing or resetting the connection: a timeout, a malformed response or the
// client's own teardown is a real failure.
const CLOSED_BY_PEER = new Set(['ERR_CONNECTION_CLOSED', 'ECONNRESET', 'EPIPE']);

/**
 * Whether a request lost with its keep-alive connection is sent once more, on a fresh connection:
 * the rule of Go's net/http (`persistConn.shouldRetryRequest`: a reused connection, a replayable
 * request, the server closed it before the first response byte) and of browsers, which RFC 9112
 * §9.3.1 allows for idempotent requests; a keyed write is applied once by the server however
 * often it arrives. The server may have closed an idle connection (an nginx
 * reload, a keep-alive timeout) just as the request was written, so it never saw the request.
 */
export function retriesLostRequest(lost: LostRequest): boolean {
  const code = (lost.error as { code?: unknown } | null)?.code;
  return (
    lost.replayable &&
    lost.reusedConnection &&
    lost.responseBytes === 0 &&
    !lost.retried &&
    typeof code === 'string' &&
    CLOSED_BY_PEER.has(code)
  );
}
