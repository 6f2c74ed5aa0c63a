import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type Operation, patchBodyFor } from '../workload.ts';
import { type ExchangeOutcome, failure, toOutcome } from './exchange.ts';
import { Http1ResponseParser, type ParsedResponse } from './http1-response.ts';
import { isReplayable, retriesLostRequest } from './keep-alive-retry.ts';
import type { LoadClient, LoadClientOptions } from './load-client.ts';

/** Whether each kind of request requestOf writes may be sent again (its method and header names). */
const REPLAYABLE = {
  read: isReplayable('GET', ['Host']),
  write: isReplayable('PATCH', ['Host', 'Content-Type', 'Idempotency-Key', 'Content-Length']),
} as const;

/** A request that got no complete response within the timeout. */
export class RequestTimeoutError extends Error {
  readonly code = 'ERR_REQUEST_TIMEOUT';
}

/** The connection closed (or the client was destroyed) before the response was complete. */
export class ConnectionClosedError extends Error {
  readonly code = 'ERR_CONNECTION_CLOSED';
}

interface Pending {
  operation: Operation;
  request: string;
  /** isReplayable of the request as written (a read, or a write with its Idempotency-Key). */
  replayable: boolean;
  done: (outcome: ExchangeOutcome) => void;
  /** When it was first handed to a connection (connecting included); the timeout runs from here. */
  sentAt: number;
  /** Sent a second time after its keep-alive connection was lost (keep-alive-retry.ts). */
  retried: boolean;
}

/** One keep-alive HTTP/1.1 connection carrying one request at a time. */
class Connection {
  readonly socket: Socket;
  current: Pending | undefined;
  private connected = false;
  /** Complete responses this connection carried: above 0, a request on it reuses it. */
  private served = 0;
  /** Whether the current request was written on a connection that had already served. */
  private reused = false;
  /** Bytes received since the current request was sent. */
  private responseBytes = 0;
  private readonly parser: Http1ResponseParser;

