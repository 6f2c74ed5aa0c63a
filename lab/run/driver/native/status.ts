import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from '../../../lab-errors.ts';
import { canConnect, httpStatus } from '../../processes/net-checks.ts';
import { readLogTail } from '../../processes/process-registry.ts';
import type { LabState, LabStatus, ServiceRecord, ServiceStatus } from '../driver-types.ts';
import { isRecordedAlive } from '../proc-info.ts';

async function serviceStatus(record: ServiceRecord): Promise<ServiceStatus> {
  const checks = await Promise.all(record.ports.map((port) => canConnect(port, '127.0.0.1', 500)));
  return {
    name: record.name,
    role: record.role,
    pid: record.pid,
    alive: isRecordedAlive(record),
    listening: record.ports.filter((_, i) => checks[i]),
    ports: record.ports,
  };
}

async function serving(httpUrl: string): Promise<boolean> {
  try {
    return (await httpStatus(`${httpUrl}/healthz`, 2_000)) === 200;
  } catch {
    return false; // not answering is exactly what this probe reports
  }
}

/** Probes every recorded service (pid alive, ports accepting) and GET /healthz through nginx. */
export async function probeStatus(state: LabState): Promise<LabStatus> {
  const services = await Promise.all(state.services.map(serviceStatus));
  return { state, services, serving: await serving(state.httpUrl) };
}

/** Names of the logs of a run: `<runDir>/logs/<name>.log`. */
export async function logNames(runDir: string): Promise<string[]> {
  const entries = await readdir(join(runDir, 'logs'));
  return entries
    .filter((f) => f.endsWith('.log'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** The last `lines` lines of one log (by service name), or of every log with a header each. */
export async function readLogs(state: LabState, service?: string, lines = 40): Promise<string> {
  const names = await logNames(state.runDir);
  const path = (name: string): string => join(state.runDir, 'logs', `${name}.log`);
  if (service !== undefined) {
    if (!names.includes(service)) {
      throw new LabError('USAGE', `no log named '${service}'; logs: ${names.join(', ')}`);
    }
    return readLogTail(path(service), lines);
  }
  return names.map((name) => `==> ${name} <==\n${readLogTail(path(name), lines)}\n`).join('\n');
}
