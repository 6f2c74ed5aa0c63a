// The contract every LoadClient passes, against real node:http servers on 127.0.0.1.
import { createServer, type RequestListener, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangeOutcome } from '../loadtests/runner/exchange.ts';
import {
  type LoadClient,
  type LoadClientOptions,
  undiciLoadClient,
} from '../loadtests/runner/load-client.ts';
import { RawHttpClient } from '../loadtests/runner/raw-http-client.ts';
import type { Operation } from '../loadtests/workload.ts';

const servers: Server[] = [];
const clients: LoadClient[] = [];

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

/** A profile API in miniature: reads carry headers, writes answer {"id","version"} (chunked). */
const profileApi: RequestListener = (req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/profiles/500') {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}');
    } else if (req.method === 'PATCH') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': 'app-1' });
      res.write('{"id":1,');
      res.end('"version":42}');
    } else {
      const headers = { 'x-cache': 'HIT-L2', 'x-served-by': 'app-3', 'x-profile-version': '9' };
      res.writeHead(200, {
        ...headers,
        connection: req.url === '/profiles/2' ? 'close' : 'keep-alive',
      });
      res.end('{"id":1}');
    }
  });
};

function send(client: LoadClient, operation: Operation, seq = 0): Promise<ExchangeOutcome> {
  return new Promise((resolve) => client.exchange(operation, seq, resolve));
}

const implementations: [string, (o: LoadClientOptions) => LoadClient][] = [
  ['raw', (o) => new RawHttpClient(o)],
  ['undici', (o) => undiciLoadClient(o)],
];

