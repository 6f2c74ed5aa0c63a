import { describe, expect, it } from 'vitest';
import { parseProcStat } from './proc-cpu.ts';

describe('parseProcStat', () => {
  it('reads ppid and utime + stime (ticks → ms) past a command name with spaces and parens', () => {
    const line =
      '4242 (node (worker) x) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0';
    expect(parseProcStat(line)).toEqual({ ppid: 17, cpuMs: 3000 });
  });

  it('throws on a line it cannot read', () => {
    expect(() => parseProcStat('garbage')).toThrow(/bad \/proc stat/);
  });
});
