import { readFileSync } from 'node:fs';
import { chown } from 'node:fs/promises';
import { NativeServiceError } from './process-errors.ts';

/** A numeric uid/gid pair to run a child process as. */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

/** True when this process runs as root. */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Looks `name` up in /etc/passwd; throws START_FAILED if the account does not exist. */
export function lookupUser(name: string): OsUser {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const fields = line?.split(':');
  if (!fields || fields.length < 4) {
    throw new NativeServiceError(
      'START_FAILED',
      `OS user ${name} not found (apt-get install -y postgresql)`,
    );
  }
  return { name, uid: Number(fields[2]), gid: Number(fields[3]) };
}

/**
 * The account Postgres must run as: the `postgres` OS user when we are root (the server refuses to run as
 * root), otherwise undefined (run as ourselves).
 */
export function postgresOsUser(): OsUser | undefined {
  return isRoot() ? lookupUser('postgres') : undefined;
}

/** Gives `path` to `user` (no-op when user is undefined). */
export async function chownTo(path: string, user: OsUser | undefined): Promise<void> {
  if (user) await chown(path, user.uid, user.gid);
}
