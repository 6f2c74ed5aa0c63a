import { execFile } from 'node:child_process';
import { arch, availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { nginxBin } from '../../run/processes/binaries.ts';
import { postgresVersion } from './postgres-stats.ts';
import { parseRedisInfo, redisInfo } from './redis-info.ts';
import { ScrapeError } from './scrape-error.ts';

const run = promisify(execFile);

/** The machine a comparison ran on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  platform: string;
  osRelease: string;
  arch: string;
}

/** Versions of the software under test (null when the run never started that service). */
export interface SoftwareVersions {
  node: string;
  postgres: string | null;
  redis: string | null;
  nginx: string | null;
}

/** CPU model, core count, memory and OS of this machine. */
export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    platform: platform(),
    osRelease: release(),
    arch: arch(),
  };
}

/** Extracts "1.22.1" from `nginx -v` output ("nginx version: nginx/1.22.1"). */
export function parseNginxVersion(text: string): string | null {
  return /nginx\/(\S+)/.exec(text)?.[1] ?? null;
}

/** The nginx version (nginx -v prints to stderr); ScrapeError when nginx cannot be run. */
export async function nginxVersion(): Promise<string | null> {
  try {
    const { stdout, stderr } = await run(nginxBin(), ['-v'], { timeout: 5_000 });
    return parseNginxVersion(`${stderr}${stdout}`);
  } catch (error) {
    throw new ScrapeError('version', 'could not run nginx -v', error);
  }
}

/** redis_version of a running node. */
export async function redisVersion(
  host: string,
  port: number,
  password?: string,
): Promise<string | null> {
  try {
    return parseRedisInfo(await redisInfo(host, port, ['server'], password)).redis_version ?? null;
  } catch (error) {
    throw new ScrapeError('version', `could not read the version of redis at port ${port}`, error);
  }
}

/** server_version of a running Postgres. */
export async function readPostgresVersion(url: string): Promise<string> {
  try {
    return await postgresVersion(url);
  } catch (error) {
    throw new ScrapeError('version', 'could not read the Postgres version', error);
  }
}
