import { describe, expect, it } from 'vitest';
import {
  Http1ResponseParser,
  MalformedResponseError,
  type ParsedResponse,
} from './http1-response.ts';

function parse(
  bytes: string[],
  keepBody = true,
): { got: ParsedResponse[]; parser: Http1ResponseParser } {
  const got: ParsedResponse[] = [];
  const parser = new Http1ResponseParser(
    () => keepBody,
    (r) => got.push(r),
  );
  for (const b of bytes) parser.push(Buffer.from(b, 'latin1'));
  return { got, parser };
}

const lengthResponse =
  'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Cache: HIT-L1\r\nX-Served-By: app-2\r\n\r\nhello';
const chunkedResponse =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Profile-Version: 7\r\n\r\n' +
  '3\r\n{"v\r\na;ext=1\r\n":7}      \r\n0\r\nTrailer: x\r\n\r\n';

describe('Http1ResponseParser', () => {
  it('reads status, lower-cased headers and a content-length body', () => {
    const { got } = parse([lengthResponse]);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ status: 200, close: false });
    expect(got[0]?.headers).toMatchObject({ 'x-cache': 'HIT-L1', 'x-served-by': 'app-2' });
    expect(got[0]?.body?.toString()).toBe('hello');
  });

  it('gives the same responses however the bytes are split', () => {
    const stream = lengthResponse + chunkedResponse + lengthResponse;
    const whole = parse([stream]).got;
    expect(whole).toHaveLength(3);
    for (let cut = 1; cut < stream.length; cut += 3) {
      const split = parse([stream.slice(0, cut), stream.slice(cut)]).got;
      expect(split).toEqual(whole);
    }
    const byByte = parse([...stream]).got;
    expect(byByte).toEqual(whole);
  });

  it('joins chunked bodies and skips trailers', () => {
    const { got } = parse([chunkedResponse]);
    expect(got[0]?.body?.toString()).toBe('{"v":7}      ');
    expect(got[0]?.headers['x-profile-version']).toBe('7');
  });

  it('keeps no body unless asked, and knows bodiless statuses', () => {
    const { got } = parse(
      [lengthResponse, 'HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n'],
      false,
    );
    expect(got.map((r) => [r.status, r.body, r.close])).toEqual([
      [200, undefined, false],
      [204, undefined, true],
    ]);
  });

  it('reads a body without length until the connection ends', () => {
    const { got, parser } = parse(['HTTP/1.0 200 OK\r\n\r\nall ', 'of it']);
    expect(got).toHaveLength(0);
    expect(parser.end()).toBe(false);
    expect(got[0]?.body?.toString()).toBe('all of it');
  });

  it('reports a response cut short by the end of the connection', () => {
    const { got, parser } = parse(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc']);
    expect(got).toHaveLength(0);
    expect(parser.end()).toBe(true);
  });

  it('reads wanted headers in any letter case and ignores others of the same length', () => {
    const { got } = parse([
      'HTTP/1.1 200 OK\r\nEXPIRES: 0\r\nx-CACHE:\t HIT-L2 \t\r\nSet-Cookie: a=b\r\n' +
        'Accept-Charset: x\r\nX-Frame-Options-X: y\r\nCONTENT-LENGTH: 2\r\n' +
        'X-Served-By: app-1\r\nX-Served-By: app-9\r\n\r\nok',
    ]);
    expect(got[0]?.headers).toEqual({
      'content-length': '2',
      'transfer-encoding': undefined,
      connection: undefined,
      'x-cache': 'HIT-L2',
      'x-served-by': 'app-1',
      'x-profile-version': undefined,
    });
    expect(got[0]?.body?.toString()).toBe('ok');
  });

  it('copies what it keeps, so the caller may reuse the chunk it pushed', () => {
    const stream = Buffer.from(chunkedResponse + lengthResponse, 'latin1');
    const whole = parse([stream.toString('latin1')]).got;
    for (let cut = 1; cut < stream.length; cut += 5) {
      const got: ParsedResponse[] = [];
      const parser = new Http1ResponseParser(
        () => true,
        (r) => got.push(r),
      );
      const reused = Buffer.alloc(stream.length);
      stream.copy(reused, 0, 0, cut);
      parser.push(reused.subarray(0, cut));
      reused.fill(0x7a);
      stream.copy(reused, 0, cut);
      parser.push(reused.subarray(0, stream.length - cut));
      expect(got).toEqual(whole);
    }
  });

  it.each([
    ['a bad status line', 'SMTP ready\r\n\r\n'],
    ['a header without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n'],
    ['a bad content-length', 'HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
  ])('rejects %s', (_name, bytes) => {
    expect(() => parse([bytes])).toThrow(MalformedResponseError);
  });
});
