import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManagedProcess } from './managed-process.ts';
import { chownTo, type OsUser, postgresOsUser } from './os-user.ts';
import { startOnFreePort } from './ports.ts';
import { type PostgresSettings, spawnPostgres, waitPostgresReady } from './postgres-server.ts';
import { ADMIN_PASSWORD, postgresTemplate } from './postgres-template.ts';
import { runCommand } from './run-command.ts';

export type { PostgresSettings } from './postgres-server.ts';

/** Options of startPostgres. */
export interface StartPostgresOptions {
  runDir: string;
  /** Fixed port; default: a free one. */
  port?: number;
  /** Extra server settings (`-c name=value`), e.g. { shared_buffers: '256MB' }. */
  settings?: PostgresSettings;
  /** Sub-directory and log name inside runDir. Default 'postgres'. */
  name?: string;
  startTimeoutMs?: number;
}

/** A running Postgres server with role/database `cachelab` and pg_stat_statements. */
export interface PostgresHandle {
  port: number;
  pid: number;
  /** postgres://cachelab:cachelab@127.0.0.1:PORT/cachelab */
  url: string;
  /** Superuser on the cachelab database: postgres://postgres:postgres@127.0.0.1:PORT/cachelab */
  adminUrl: string;
  dataDir: string;
  logPath: string;
  /** Fast shutdown (SIGINT), SIGKILL after 15 s. */
  stop(): Promise<void>;
  /** SIGKILL of the postmaster and every backend. */
  kill(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Copies the template into `<runDir>/<name>/data`, owned by the account postgres runs as. */
async function prepareDataDir(dir: string, user: OsUser | undefined): Promise<string> {
  const template = await postgresTemplate();
  const dataDir = join(dir, 'data');
  await mkdir(dir, { recursive: true });
  await chownTo(dir, user);
  await runCommand('cp', ['-a', template, dataDir], { uid: user?.uid, gid: user?.gid, cwd: dir });
  return dataDir;
}

function postgresHandle(port: number, dataDir: string, proc: ManagedProcess): PostgresHandle {
  const stop = async (): Promise<void> => void (await proc.stop());
  return {
    port,
    pid: proc.pid,
    url: `postgres://cachelab:cachelab@127.0.0.1:${port}/cachelab`,
    adminUrl: `postgres://postgres:${ADMIN_PASSWORD}@127.0.0.1:${port}/cachelab`,
    dataDir,
    logPath: proc.logPath,
    stop,
    kill: async () => void (await proc.kill()),
    [Symbol.asyncDispose]: stop,
  };
}

/** Starts a throwaway Postgres on 127.0.0.1 (copied from the per-machine template) and waits until it serves. */
export async function startPostgres(options: StartPostgresOptions): Promise<PostgresHandle> {
  const name = options.name ?? 'postgres';
  const dir = join(options.runDir, name);
  const user = postgresOsUser();
  const dataDir = await prepareDataDir(dir, user);
  return startOnFreePort(options.port, async (port) => {
    const base = { name, runDir: options.runDir, dataDir, socketDir: dir, port, user };
    const proc = await spawnPostgres({ ...base, settings: options.settings });
    const url = `postgres://cachelab:cachelab@127.0.0.1:${port}/cachelab`;
    try {
      await waitPostgresReady(proc, { connectionString: url }, options.startTimeoutMs);
    } catch (error) {
      await proc.kill();
      throw error;
    }
    return postgresHandle(port, dataDir, proc);
  });
}
