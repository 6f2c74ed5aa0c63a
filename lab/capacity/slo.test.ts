import { describe, expect, it } from 'vitest';
import { DEFAULT_SLO, describeSlo, parseSlo, SloSyntaxError, sloBreaches } from './slo.ts';

describe('SLO', () => {
  it('parses latency bounds and an error share', () => {
    expect(parseSlo('p99=50ms,errors=0.1%')).toEqual(DEFAULT_SLO);
    expect(parseSlo(' p50 = 5 , p999=0.2s ')).toEqual({
      latencyMs: { p50: 5, p999: 200 },
      errorRate: 0.001,
    });
    expect(parseSlo('p95=20ms,errors=0.02')).toEqual({ latencyMs: { p95: 20 }, errorRate: 0.02 });
    expect(describeSlo(DEFAULT_SLO)).toBe('p99 ≤ 50 ms, errors ≤ 0.1%');
  });

  it.each([
    ['', /at least one bound/],
    ['p98=5ms', /unknown bound 'p98'/],
    ['p99', /expected key=value/],
    ['p99=fast', /duration like 50ms/],
    ['errors=150%', /share like 0.1%/],
    ['p99=-3ms', /duration/],
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => parseSlo(text)).toThrow(SloSyntaxError);
    expect(() => parseSlo(text)).toThrow(message);
  });

  it('lists every breach', () => {
    const latencyMs = { p50: 3, p90: 9, p95: 20, p99: 61.2, p999: 90 };
    expect(sloBreaches(DEFAULT_SLO, { latencyMs, errorRate: 0 })).toEqual(['p99 61.2 ms > 50 ms']);
    expect(sloBreaches(DEFAULT_SLO, { latencyMs, errorRate: 0.005 })).toHaveLength(2);
    expect(
      sloBreaches(DEFAULT_SLO, { latencyMs: { ...latencyMs, p99: 50 }, errorRate: 0.001 }),
    ).toEqual([]);
  });
});
