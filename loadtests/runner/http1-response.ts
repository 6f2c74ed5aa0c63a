/** The response headers the runner reads, by lower-cased name; the first occurrence wins. */
export type ResponseHeaders = {
  'content-length': string | undefined;
  'transfer-encoding': string | undefined;
  connection: string | undefined;
  'x-cache': string | undefined;
  'x-served-by': string | undefined;
  'x-profile-version': string | undefined;
};

/** The parts of an HTTP/1.1 response the runner reads. */
export interface ParsedResponse {
  status: number;
  headers: ResponseHeaders;
  /** The body, only when it was asked for. */
  body: Buffer | undefined;
  /** The server will close the connection after this response. */
  close: boolean;
}

/** What the parser expects next. */
const Framing = {
  Head: 0,
  Length: 1,
  UntilClose: 2,
  ChunkSize: 3,
  ChunkData: 4,
  ChunkDataEnd: 5,
  Trailer: 6,
} as const;
type Framing = (typeof Framing)[keyof typeof Framing];

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
/** Longest response head accepted; beyond it the response is malformed. */
const MAX_HEAD_BYTES = 64 * 1024;

/** Thrown for a response that is not valid HTTP/1.x. */
export class MalformedResponseError extends Error {
  readonly code = 'ERR_MALFORMED_RESPONSE';
}

/** Whether head[from..from+name.length) is `name` (lower case) in any letter case. */
function nameIs(head: string, from: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = head.charCodeAt(from + i);
    const n = name.charCodeAt(i);
    if (c !== n && !(n >= 0x61 && n <= 0x7a && c === n - 0x20)) return false;
  }
  return true;
}

/** The lower-cased name of a header the runner reads, picked by length before any comparison. */
function wantedName(head: string, from: number, to: number): keyof ResponseHeaders | undefined {
  const length = to - from;
  let name: keyof ResponseHeaders;
  if (length === 7) name = 'x-cache';
  else if (length === 10) name = 'connection';
  else if (length === 11) name = 'x-served-by';
  else if (length === 14) name = 'content-length';
  else if (length === 17) {
    name = (head.charCodeAt(from) | 0x20) === 0x74 ? 'transfer-encoding' : 'x-profile-version';
  } else return undefined;
  return nameIs(head, from, name) ? name : undefined;
}

/** head[from..to) without the spaces and tabs around it. */
function trimmed(head: string, from: number, to: number): string {
  let start = from;
  let end = to;
  while (start < end && isBlank(head.charCodeAt(start))) start++;
  while (end > start && isBlank(head.charCodeAt(end - 1))) end--;
  return head.slice(start, end);
}

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

/** Status and the wanted headers of a response head (the text before its blank line). */
function parseHead(head: string): { status: number; headers: ResponseHeaders } {
  let eol = head.indexOf('\r\n');
  if (eol < 0) eol = head.length;
  const status = Number(head.slice(9, 12));
  if (!head.startsWith('HTTP/1.') || !Number.isInteger(status) || status < 100) {
    throw new MalformedResponseError(`bad status line: ${head.slice(0, Math.min(eol, 60))}`);
  }
  const headers: ResponseHeaders = {
    'content-length': undefined,
    'transfer-encoding': undefined,
    connection: undefined,
    'x-cache': undefined,
    'x-served-by': undefined,
    'x-profile-version': undefined,
  };
  for (let from = eol + 2; from < head.length; from = eol + 2) {
    eol = head.indexOf('\r\n', from);
    if (eol < 0) eol = head.length;
    const colon = head.indexOf(':', from);
    if (colon <= from || colon > eol) {
      throw new MalformedResponseError(`bad header line: ${head.slice(from, from + 60)}`);
    }
    const name = wantedName(head, from, colon);
    if (name !== undefined) headers[name] ??= trimmed(head, colon + 1, eol);
  }
  return { status, headers };
}

/**
 * An incremental parser of the responses on one keep-alive connection, one at a time. Feed it the
 * socket's chunks; it calls `onResponse` once per complete response and keeps the rest buffered.
 * It reads through each chunk by offset, so a response that arrives in one chunk costs one string
 * (its head) and no copy beyond a kept body.
 */
