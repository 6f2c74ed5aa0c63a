import { describe, expect, it } from 'vitest';
import { clientErrorCode, clientErrorResponse } from './client-error.ts';

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('clientErrorCode', () => {
  it('maps parser failures to stable codes', () => {
    expect(clientErrorCode(errno('HPE_HEADER_OVERFLOW'))).toBe('HEADERS_TOO_LARGE');
    expect(clientErrorCode(errno('ERR_HTTP_REQUEST_TIMEOUT'))).toBe('REQUEST_TIMEOUT');
    expect(clientErrorCode(errno('HPE_INVALID_METHOD'))).toBe('BAD_REQUEST');
  });
});

describe('clientErrorResponse', () => {
  it('is a complete HTTP/1.1 response with a JSON body, X-Served-By and a correct length', () => {
    const raw = clientErrorResponse('HEADERS_TOO_LARGE', 'app-7');
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(head).toContain('X-Served-By: app-7');
    expect(head).toContain('Connection: close');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toEqual({
      error: { code: 'HEADERS_TOO_LARGE', message: 'malformed HTTP request' },
    });
  });
});
