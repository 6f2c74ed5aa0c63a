import { connect, type Socket } from 'node:net';

const PING = Buffer.from('PING\r\n');
const PONG_BYTES = 7;

/** A Redis connection that sends PINGs one at a time and times each round trip. */
export interface PingConnection {
  /** One PING round trip, in ms. */
  ping(): Promise<number>;
  close(): void;
}

/** Opens a connection to 127.0.0.1:port (no Nagle). */
export async function pingConnection(port: number): Promise<PingConnection> {
  const socket: Socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let pending = 0;
  let waiter: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    pending -= chunk.length;
    if (pending <= 0 && waiter) {
      const done = waiter;
      waiter = undefined;
      done();
    }
  });
  socket.on('error', () => {});
  return {
    ping() {
      const started = performance.now();
      pending += PONG_BYTES;
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('PING timed out after 5 s')), 5_000);
        waiter = () => {
          clearTimeout(timer);
          resolve(performance.now() - started);
        };
        socket.write(PING);
      });
    },
    close: () => socket.destroy(),
  };
}

/** Runs `connections` closed loops of PINGs for `seconds`; returns the completed round trips. */
export async function pingThroughput(port: number, connections: number, seconds: number) {
  const clients = await Promise.all(
    Array.from({ length: connections }, () => pingConnection(port)),
  );
  const deadline = performance.now() + seconds * 1000;
  let pairs = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        await client.ping();
        pairs++;
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  for (const client of clients) client.close();
  return { pairs, elapsedS, pairsPerSecond: pairs / elapsedS };
}

/** p50 and p99 of `values` (ms). */
export function percentiles(values: readonly number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}
