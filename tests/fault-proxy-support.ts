import { connect, type Socket } from 'node:net';

/** How a raw connection ended: the error code (ECONNRESET …) or undefined for a clean close. */
export interface Ending {
  code: string | undefined;
  at: number;
}

/** A raw TCP client that records what it receives and how it ended (test helper). */
export interface RawClient {
  socket: Socket;
  received(): string;
  send(text: string): void;
  /** Resolves once `predicate(received)` holds; rejects after `timeoutMs` or if the connection ends first. */
  waitFor(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves when the connection closes; rejects after `timeoutMs`. */
  ended(timeoutMs?: number): Promise<Ending>;
  /** True while nothing has ended the connection. */
  readonly open: boolean;
}

/** Connects to 127.0.0.1:port and waits for the connection. */
export async function rawClient(port: number): Promise<RawClient> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  let text = '';
  let ending: Ending | undefined;
  let errorCode: string | undefined;
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of listeners) listener();
  };
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    notify();
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    errorCode = error.code;
  });
  socket.on('close', () => {
    ending = { code: errorCode, at: performance.now() };
    notify();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const wait = <T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(text)}`,
          ),
        );
      }, timeoutMs);
      const listener = (): void => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(value);
      };
      listeners.add(listener);
      listener();
    });
  return {
    socket,
    received: () => text,
    send: (data) => void socket.write(data),
    waitFor: (predicate, timeoutMs = 5_000) =>
      wait(
        () => {
          if (predicate(text)) return text;
          if (ending)
            throw new Error(
              `connection ended (${ending.code ?? 'clean'}) with ${JSON.stringify(text)}`,
            );
          return undefined;
        },
        'data',
        timeoutMs,
      ),
    ended: (timeoutMs = 5_000) => wait(() => ending, 'the connection to end', timeoutMs),
    get open() {
      return ending === undefined;
    },
  };
}

/** True when a TCP connect to 127.0.0.1:port is refused. */
export function refused(port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to ${port} neither succeeded nor was refused in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code === 'ECONNREFUSED');
    });
  });
}

/** The port of a `host:port` listen address. */
export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}

/** Status and parsed JSON body of one API call made without the client (for bad bodies). */
export async function api(
  baseUrl: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; text: string }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    body,
    headers: { 'content-type': 'application/json', ...headers },
    signal: AbortSignal.timeout(5_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}
