import pg from 'pg';
import type { Logger } from '../../app/src/logger.ts';

/** The NOTIFY channel of services/postgres/schema/95-outbox.sql. */
export const OUTBOX_CHANNEL = 'cachelab_invalidations';

/** Reconnect delay of the LISTEN connection (polling covers the gap). */
const RECONNECT_MS = 500;

/** A LISTEN connection that calls `onNotify` per notification and reconnects after any failure. */
export interface NotifyListener {
  readonly listening: boolean;
  close(): Promise<void>;
}

/** Starts listening (in the background: a database that is down is retried every 500 ms). */
export function listenForInvalidations(options: {
  url: string;
  connectTimeoutMs: number;
  onNotify: () => void;
  /** Called each time LISTEN is (re)established: rows may have been committed meanwhile. */
  onListening: () => void;
  logger: Logger;
}): NotifyListener {
  let client: pg.Client | undefined;
  let listening = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = () => {
    const current = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: options.connectTimeoutMs,
      keepAlive: true,
      application_name: 'cachelab-invalidator-listen',
    });
    client = current;
    const lost = (error?: unknown) => {
      if (client !== current) return;
      client = undefined;
      listening = false;
      if (error !== undefined) options.logger.warn({ err: error }, 'outbox LISTEN connection lost');
      current.end().catch(() => {});
      if (!closed) retry = setTimeout(connect, RECONNECT_MS);
    };
    current.on('error', lost);
    current.on('end', () => lost());
    current.on('notification', () => options.onNotify());
    current
      .connect()
      .then(() => current.query(`LISTEN ${OUTBOX_CHANNEL}`))
      .then(() => {
        listening = true;
        options.onListening();
      })
      .catch(lost);
  };
  connect();
  return {
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      listening = false;
      await current?.end().catch(() => {});
    },
  };
}
