import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { NativeServiceError } from './process-errors.ts';

const EXTRA_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const cache = new Map<string, string>();

/** A required system binary is not installed; `installCommand` is the exact command that fixes it. */
export class MissingBinaryError extends NativeServiceError {
  readonly binary: string;
  readonly packages: readonly string[];
  readonly installCommand: string;

  constructor(binary: string, packages: readonly string[]) {
    const installCommand = `apt-get install -y ${packages.join(' ')}`;
    super(
      'BINARY_MISSING',
      `${binary} not found. Install it with: ${installCommand} ` +
        '(or run scripts/install-system-deps.sh all, which installs every package the lab needs)',
      { details: { binary, packages } },
    );
    this.name = 'MissingBinaryError';
    this.binary = binary;
    this.packages = packages;
    this.installCommand = installCommand;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds `name` on PATH (plus the sbin dirs a non-login root shell may miss); throws MissingBinaryError. */
export function findBinary(name: string, packages: readonly string[]): string {
  const cached = cache.get(name);
  if (cached) return cached;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  const found = dirs.map((dir) => join(dir, name)).find(isExecutable);
  if (!found) throw new MissingBinaryError(name, packages);
  cache.set(name, found);
  return found;
}

function pgConfigBinDir(): string | undefined {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: 'pipe' }).trim();
    return isExecutable(join(dir, 'initdb')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

function newestDebianBinDir(): string | undefined {
  let versions: string[];
  try {
    versions = readdirSync('/usr/lib/postgresql');
  } catch {
    return undefined;
  }
  return versions
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => `/usr/lib/postgresql/${v}/bin`)
    .find((dir) => isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'postgres')));
}

/** The directory holding initdb/postgres (Debian layout first, then `pg_config --bindir`). */
export function postgresBinDir(): string {
  const cached = cache.get('<postgres-bindir>');
  if (cached) return cached;
  const dir = newestDebianBinDir() ?? pgConfigBinDir();
  if (!dir) throw new MissingBinaryError('initdb/postgres', ['postgresql', 'postgresql-contrib']);
  cache.set('<postgres-bindir>', dir);
  return dir;
}

/** Absolute path of redis-server. */
export const redisServerBin = (): string => findBinary('redis-server', ['redis-server']);
/** Absolute path of redis-cli. */
export const redisCliBin = (): string => findBinary('redis-cli', ['redis-tools']);
/** Absolute path of nginx. */
export const nginxBin = (): string => findBinary('nginx', ['nginx']);
/** Absolute path of prometheus. */
export const prometheusBin = (): string => findBinary('prometheus', ['prometheus']);
/** Absolute path of the Redis exporter for Prometheus. */
export const redisExporterBin = (): string =>
  findBinary('prometheus-redis-exporter', ['prometheus-redis-exporter']);
/** Absolute path of the Postgres exporter for Prometheus. */
export const postgresExporterBin = (): string =>
  findBinary('prometheus-postgres-exporter', ['prometheus-postgres-exporter']);
/** Absolute path of the nginx exporter for Prometheus. */
export const nginxExporterBin = (): string =>
  findBinary('prometheus-nginx-exporter', ['prometheus-nginx-exporter']);