describe.each(implementations)('LoadClient contract: %s', (_name, make) => {
  const client = (baseUrl: string, timeoutMs = 2000): LoadClient => {
    const c = make({ baseUrl, connections: 4, timeoutMs });
    clients.push(c);
    return c;
  };

  it('reads status, X-Cache, X-Served-By and the read version', async () => {
    const c = client(await serve(profileApi));
    expect(await send(c, { op: 'read', id: 1 })).toEqual({
      kind: 'response',
      status: 200,
      cache: 'HIT-L2',
      servedBy: 'app-3',
      version: 9,
    });
  });

  it('reads the version a write acknowledged from its (chunked) body', async () => {
    const c = client(await serve(profileApi));
    const outcome = await send(c, { op: 'write', id: 1 }, 3);
    expect(outcome).toMatchObject({ kind: 'response', status: 200, version: 42 });
  });

  it('reads bodies larger than one socket read, written in pieces on several connections at once', async () => {
    // The raw client reads every connection into one 64 KiB buffer: a response spans many reads,
    // interleaved with other connections' reads, and must still come out whole.
    const piece = 'x'.repeat(48 * 1024);
    const c = client(
      await serve((req, res) => {
        req.resume();
        req.on('end', () => {
          const version = String(Number(req.url?.split('/').at(-1)) * 10);
          if (req.method === 'PATCH') {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.write(`{"pad":"${piece}${piece}`);
            setTimeout(() => res.end(`${piece}","version":${version}}`), 5);
            return;
          }
          res.writeHead(200, { 'x-cache': 'MISS', 'x-profile-version': version });
          res.write(piece + piece);
          setTimeout(() => res.end(piece), 5);
        });
      }),
    );
    const ids = Array.from({ length: 12 }, (_, i) => i + 1);
    const outcomes = await Promise.all(
      ids.map((id) => send(c, { op: id % 3 === 0 ? 'write' : 'read', id }, id)),
    );
    expect(outcomes.map((o) => (o.kind === 'response' ? o.version : o.kind))).toEqual(
      ids.map((id) => id * 10),
    );
  });

  it('returns a 5xx as a response and keeps going after the server closes a connection', async () => {
    const c = client(await serve(profileApi));
    expect(await send(c, { op: 'read', id: 500 })).toMatchObject({ kind: 'response', status: 503 });
    for (let i = 0; i < 5; i++) {
      expect(await send(c, { op: 'read', id: 2 })).toMatchObject({ status: 200, version: 9 });
    }
    const many = await Promise.all(
      Array.from({ length: 40 }, () => send(c, { op: 'read', id: 1 })),
    );
    expect(many.every((o) => o.kind === 'response' && o.status === 200)).toBe(true);
  });

  it('fails a request with no answer as a timeout, within a bounded time', async () => {
    const c = client(await serve(() => {}), 300);
    const t0 = performance.now();
    expect(await send(c, { op: 'read', id: 1 })).toMatchObject({
      kind: 'failure',
      errorClass: 'timeout',
    });
    expect(performance.now() - t0).toBeLessThan(300 + 1000);
  });

  it('fails a refused connection as a connection error', async () => {
    const url = await serve(profileApi);
    const port = new URL(url).port;
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    const c = client(`http://127.0.0.1:${port}`);
    expect(await send(c, { op: 'read', id: 1 })).toMatchObject({
      kind: 'failure',
      errorClass: 'connection',
    });
  });

  it('fails what is in flight when destroyed', async () => {
    const c = client(await serve(() => {}), 10_000);
    const pending = send(c, { op: 'read', id: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await c.destroy();
    expect(await pending).toMatchObject({ kind: 'failure' });
  });
});

/** How a raw TCP server treats the second request on a connection. */
type SecondRequest = 'answer' | 'close' | 'partial';

/**
 * A keep-alive server on raw sockets: the first request of every connection gets a 200; the second
 * is answered, or lost as when nginx's old worker closes an idle connection at a reload.
 */
async function keepAliveServer(second: SecondRequest) {
  const sockets = new Set<Socket>();
  const received: string[] = [];
  let connections = 0;
  const server = createNetServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let requests = 0;
    socket.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      received.push(text);
      const heads = text.split('\r\n\r\n').length - 1;
      for (let i = 0; i < heads; i++) {
        requests++;
        if (requests === 1 || second === 'answer') {
          socket.write('HTTP/1.1 200 OK\r\nX-Profile-Version: 4\r\nContent-Length: 2\r\n\r\n{}');
        } else if (second === 'partial') {
          socket.end('HTTP/1.1 200 OK\r\n');
        } else {
          socket.destroy();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    connections: () => connections,
    /** The bytes of each chunk received, in order. */
    received: () => received,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('raw client: a request lost with its reused keep-alive connection', () => {
  const raw = (url: string) => {
    const c = new RawHttpClient({ baseUrl: url, connections: 1, timeoutMs: 2_000 });
    clients.push(c);
    return c;
  };

  it('retries a read once, on a fresh connection, and marks its outcome', async () => {
    const server = await keepAliveServer('close');
    try {
      const c = raw(server.url);
      expect(await send(c, { op: 'read', id: 1 })).toMatchObject({ status: 200, version: 4 });
      const second = await send(c, { op: 'read', id: 1 });
      expect(second).toMatchObject({ kind: 'response', status: 200, retried: true });
      expect(server.connections()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('retries a write once, with the same fresh Idempotency-Key, as Go does a keyed request', async () => {
    const server = await keepAliveServer('close');
    try {
      const c = raw(server.url);
      await send(c, { op: 'read', id: 1 });
      const write = await send(c, { op: 'write', id: 1 }, 1);
      expect(write).toMatchObject({ kind: 'response', status: 200, retried: true });
      expect(server.connections()).toBe(2);
      const keys = server
        .received()
        .filter((chunk) => chunk.startsWith('PATCH '))
        .map((chunk) => /\r\nIdempotency-Key: "([0-9a-f-]{36})"\r\n/.exec(chunk)?.[1]);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toBeDefined();
      expect(keys[1]).toBe(keys[0]);
      await send(c, { op: 'write', id: 1 }, 2);
      const next = server.received().at(-1) ?? '';
      expect(next).toMatch(/^PATCH /);
      expect(next).not.toContain(keys[0]);
    } finally {
      await server.close();
    }
  });

  it('never retries a request once part of its response arrived', async () => {
    const partial = await keepAliveServer('partial');
    try {
      const p = raw(partial.url);
      await send(p, { op: 'read', id: 1 });
      expect(await send(p, { op: 'read', id: 1 })).toMatchObject({ kind: 'failure' });
      expect(partial.connections()).toBe(1);
    } finally {
      await partial.close();
    }
  });

  it('does not retry a read whose fresh connection the server closes', async () => {
    const sockets: Socket[] = [];
    const server = createNetServer((s) => {
      sockets.push(s);
      s.on('data', () => s.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const c = raw(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const outcome = await send(c, { op: 'read', id: 1 });
      expect(outcome).toMatchObject({ kind: 'failure', errorClass: 'connection' });
      expect(outcome.retried).toBeUndefined();
      expect(sockets).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
