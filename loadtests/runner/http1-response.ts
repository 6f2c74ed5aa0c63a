/** The parts of an HTTP/1.1 response the runner reads. */
export interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  /** The body, only when it was asked for. */
  body: Buffer | undefined;
  /** The server will close the connection after this response. */
  close: boolean;
}

type Framing =
  | { kind: 'length'; remaining: number }
  | { kind: 'chunked'; state: 'size' | 'data' | 'data-crlf' | 'trailer'; remaining: number }
  | { kind: 'until-close' };

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
/** Longest response head accepted; beyond it the response is malformed. */
const MAX_HEAD_BYTES = 64 * 1024;

/** Thrown for a response that is not valid HTTP/1.x. */
export class MalformedResponseError extends Error {
  readonly code = 'ERR_MALFORMED_RESPONSE';
}

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const lines = head.split('\r\n');
  const statusLine = lines[0] ?? '';
  const status = Number(statusLine.slice(9, 12));
  if (!statusLine.startsWith('HTTP/1.') || !Number.isInteger(status) || status < 100) {
    throw new MalformedResponseError(`bad status line: ${statusLine.slice(0, 60)}`);
  }
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MalformedResponseError(`bad header line: ${line.slice(0, 60)}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return { status, headers };
}

function framingOf(status: number, headers: Record<string, string>): Framing {
  if (status === 204 || status === 304 || status < 200) return { kind: 'length', remaining: 0 };
  if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
    return { kind: 'chunked', state: 'size', remaining: 0 };
  }
  const length = headers['content-length'];
  if (length === undefined) return { kind: 'until-close' };
  const n = Number(length);
  if (!Number.isSafeInteger(n) || n < 0) throw new MalformedResponseError(`bad content-length`);
  return { kind: 'length', remaining: n };
}

/**
 * An incremental parser of the responses on one keep-alive connection, one at a time. Feed it the
 * socket's chunks; it calls `onResponse` once per complete response and keeps the rest buffered.
 */
export class Http1ResponseParser {
  private buffered: Buffer = Buffer.alloc(0);
  private head: { status: number; headers: Record<string, string> } | undefined;
  private framing: Framing | undefined;
  private body: Buffer[] = [];

  constructor(
    private readonly keepBody: () => boolean,
    private readonly onResponse: (r: ParsedResponse) => void,
  ) {}

  /** Adds bytes from the socket; throws MalformedResponseError. */
  push(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length > 0 && this.step()) {}
  }

  /** The socket ended: completes a read-until-close body; true when a response was in progress. */
  end(): boolean {
    if (this.framing?.kind === 'until-close') {
      this.finish();
      return false;
    }
    return this.head !== undefined || this.buffered.length > 0;
  }

  /** One parsing step; false when more bytes are needed. */
  private step(): boolean {
    if (!this.head) return this.readHead();
    const f = this.framing as Framing;
    if (f.kind === 'until-close') {
      this.take(this.buffered.length);
      return false;
    }
    if (f.kind === 'length') {
      f.remaining -= this.take(Math.min(f.remaining, this.buffered.length));
      if (f.remaining === 0) this.finish();
      return f.remaining === 0;
    }
    return this.stepChunked(f);
  }

  private readHead(): boolean {
    const end = this.buffered.indexOf(HEAD_END);
    if (end < 0) {
      if (this.buffered.length > MAX_HEAD_BYTES) throw new MalformedResponseError('head too long');
      return false;
    }
    this.head = parseHead(this.buffered.toString('latin1', 0, end));
    this.buffered = this.buffered.subarray(end + 4);
    this.framing = framingOf(this.head.status, this.head.headers);
    if (this.framing.kind === 'length' && this.framing.remaining === 0) this.finish();
    return true;
  }

  private stepChunked(f: Extract<Framing, { kind: 'chunked' }>): boolean {
    if (f.state === 'data') {
      f.remaining -= this.take(Math.min(f.remaining, this.buffered.length));
      if (f.remaining > 0) return false;
      f.state = 'data-crlf';
      return true;
    }
    const eol = this.buffered.indexOf(CRLF);
    if (eol < 0) return false;
    const line = this.buffered.toString('latin1', 0, eol);
    this.buffered = this.buffered.subarray(eol + 2);
    if (f.state === 'data-crlf') f.state = 'size';
    else if (f.state === 'trailer') {
      if (line === '') this.finish();
    } else {
      const size = Number.parseInt(line, 16);
      if (!Number.isSafeInteger(size) || size < 0)
        throw new MalformedResponseError('bad chunk size');
      f.state = size === 0 ? 'trailer' : 'data';
      f.remaining = size;
    }
    return true;
  }

  /** Consumes n buffered body bytes, keeping them when asked to. */
  private take(n: number): number {
    if (n > 0 && this.keepBody()) this.body.push(this.buffered.subarray(0, n));
    this.buffered = this.buffered.subarray(n);
    return n;
  }

  private finish(): void {
    const head = this.head as { status: number; headers: Record<string, string> };
    const body = this.keepBody() ? Buffer.concat(this.body) : undefined;
    const close = head.headers.connection?.toLowerCase() === 'close';
    this.head = undefined;
    this.framing = undefined;
    this.body = [];
    this.onResponse({ status: head.status, headers: head.headers, body, close });
  }
}
