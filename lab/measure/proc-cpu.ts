import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat the bench reads. */
export interface ProcStat {
  ppid: number;
  /** utime + stime, in ms. */
  cpuMs: number;
}

/** Parses one /proc/<pid>/stat line (the command name may hold spaces and parentheses). */
export function parseProcStat(text: string): ProcStat {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: state, ppid, pgrp, session, tty, tpgid, flags, minflt, cminflt, majflt, cmajflt, utime, stime.
  const ppid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ppid) || !Number.isFinite(ticks)) throw new Error(`bad /proc stat: ${text}`);
  return { ppid, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
}

async function statOf(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // the process is gone (or never was): it used no CPU we can count
  }
}

/**
 * CPU time (user + system, ms) used so far by the given processes and their direct children
 * (nginx workers of a master), as the kernel counts it — independent of how busy the machine is.
 */
export async function cpuMsOf(pids: readonly number[]): Promise<number> {
  const roots = new Set(pids);
  const entries = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = await Promise.all(entries.map(async (pid) => ({ pid, stat: await statOf(pid) })));
  let total = 0;
  for (const { pid, stat } of stats) {
    if (stat !== undefined && (roots.has(pid) || roots.has(stat.ppid))) total += stat.cpuMs;
  }
  return total;
}
