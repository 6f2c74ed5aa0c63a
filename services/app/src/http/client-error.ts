import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError, type ErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { errorBody, JSON_CONTENT_TYPE } from './error-mapping.ts';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** The code for a request Node's HTTP parser rejected before Express saw it. */
export function clientErrorCode(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  return 'BAD_REQUEST';
}

/** The raw HTTP/1.1 response for a parser-level rejection: JSON body, X-Served-By, connection closed. */
export function clientErrorResponse(code: ErrorCode, serverId: string): string {
  const error = new AppError(code, 'malformed HTTP request');
  const body = JSON.stringify(errorBody(error));
  return [
    `HTTP/1.1 ${error.status} ${REASONS[error.status] ?? 'Bad Request'}`,
    `Content-Type: ${JSON_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Served-By: ${serverId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Replaces Node's bare-text answer to malformed requests with the app's JSON error shape. */
export function handleClientErrors(server: Server, serverId: string, logger: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const code = clientErrorCode(error);
    logger.debug({ err: error, code }, 'malformed request rejected');
    socket.end(clientErrorResponse(code, serverId));
  });
}
