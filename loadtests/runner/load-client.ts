import { Pool } from 'undici';
import type { Operation } from '../workload.ts';
import { type ExchangeOutcome, exchange } from './exchange.ts';

/** Sends the runner's requests over keep-alive connections to one origin. */
export interface LoadClient {
  /** Sends one operation and calls `done` exactly once with its outcome; never throws. */
  exchange(operation: Operation, writeSeq: number, done: (outcome: ExchangeOutcome) => void): void;
  /** Fails every request still in flight and closes every connection. */
  destroy(): Promise<void>;
}

/** How a client connects: origin, connection cap and per-request timeout. */
export interface LoadClientOptions {
  baseUrl: string;
  connections: number;
  timeoutMs: number;
}

/** A LoadClient over undici's Pool (the reference implementation: a full HTTP client). */
export function undiciLoadClient(o: LoadClientOptions): LoadClient {
  const pool = new Pool(o.baseUrl, {
    connections: o.connections,
    pipelining: 1,
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
    connectTimeout: o.timeoutMs,
    keepAliveTimeout: 30_000,
  });
  return {
    exchange: (operation, writeSeq, done) => exchange(pool, operation, writeSeq, done),
    destroy: async () => {
      if (!pool.destroyed) await pool.destroy();
    },
  };
}
