import { LabError } from '../../lab-errors.ts';
import { isPortFree, waitPortFree } from '../processes/ports.ts';
import type { ProgressListener, ServiceRecord, ServiceRole } from './driver-types.ts';
import { isRecordedAlive } from './proc-info.ts';

/** Stop order: the front door first, so no new work reaches what stops next; the database last. */
export const STOP_ORDER: readonly ServiceRole[] = [
  'observer',
  'nginx',
  'app',
  'invalidator',
  'network',
  'redis',
  'postgres',
];

// App servers drain for up to SHUTDOWN_GRACE_MS (10 s by default); Postgres fast shutdown is quick.
const GRACE_MS: Record<ServiceRole, number> = {
  observer: 5_000,
  nginx: 5_000,
  app: 12_000,
  invalidator: 5_000,
  network: 5_000,
  redis: 5_000,
  postgres: 15_000,
};

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    // ESRCH: already gone (or the group is empty), which is the state we want.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function waitDead(record: ServiceRecord, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRecordedAlive(record)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Stops one recorded process: its graceful signal, a grace period, then SIGKILL to its process group. */
export async function stopRecordedProcess(record: ServiceRecord): Promise<void> {
  if (isRecordedAlive(record)) {
    send(record.pid, record.stopSignal);
    if (!(await waitDead(record, GRACE_MS[record.role]))) send(record.pid, 'SIGKILL');
  }
  // Always sweep the group: nginx workers or Postgres backends can outlive their leader.
  send(-record.pid, 'SIGKILL');
  if (!(await waitDead(record, 5_000))) {
    throw new LabError('STOP_FAILED', `${record.name} (pid ${record.pid}) survived SIGKILL`);
  }
}

/** Throws STOP_FAILED naming every recorded port that still accepts connections after `timeoutMs`. */
export async function assertPortsFree(records: readonly ServiceRecord[], timeoutMs = 5_000) {
  const ports = records.flatMap((r) => r.ports.map((port) => ({ name: r.name, port })));
  const busy = [];
  for (const entry of ports) if (!(await waitPortFree(entry.port, timeoutMs))) busy.push(entry);
  if (busy.length > 0) {
    const list = busy.map((b) => `${b.name}:${b.port}`).join(', ');
    throw new LabError('STOP_FAILED', `ports still in use after stop: ${list}`, {
      details: { busy },
    });
  }
}

/** Stops recorded services role by role (STOP_ORDER), in parallel within a role, then checks the ports. */
export async function stopRecorded(
  records: readonly ServiceRecord[],
  onProgress?: ProgressListener,
): Promise<void> {
  const roles = STOP_ORDER.filter((role) => records.some((r) => r.role === role));
  const failures: unknown[] = [];
  for (const [i, role] of roles.entries()) {
    const group = records.filter((r) => r.role === role);
    const event = { step: i + 1, total: roles.length, label: `stop ${role} (${group.length})` };
    onProgress?.({ ...event, phase: 'start' });
    const started = performance.now();
    const results = await Promise.allSettled(group.map(stopRecordedProcess));
    for (const r of results) if (r.status === 'rejected') failures.push(r.reason);
    onProgress?.({ ...event, phase: 'done', ms: performance.now() - started });
  }
  if (failures.length > 0) {
    throw new LabError('STOP_FAILED', `${failures.length} service(s) could not be stopped`, {
      cause: new AggregateError(failures),
    });
  }
  await assertPortsFree(records);
}

/** What is still there after a stop: recorded processes alive and recorded ports accepting binds. */
export interface Leftovers {
  alive: string[];
  busyPorts: number[];
}

/** Lists recorded processes still alive and recorded ports still taken (empty lists: nothing left). */
export async function findLeftovers(records: readonly ServiceRecord[]): Promise<Leftovers> {
  const alive = records.filter(isRecordedAlive).map((r) => `${r.name}(${r.pid})`);
  const busyPorts: number[] = [];
  for (const port of records.flatMap((r) => r.ports)) {
    if (!(await isPortFree(port))) busyPorts.push(port);
  }
  return { alive, busyPorts };
}
