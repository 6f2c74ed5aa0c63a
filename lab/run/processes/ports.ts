import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { NativeServiceError } from './process-errors.ts';

/** Redis Cluster's bus listens on the data port plus this offset. */
export const CLUSTER_BUS_OFFSET = 10_000;

const MIN_PORT = 10_000;
const MAX_ATTEMPTS = 200;
// Ports handed out by this process: a second caller must not get one before the first service binds it.
const handedOut = new Set<number>();

/** Options of freePort/freePorts. */
export interface FreePortOptions {
  /** Also require port + 10000 to be free (Redis Cluster bus port). */
  withBusPort?: boolean;
  host?: string;
}

/**
 * First port of the kernel's ephemeral range. We pick below it so that the port cannot be taken meanwhile
 * by the local end of an outgoing connection (which would break a restart on the same port).
 */
function ephemeralLow(): number {
  try {
    const low = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
    );
    return Number.isInteger(low) && low > MIN_PORT + 2 * CLUSTER_BUS_OFFSET ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/** True when `host:port` can be bound right now (nothing listens on it, on that address or 0.0.0.0). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function tryCandidate(port: number, host: string, withBus: boolean): Promise<boolean> {
  const ports = withBus ? [port, port + CLUSTER_BUS_OFFSET] : [port];
  if (ports.some((p) => handedOut.has(p))) return false;
  for (const p of ports) if (!(await isPortFree(p, host))) return false;
  for (const p of ports) handedOut.add(p);
  return true;
}

/** A free TCP port on `host` that this process has not handed out before (and port+10000 if asked). */
export async function freePort(host = '127.0.0.1', options: FreePortOptions = {}): Promise<number> {
  const withBus = options.withBusPort ?? false;
  const max = ephemeralLow() - 1 - (withBus ? CLUSTER_BUS_OFFSET : 0);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const port = MIN_PORT + Math.floor(Math.random() * (max - MIN_PORT + 1));
    if (await tryCandidate(port, host, withBus)) return port;
  }
  throw new NativeServiceError(
    'NO_FREE_PORT',
    `no free port on ${host} after ${MAX_ATTEMPTS} tries`,
  );
}

/** `n` distinct free ports; `{ withBusPort: true }` also keeps each port + 10000 free. */
export async function freePorts(n: number, options: FreePortOptions = {}): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < n; i++) ports.push(await freePort(options.host ?? '127.0.0.1', options));
  return ports;
}

/** Polls until nothing listens on `host:port` any more (after a stop); false when the deadline passes. */
export async function waitPortFree(port: number, timeoutMs = 5_000, host = '127.0.0.1') {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isPortFree(port, host)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return isPortFree(port, host);
}

/** True when a start failed because its port was taken meanwhile (another process won the race). */
export function isPortClash(error: unknown): boolean {
  return error instanceof Error && /address already in use/i.test(error.message);
}

/**
 * Calls `start` with `explicitPort`, or with fresh free ports until one does not clash (at most 3 tries):
 * between freePort() and the service's bind another process may take the port.
 */
export async function startOnFreePort<T>(
  explicitPort: number | undefined,
  start: (port: number) => Promise<T>,
  options: FreePortOptions = {},
): Promise<T> {
  if (explicitPort !== undefined) return start(explicitPort);
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort(options.host ?? '127.0.0.1', options));
    } catch (error) {
      if (attempt >= 3 || !isPortClash(error)) throw error;
    }
  }
}
