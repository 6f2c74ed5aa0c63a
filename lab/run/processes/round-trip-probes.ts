import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import pg from 'pg';

/** One request/response over a kept-open connection, timed in ms; `close` ends the connection. */
export interface Probe {
  once(): Promise<number>;
  close(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 5_000;

function timed<T>(run: () => Promise<T>): Promise<number> {
  const started = performance.now();
  return run().then(() => performance.now() - started);
}

function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out`)), PROBE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Redis PING on one raw connection. */
export async function redisPingProbe(port: number): Promise<Probe> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await bounded(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    }),
    `connect to 127.0.0.1:${port}`,
  );
  socket.on('error', () => {});
  return {
    once: () =>
      timed(() =>
        bounded(
          new Promise<void>((resolve) => {
            let owed = 7;
            const onData = (chunk: Buffer): void => {
              owed -= chunk.length;
              if (owed > 0) return;
              socket.off('data', onData);
              resolve();
            };
            socket.on('data', onData);
            socket.write('PING\r\n');
          }),
          'PING',
        ),
      ),
    close: async () => void socket.destroy(),
  };
}

/** Postgres `SELECT 1` on one connection. */
export async function postgresProbe(connectionString: string): Promise<Probe> {
  const client = new pg.Client({ connectionString, query_timeout: PROBE_TIMEOUT_MS });
  await bounded(client.connect(), 'postgres connect');
  return {
    once: () => timed(() => client.query('SELECT 1')),
    close: () => client.end(),
  };
}

/** HTTP GET `path` (default /healthz) on one kept-alive connection; anything but 200 fails. */
export async function httpProbe(port: number, path = '/healthz'): Promise<Probe> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, agent, timeout: PROBE_TIMEOUT_MS },
        (res) => {
          res.resume();
          res.once('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`${path} ${res.statusCode}`)),
          );
        },
      );
      req.once('timeout', () => req.destroy(new Error(`${path} timed out`)));
      req.once('error', reject);
      req.end();
    });
  await get();
  return { once: () => timed(get), close: async () => agent.destroy() };
}

/** Percentile `q` (0..1) of values. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/**
 * Added round trip of `proxied` over `direct`: samples alternate between the two so both see the
 * same machine load; returns p50 and p99 differences (ms).
 */
export async function addedRoundTrip(direct: Probe, proxied: Probe, samples: number, warmUp = 50) {
  const straight: number[] = [];
  const through: number[] = [];
  for (let i = 0; i < warmUp + samples; i++) {
    const a = await direct.once();
    const b = await proxied.once();
    if (i < warmUp) continue;
    straight.push(a);
    through.push(b);
  }
  return {
    p50Ms: percentile(through, 0.5) - percentile(straight, 0.5),
    p99Ms: percentile(through, 0.99) - percentile(straight, 0.99),
    directP50Ms: percentile(straight, 0.5),
  };
}