  constructor(
    private readonly client: RawHttpClient,
    target: { host: string; port: number },
  ) {
    this.parser = new Http1ResponseParser(
      () => this.current?.operation.op === 'write',
      (r) => this.onResponse(r),
    );
    this.socket = connect({
      ...target,
      // Every read lands in the client's one buffer: no allocation and no stream push per read.
      onread: {
        buffer: client.readBuffer,
        callback: (n, buffer) => {
          this.onData(buffer.subarray(0, n) as Buffer);
          return true;
        },
      },
    });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      this.connected = true;
      if (this.current) this.socket.write(this.current.request);
    });
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => {
      this.parser.end();
      this.fail(new ConnectionClosedError('the connection closed before the response ended'));
    });
  }

  send(p: Pending): void {
    if (!p.retried) p.sentAt = performance.now();
    this.current = p;
    this.reused = this.served > 0;
    this.responseBytes = 0;
    if (this.connected) this.socket.write(p.request);
  }

  private onData(chunk: Buffer): void {
    this.responseBytes += chunk.length;
    try {
      this.parser.push(chunk);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Ends the connection; its request (if any) is retried by the narrow rule, or fails with `error`. */
  fail(error: unknown): void {
    const p = this.current;
    this.current = undefined;
    if (!this.socket.destroyed) this.socket.destroy();
    const retry =
      p !== undefined &&
      !this.client.destroyed &&
      retriesLostRequest({
        replayable: p.replayable,
        reusedConnection: this.reused,
        responseBytes: this.responseBytes,
        error,
        retried: p.retried,
      });
    if (retry) p.retried = true;
    this.client.forget(this, retry ? p : undefined);
    if (p && !retry) p.done(outcomeOf(p, failure(error)));
  }

  private onResponse(r: ParsedResponse): void {
    const p = this.current;
    if (!p) {
      this.fail(new ConnectionClosedError('a response arrived with no request outstanding'));
      return;
    }
    this.current = undefined;
    this.served++;
    p.done(outcomeOf(p, toOutcome(p.operation, r.status, r.headers, r.body ? [r.body] : [])));
    if (r.close) this.fail(undefined);
    else this.client.release(this);
  }
}

function outcomeOf(p: Pending, outcome: ExchangeOutcome): ExchangeOutcome {
  return p.retried ? { ...outcome, retried: true } : outcome;
}

/**
 * A lean LoadClient on raw sockets: a prebuilt request line per operation and a parser that reads
 * only what the runner needs (status, four headers, a write's body). It costs a fraction of a full
 * HTTP client per request, which is what lets one generator thread outpace the servers it measures.
 */
export class RawHttpClient implements LoadClient {
  private readonly target: { host: string; port: number };
  private readonly hostHeader: string;
  private readonly open = new Set<Connection>();
  private readonly idle: Connection[] = [];
  private readonly queue: Pending[] = [];
  private queueHead = 0;
  private readonly sweeper: NodeJS.Timeout;
  /** The one buffer every connection of this client reads into; the parser copies what it keeps. */
  readonly readBuffer = Buffer.allocUnsafe(64 * 1024);
  /** Set by destroy(): requests it fails are not retried. */
  destroyed = false;

  constructor(private readonly o: LoadClientOptions) {
    const url = new URL(o.baseUrl);
    this.target = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
    this.hostHeader = url.host;
    this.sweeper = setInterval(() => this.sweep(), Math.min(100, Math.max(10, o.timeoutMs / 4)));
    this.sweeper.unref();
  }

  exchange(operation: Operation, writeSeq: number, done: (o: ExchangeOutcome) => void): void {
    const request = this.requestOf(operation, writeSeq);
    const replayable = REPLAYABLE[operation.op];
    const p: Pending = { operation, request, replayable, done, sentAt: 0, retried: false };
    const c = this.idle.pop() ?? (this.open.size < this.o.connections ? this.connect() : undefined);
    if (c) c.send(p);
    else this.queue.push(p);
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    clearInterval(this.sweeper);
    const closed = new ConnectionClosedError('the load client was destroyed');
    for (const p of this.queue.splice(this.queueHead)) p.done(failure(closed));
    this.queueHead = 0;
    this.queue.length = 0;
    for (const c of [...this.open]) c.fail(closed);
  }

  /** A connection finished its request: it takes the next queued one or waits idle. */
  release(c: Connection): void {
    const next = this.dequeue();
    if (next) c.send(next);
    else this.idle.push(c);
  }

  /**
   * A connection is gone; `retry` (its lost request) or else a queued request gets a fresh one. A
   * fresh connection, not an idle one: the server may be closing those too, and a request lost on a
   * fresh connection is never retried, so one retry is the most a request gets.
   */
  forget(c: Connection, retry?: Pending): void {
    if (this.open.delete(c)) {
      const at = this.idle.indexOf(c);
      if (at >= 0) this.idle.splice(at, 1);
    } else if (!retry) return;
    const next = retry ?? this.dequeue();
    if (next) this.connect().send(next);
  }

  private connect(): Connection {
    const c = new Connection(this, this.target);
    this.open.add(c);
    return c;
  }

  private dequeue(): Pending | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const p = this.queue[this.queueHead++];
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return p;
  }

  private sweep(): void {
    const limit = performance.now() - this.o.timeoutMs;
    for (const c of [...this.open]) {
      if (c.current && c.current.sentAt < limit) {
        c.fail(new RequestTimeoutError(`no complete response within ${this.o.timeoutMs} ms`));
      }
    }
  }

  private requestOf(operation: Operation, writeSeq: number): string {
    const path = `/profiles/${operation.id}`;
    if (operation.op === 'read') return `GET ${path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\n\r\n`;
    const body = patchBodyFor(operation.id, writeSeq);
    // A fresh key per write, kept by its one retry: the server applies the write once either way.
    return (
      `PATCH ${path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\nContent-Type: application/json\r\n` +
      `Idempotency-Key: "${randomUUID()}"\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    );
  }
}
