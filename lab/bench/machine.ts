import { cpus, loadavg, platform, release, totalmem } from 'node:os';

/** What the figures were measured on; saved beside every result file. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the part started: a busy machine makes every figure worse. */
  loadavg1m: number;
}

/** Describes this machine (CPU model, cores, memory, Node version, OS, load). */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
    loadavg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** One line for the printed header. */
export function describeMachine(info: MachineInfo): string {
  return `${info.cpuModel}, ${info.cores} cores, ${info.memoryGiB} GiB, Node ${info.node}, ${info.os}, load ${info.loadavg1m}`;
}
