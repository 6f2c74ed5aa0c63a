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

/**
 * Runs `connections` closed loops of PINGs for `seconds` (each connection sends its next PING when
 * the PONG arrives; no timer per request); returns the completed round trips.
 */
export async function pingThroughput(port: number, connections: number, seconds: number) {
  const sockets = await Promise.all(
    Array.from({ length: connections }, async () => {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      return socket;
    }),
  );
  let pairs = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await new Promise<void>((resolve, reject) => {
    let running = connections;
    const watchdog = setTimeout(
      () => reject(new Error('PING loop stalled')),
      seconds * 1000 + 5_000,
    );
    for (const socket of sockets) {
      let owed = PONG_BYTES;
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        owed -= chunk.length;
        if (owed > 0) return;
        pairs++;
        if (performance.now() < deadline) {
          owed = PONG_BYTES;
          socket.write(PING);
        } else if (--running === 0) {
          clearTimeout(watchdog);
          resolve();
        }
      });
      socket.write(PING);
    }
  });
  const elapsedS = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.destroy();
  return { pairs, elapsedS, pairsPerSecond: pairs / elapsedS };
}

/** p50 and p99 of `values` (ms). */
export function percentiles(values: readonly number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}
