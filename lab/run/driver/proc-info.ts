import { readFileSync } from 'node:fs';

/**
 * Kernel start time of `pid` (field 22 of /proc/<pid>/stat, clock ticks since boot), or undefined when the
 * process does not exist or is a zombie. Together with the pid it identifies a process across pid reuse.
 */
export function processStartTime(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z') return undefined;
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : undefined;
}

/** True while the recorded process (same pid and same start time) is running. */
export function isRecordedAlive(record: { pid: number; startTime: number }): boolean {
  return processStartTime(record.pid) === record.startTime;
}
