import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type CostReading, procCostProbe, windowCost } from './component-cost.ts';
import {
  type ProcTimes,
  parseProcTimes,
  parsePssBytes,
  treeCpuMs,
  treeOf,
} from './process-tree.ts';

const stat = (pid: number, name: string, ppid: number, ticks: [number, number, number, number]) =>
  `${pid} (${name}) S ${ppid} 1 1 0 -1 4194560 100 0 0 0 ${ticks.join(' ')} 20 0 1 0 5 1000 100`;

describe('process trees from /proc', () => {
  it('parses ppid and user + system + reaped children time, names with spaces and parens', () => {
    expect(parseProcTimes(stat(42, 'postgres: a (b) c', 7, [10, 5, 3, 2]))).toEqual({
      ppid: 7,
      cpuMs: 200,
    });
    expect(() => parseProcTimes('garbage')).toThrow(/bad \/proc stat/);
  });

  it('reads PSS from smaps_rollup', () => {
    expect(parsePssBytes('Rss:   2048 kB\nPss:   1024 kB\nShared_Clean: 1 kB\n')).toBe(1024 * 1024);
    expect(parsePssBytes('Rss: 1 kB\n')).toBeUndefined();
  });

  it('walks every descendant of a root and sums their time', () => {
    const table = new Map<number, ProcTimes>([
      [1, { ppid: 0, cpuMs: 1000 }],
      [10, { ppid: 1, cpuMs: 50 }],
      [11, { ppid: 10, cpuMs: 20 }],
      [12, { ppid: 10, cpuMs: 5 }],
      [13, { ppid: 11, cpuMs: 1 }],
      [20, { ppid: 1, cpuMs: 400 }],
    ]);
    expect(treeOf(table, 10).sort()).toEqual([10, 11, 12, 13]);
    expect(treeCpuMs(table, treeOf(table, 10))).toBe(76);
    expect(treeOf(table, 99)).toEqual([]);
  });

  it('counts the CPU of a child that ran and exited inside the window', async () => {
    const probe = procCostProbe([{ component: 'self', tier: 'generator', pid: process.pid }]);
    const before = await probe.read();
    // Spins until it has used 300 ms of CPU (not wall time: the machine is shared).
    const busy = 'while (process.cpuUsage().user + process.cpuUsage().system < 300000) {}';
    await promisify(execFile)(process.execPath, ['-e', busy], { timeout: 30_000 });
    const after = await probe.read();
    const used = (after.components[0]?.cpuMs ?? 0) - (before.components[0]?.cpuMs ?? 0);
    expect(used).toBeGreaterThanOrEqual(300);
    expect(after.components[0]?.memoryBytes).toBeGreaterThan(10 * 1024 * 1024);
  });
});

describe('windowCost', () => {
  const reading = (at: number, cpu: Record<string, number>): CostReading => ({
    at,
    components: [
      { component: 'nginx', tier: 'nginx', cpuMs: cpu.nginx ?? 0, memoryBytes: 8 * 2 ** 20 },
      { component: 'app-1', tier: 'app', cpuMs: cpu.app1 ?? 0, memoryBytes: 100 * 2 ** 20 },
      { component: 'app-2', tier: 'app', cpuMs: cpu.app2 ?? 0, memoryBytes: 100 * 2 ** 20 },
      { component: 'redis-1', tier: 'redis', cpuMs: cpu.redis ?? 0, memoryBytes: 4 * 2 ** 20 },
    ],
  });

  it('turns CPU differences into µs per request, per component and per tier', () => {
    const start = reading(1000, { nginx: 100, app1: 500, app2: 700, redis: 10 });
    const end = reading(3000, { nginx: 300, app1: 1500, app2: 1900, redis: 60 });
    const generator = {
      workers: 1,
      cpuMs: 400,
      cpuUsPerRequest: 40,
      coresUsed: 0.2,
      maxEventLoopUtilization: 0.3,
    };
    const cost = windowCost('proc', start, end, 10_000, {
      generator,
      generatorMemoryBytes: 50 * 2 ** 20,
    });
    expect(cost.seconds).toBe(2);
    expect(cost.components.map((c) => [c.component, c.cpuUsPerRequest])).toEqual([
      ['generator', 40],
      ['nginx', 20],
      ['app-1', 100],
      ['app-2', 120],
      ['redis-1', 5],
    ]);
    expect(cost.tiers).toEqual([
      { tier: 'generator', cpuUsPerRequest: 40, memoryMB: 50 },
      { tier: 'nginx', cpuUsPerRequest: 20, memoryMB: 8 },
      { tier: 'app', cpuUsPerRequest: 220, memoryMB: 200 },
      { tier: 'redis', cpuUsPerRequest: 5, memoryMB: 4 },
    ]);
    expect(cost.totalCpuUsPerRequest).toBe(285);
  });

  it('reports nothing per request for an empty window', () => {
    const cost = windowCost('proc', reading(0, {}), reading(1000, { app1: 5 }), 0, {});
    expect(cost.totalCpuUsPerRequest).toBe(0);
  });
});