export class Http1ResponseParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  private framing: Framing = Framing.Head;
  private remaining = 0;
  private head: { status: number; headers: ResponseHeaders } | undefined;
  private body: Buffer[] = [];

  constructor(
    private readonly keepBody: () => boolean,
    private readonly onResponse: (r: ParsedResponse) => void,
  ) {}

  /**
   * Adds bytes from the socket; throws MalformedResponseError. The caller may reuse `chunk` once
   * this returns (a socket reading into one buffer): whatever the parser keeps, it copies.
   */
  push(chunk: Buffer): void {
    this.buf =
      this.pos >= this.buf.length ? chunk : Buffer.concat([this.buf.subarray(this.pos), chunk]);
    this.pos = 0;
    while (this.pos < this.buf.length && this.step()) {}
    this.buf = this.pos < this.buf.length ? Buffer.from(this.buf.subarray(this.pos)) : EMPTY;
    this.pos = 0;
  }

  /** The socket ended: completes a read-until-close body; true when a response was in progress. */
  end(): boolean {
    if (this.framing === Framing.UntilClose) {
      this.finish();
      return false;
    }
    return this.head !== undefined || this.pos < this.buf.length;
  }

  /** One parsing step; false when more bytes are needed. */
  private step(): boolean {
    switch (this.framing) {
      case Framing.Head:
        return this.readHead();
      case Framing.UntilClose:
        this.take(this.buf.length - this.pos);
        return false;
      case Framing.Length:
      case Framing.ChunkData:
        return this.stepData();
      default:
        return this.stepChunkLine();
    }
  }

  private readHead(): boolean {
    const end = this.buf.indexOf(HEAD_END, this.pos);
    if (end < 0) {
      if (this.buf.length - this.pos > MAX_HEAD_BYTES) {
        throw new MalformedResponseError('head too long');
      }
      return false;
    }
    const head = parseHead(this.buf.toString('latin1', this.pos, end));
    this.head = head;
    this.pos = end + 4;
    this.frame(head.status, head.headers);
    if (this.framing === Framing.Length && this.remaining === 0) this.finish();
    return true;
  }

  private frame(status: number, headers: ResponseHeaders): void {
    this.remaining = 0;
    if (status === 204 || status === 304 || status < 200) {
      this.framing = Framing.Length;
    } else if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
      this.framing = Framing.ChunkSize;
    } else if (headers['content-length'] === undefined) {
      this.framing = Framing.UntilClose;
    } else {
      const n = Number(headers['content-length']);
      if (!Number.isSafeInteger(n) || n < 0) throw new MalformedResponseError('bad content-length');
      this.framing = Framing.Length;
      this.remaining = n;
    }
  }

  /** Body bytes of a content-length body or a chunk. */
  private stepData(): boolean {
    this.remaining -= this.take(Math.min(this.remaining, this.buf.length - this.pos));
    if (this.remaining > 0) return false;
    if (this.framing === Framing.Length) this.finish();
    else this.framing = Framing.ChunkDataEnd;
    return true;
  }

  /** A chunk-size line, the CRLF after a chunk's data, or a trailer line. */
  private stepChunkLine(): boolean {
    const eol = this.buf.indexOf(CRLF, this.pos);
    if (eol < 0) return false;
    const line = this.buf.toString('latin1', this.pos, eol);
    this.pos = eol + 2;
    if (this.framing === Framing.ChunkDataEnd) this.framing = Framing.ChunkSize;
    else if (this.framing === Framing.Trailer) {
      if (line === '') this.finish();
    } else {
      const size = Number.parseInt(line, 16);
      if (!Number.isSafeInteger(size) || size < 0) {
        throw new MalformedResponseError('bad chunk size');
      }
      this.framing = size === 0 ? Framing.Trailer : Framing.ChunkData;
      this.remaining = size;
    }
    return true;
  }

  /** Consumes n buffered body bytes, keeping them when asked to. */
  private take(n: number): number {
    if (n > 0 && this.keepBody())
      this.body.push(Buffer.from(this.buf.subarray(this.pos, this.pos + n)));
    this.pos += n;
    return n;
  }

  private finish(): void {
    const head = this.head as { status: number; headers: ResponseHeaders };
    const body = this.keepBody() ? Buffer.concat(this.body) : undefined;
    const close = head.headers.connection?.toLowerCase() === 'close';
    this.head = undefined;
    this.framing = Framing.Head;
    if (this.body.length > 0) this.body = [];
    this.onResponse({ status: head.status, headers: head.headers, body, close });
  }
}
