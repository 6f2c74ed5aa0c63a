import { Agent, createServer, get, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { type Closer, createShutdown } from './graceful-shutdown.ts';

const logger = createLogger({ level: 'silent', serverId: 'test' });
const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function serve(handler: RequestListener): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  cleanups.push(() => server.closeAllConnections());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function request(port: number, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

function exitRecorder(): { code: Promise<number>; exit: (code: number) => void } {
  let exit: (code: number) => void = () => {};
  const code = new Promise<number>((resolve) => {
    exit = resolve;
  });
  return { code, exit };
}

function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true });
  cleanups.push(() => agent.destroy());
  return agent;
}

describe('createShutdown', () => {
  it('lets an in-flight request finish, closes its keep-alive socket, then closes in order', async () => {
    const { server, port } = await serve((_req, res) => setTimeout(() => res.end('done'), 150));
    const order: string[] = [];
    const closer = (name: string): Closer => ({ name, close: async () => void order.push(name) });
    const { code, exit } = exitRecorder();
    const shutdown = createShutdown({
      server,
      graceMs: 10_000,
      logger,
      closers: [closer('cache'), closer('pool')],
      exit,
    });
    const agent = keepAliveAgent();
    const inFlight = request(port, agent);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = performance.now();
    void shutdown('SIGTERM');
    await expect(inFlight).resolves.toEqual({ status: 200, body: 'done' });
    expect(await code).toBe(0);
    // Far below Node's 5 s keep-alive timeout: the idle socket was closed, not waited out.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(order).toEqual(['cache', 'pool']);
    await expect(request(port, keepAliveAgent())).rejects.toThrow(/ECONNREFUSED/);
  });

  it('cuts connections still open when the grace period ends', async () => {
    const { server, port } = await serve(() => {});
    const { code, exit } = exitRecorder();
    const shutdown = createShutdown({ server, graceMs: 100, logger, closers: [], exit });
    const stuck = request(port, keepAliveAgent());
    await new Promise((resolve) => setTimeout(resolve, 30));
    void shutdown('SIGTERM');
    await expect(stuck).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await code).toBe(0);
  });

  it('exits 1 when a resource fails to close, after closing the others', async () => {
    const { server } = await serve((_req, res) => res.end());
    const closed: string[] = [];
    const { code, exit } = exitRecorder();
    const closers: Closer[] = [
      { name: 'cache', close: () => Promise.reject(new Error('redis quit failed')) },
      { name: 'pool', close: async () => void closed.push('pool') },
    ];
    void createShutdown({ server, graceMs: 1_000, logger, closers, exit })('SIGINT');
    expect(await code).toBe(1);
    expect(closed).toEqual(['pool']);
  });

  it('exits 1 at once on a second signal while draining', async () => {
    const { server, port } = await serve(() => {});
    const codes: number[] = [];
    const shutdown = createShutdown({
      server,
      graceMs: 60_000,
      logger,
      closers: [],
      exit: (code) => codes.push(code),
    });
    const stuck = request(port, keepAliveAgent()).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 30));
    void shutdown('SIGTERM');
    await shutdown('SIGINT');
    expect(codes).toEqual([1]);
    server.closeAllConnections();
    await stuck;
  });
});
