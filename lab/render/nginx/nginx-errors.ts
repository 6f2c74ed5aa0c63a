/** One status nginx produces itself, answered in the app's JSON error format. */
export interface NginxError {
  /** The status nginx raises (494: request headers too large, sent as `status`). */
  raised: number;
  /** The status the client gets. */
  status: number;
  code: string;
  message: string;
}

/**
 * Every status nginx answers by itself in this configuration: a malformed request line, URI or
 * header (400), a request to an internal URI (404), a client too slow to send (408), a body over the
 * limit (413), a URI too long (414), headers too large (494 → 431), its own failure (500), no app
 * server reachable (502), none answering in time (504). Responses an app server sent pass untouched
 * (no proxy_intercept_errors).
 */
export const NGINX_ERRORS: readonly NginxError[] = [
  { raised: 400, status: 400, code: 'BAD_REQUEST', message: 'malformed request' },
  { raised: 404, status: 404, code: 'ROUTE_NOT_FOUND', message: 'no such route' },
  { raised: 408, status: 408, code: 'REQUEST_TIMEOUT', message: 'request not received in time' },
  { raised: 413, status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'request body over 16 KiB' },
  { raised: 414, status: 414, code: 'URI_TOO_LONG', message: 'request URI too long' },
  { raised: 494, status: 431, code: 'HEADERS_TOO_LARGE', message: 'request headers too large' },
  { raised: 500, status: 500, code: 'INTERNAL', message: 'internal proxy error' },
  { raised: 502, status: 502, code: 'UPSTREAM_UNAVAILABLE', message: 'no app server answered' },
  {
    raised: 504,
    status: 504,
    code: 'UPSTREAM_TIMEOUT',
    message: 'the app server did not answer in time',
  },
];

/** Internal URI prefix of the error answers (a URI, not a named location: a request whose line failed to parse cannot reach a named one). */
export const ERROR_URI_PREFIX = '/.cachelab-error/';

/** `error_page` lines, one per status nginx raises. */
export function errorPageLines(): string[] {
  return NGINX_ERRORS.map(
    (e) => `error_page ${e.raised} =${e.status} ${ERROR_URI_PREFIX}${e.status};`,
  );
}

/** One internal location per error: the JSON body, `application/json`, `X-Served-By: nginx`. */
export function errorLocationLines(indent: (text: string) => string): string[] {
  return NGINX_ERRORS.flatMap((e) => {
    const body = JSON.stringify({ error: { code: e.code, message: e.message } });
    return [
      `location = ${ERROR_URI_PREFIX}${e.status} {`,
      indent('internal;'),
      indent('default_type application/json;'),
      indent('add_header X-Served-By nginx always;'),
      indent(`return ${e.status} '${body}';`),
      '}',
    ];
  });
}
