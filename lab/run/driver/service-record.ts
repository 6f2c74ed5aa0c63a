import { mkdir, rm, symlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LabError } from '../../lab-errors.ts';
import type { ServiceRecord, ServiceRole } from './driver-types.ts';
import { processStartTime } from './proc-info.ts';

/** The parts of a native handle a record is built from. */
export interface ProcessInfo {
  pid: number;
  logPath: string;
}

/** Builds the state-file record of a freshly started process (its start time guards against pid reuse). */
export function recordOf(
  name: string,
  role: ServiceRole,
  proc: ProcessInfo,
  ports: number[],
  stopSignal: ServiceRecord['stopSignal'] = 'SIGTERM',
): ServiceRecord {
  const startTime = processStartTime(proc.pid);
  if (startTime === undefined) {
    throw new LabError('UP_FAILED', `${name} (pid ${proc.pid}) exited right after it started`, {
      details: { logPath: proc.logPath },
    });
  }
  return { name, role, pid: proc.pid, startTime, ports, stopSignal, logPath: proc.logPath };
}

/** Links `<logsDir>/<name>.log` to a log file written elsewhere in the run folder (relative link). */
export async function linkLog(logsDir: string, name: string, target: string): Promise<void> {
  await mkdir(logsDir, { recursive: true });
  const link = join(logsDir, `${name}.log`);
  await symlink(relative(logsDir, target), link);
}

/**
 * Deletes the bulky data of a stopped run (the Postgres cluster is ~350 MB at 10k users, plus the disk
 * caches) and keeps its logs and configs, so repeated `up`/`down` cycles do not fill the disk.
 */
export async function removeRunData(runDir: string): Promise<void> {
  const services = join(runDir, 'services');
  await rm(join(services, 'postgres', 'data'), { recursive: true, force: true });
  await rm(join(services, 'disk-cache'), { recursive: true, force: true });
}
