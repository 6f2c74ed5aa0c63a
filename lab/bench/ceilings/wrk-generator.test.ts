import { describe, expect, it } from 'vitest';
import { childrenCpuUs, parseWrkOutput, wrkScript } from './wrk-generator.ts';

// A shell's /proc/<pid>/stat: utime 1, stime 2, cutime 30, cstime 12 (ticks of 10 ms).
const STAT = '4242 (sh) S 1 4242 4242 0 -1 4194304 100 200 0 0 1 2 30 12 20 0 1 0 5 1000 100';

describe('wrk output', () => {
  it('reads the children’s CPU time from the wrapper shell’s stat line', () => {
    expect(childrenCpuUs(STAT)).toBe(420_000);
    expect(() => childrenCpuUs('garbage')).toThrow(/stat/);
  });

  it('turns the summary line into a load report (µs → ms, errors by class summed)', () => {
    const out = [
      'Running 5s test @ http://127.0.0.1:1',
      'WRK {"requests":50000,"durationUs":5000000,"p50Us":900,"p99Us":4100,"meanUs":1200.5,"errors":3,"non2xx":1}',
      `STAT ${STAT}`,
    ].join('\n');
    expect(parseWrkOutput(out)).toEqual({
      requests: 50_000,
      durationSec: 5,
      rps: 10_000,
      p50Ms: 0.9,
      p99Ms: 4.1,
      meanMs: 1.2005,
      errors: 3,
      non2xx: 1,
      generatorCpuUs: 420_000,
    });
  });

  it('says so when wrk printed no summary', () => {
    expect(() => parseWrkOutput('unable to connect')).toThrow(/no summary/);
  });

  it('paces only when asked: a closed-loop script defines no delay()', () => {
    expect(wrkScript({})).not.toMatch(/^delay = function/m);
    const paced = wrkScript({ ratePerSec: 4_000 });
    expect(paced).toMatch(/^delay = function/m);
    expect(paced.startsWith(wrkScript({}))).toBe(true);
  });
});
