import { join } from 'node:path';
import pg from 'pg';
import { postgresBinDir } from './binaries.ts';
import { type ManagedProcess, spawnManaged, waitUntil } from './managed-process.ts';
import type { OsUser } from './os-user.ts';

/** Extra `-c name=value` server settings. */
export type PostgresSettings = Record<string, string | number | boolean>;

// The socket path (dir + '/.s.PGSQL.NNNNN') must fit in sun_path (108 bytes with the NUL).
const MAX_SOCKET_DIR = 107 - '/.s.PGSQL.65535'.length;

/**
 * Lab defaults. fsync/synchronous_commit/full_page_writes are off because the data is throwaway and the lab
 * measures where the cache lives, not how fast this VM's disk flushes: with them on, every write benchmark
 * would mostly measure fsync latency.
 */
function baseSettings(port: number, socketDir: string): PostgresSettings {
  return {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: socketDir.length <= MAX_SOCKET_DIR ? socketDir : '',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_preload_libraries: 'pg_stat_statements',
    max_connections: 200,
  };
}

/** Options of spawnPostgres. */
export interface SpawnPostgresOptions {
  name: string;
  runDir: string;
  dataDir: string;
  socketDir: string;
  port: number;
  user: OsUser | undefined;
  settings?: PostgresSettings;
}

/** Spawns `postgres -D dataDir` with the lab settings; SIGINT (fast shutdown) is its graceful stop. */
export function spawnPostgres(opts: SpawnPostgresOptions): Promise<ManagedProcess> {
  const settings = { ...baseSettings(opts.port, opts.socketDir), ...opts.settings };
  const args = ['-D', opts.dataDir];
  for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${String(value)}`);
  return spawnManaged({
    name: opts.name,
    command: join(postgresBinDir(), 'postgres'),
    args,
    runDir: opts.runDir,
    cwd: opts.socketDir,
    uid: opts.user?.uid,
    gid: opts.user?.gid,
    // SIGTERM would be a "smart" shutdown that waits for every client (e.g. an idle pool) to disconnect.
    stopSignal: 'SIGINT',
    stopTimeoutMs: 15_000,
  });
}

/** Waits until `config` can connect and run SELECT 1 (fails fast, with the log tail, if postgres dies). */
export async function waitPostgresReady(
  proc: ManagedProcess,
  config: pg.ClientConfig,
  timeoutMs = 30_000,
): Promise<void> {
  await waitUntil(`postgres on port ${String(config.port ?? '')}`, () => canQuery(config), {
    timeoutMs,
    intervalMs: 20,
    proc,
  });
}

async function canQuery(config: pg.ClientConfig): Promise<boolean> {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {}); // a backend killed mid-check must not crash the process
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}
