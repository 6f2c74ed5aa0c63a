import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postgresBinDir } from './binaries.ts';
import { chownTo, type OsUser, postgresOsUser } from './os-user.ts';
import { freePort } from './ports.ts';
import { spawnPostgres, waitPostgresReady } from './postgres-server.ts';
import { runCommand } from './run-command.ts';

/** Bump when the template's contents (roles, extensions, initdb flags) change. */
const TEMPLATE_REVISION = 1;
/** Password of the `postgres` superuser in every lab cluster (only reachable on 127.0.0.1). */
export const ADMIN_PASSWORD = 'postgres';

const SETUP_SQL = [
  "CREATE ROLE cachelab LOGIN PASSWORD 'cachelab'",
  'GRANT pg_monitor TO cachelab',
  'CREATE DATABASE cachelab OWNER cachelab',
];

let pending: Promise<string> | undefined;

/**
 * Path of a ready data directory (role/db cachelab, pg_stat_statements) to copy. initdb runs once per machine
 * into os.tmpdir()/cachelab-pg-template-<version>-r<rev>-u<uid>; copying it is ~10× faster than initdb.
 */
export function postgresTemplate(): Promise<string> {
  pending ??= ensureTemplate().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

async function ensureTemplate(): Promise<string> {
  const bin = postgresBinDir();
  const { stdout } = await runCommand(join(bin, 'postgres'), ['--version']);
  const version = /(\d+(?:\.\d+)?)/.exec(stdout)?.[1] ?? 'unknown';
  const user = postgresOsUser();
  const uid = user?.uid ?? process.getuid?.() ?? 0;
  const final = join(tmpdir(), `cachelab-pg-template-${version}-r${TEMPLATE_REVISION}-u${uid}`);
  if (existsSync(join(final, 'data', 'PG_VERSION'))) return join(final, 'data');
  const work = await mkdtemp(`${final}.tmp-`);
  try {
    await chownTo(work, user);
    await initdb(bin, work, user);
    await setupTemplate(work, user);
    await rm(join(work, 'template.log'), { force: true });
    // Atomic publish; if a concurrent process won the race, its template is as good as ours.
    await rename(work, final).catch((error: unknown) => {
      if (!existsSync(join(final, 'data', 'PG_VERSION'))) throw error;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return join(final, 'data');
}

async function initdb(bin: string, work: string, user: OsUser | undefined): Promise<void> {
  const pwfile = join(work, 'pwfile');
  await writeFile(pwfile, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
  await chownTo(pwfile, user);
  const args = ['-D', join(work, 'data'), '-U', 'postgres', `--pwfile=${pwfile}`];
  args.push('--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C');
  // --no-sync: the template is a cache; a crash mid-write is caught by the PG_VERSION check + rebuild.
  args.push('--no-sync');
  await runCommand(join(bin, 'initdb'), args, { cwd: work, uid: user?.uid, gid: user?.gid });
  await rm(pwfile);
}

async function setupTemplate(work: string, user: OsUser | undefined): Promise<void> {
  const port = await freePort();
  const dataDir = join(work, 'data');
  const proc = await spawnPostgres({
    name: 'template',
    runDir: work,
    dataDir,
    socketDir: work,
    port,
    user,
  });
  try {
    const admin = { host: work, port, user: 'postgres' };
    await waitPostgresReady(proc, { ...admin, database: 'postgres' });
    await runSql({ ...admin, database: 'postgres' }, SETUP_SQL);
    await runSql({ ...admin, database: 'cachelab' }, ['CREATE EXTENSION pg_stat_statements']);
  } finally {
    await proc.stop();
  }
}

async function runSql(config: pg.ClientConfig, statements: readonly string[]): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}
