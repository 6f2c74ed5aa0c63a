import { describe, expect, it } from 'vitest';
import { calibrateNetwork } from '../lab/measure/network/calibrate.ts';
import { formatCalibration } from '../lab/measure/network/calibrate-command.ts';
import { networkResultSchema } from '../lab/report/network-schema.ts';
import { hopDelays } from '../lab/topology/network.ts';

// `cachelab net calibrate` against real Redis, Postgres and an app server: every hop measured and
// reported against its configured round trip (accuracy itself is a benchmark figure, not asserted).

describe('net calibrate', () => {
  it('measures every hop of a profile, with the proxy CPU, in the shape results.json keeps', async () => {
    const calibration = await calibrateNetwork({ profile: 'lan' }, 60);
    expect(calibration.hops.map((h) => [h.hop, h.probe, h.configuredRttMs])).toEqual([
      ['app-redis', 'redis PING', 0.1],
      ['app-postgres', 'postgres SELECT 1', 0.1],
      ['nginx-app', 'http GET /healthz', 0.1],
    ]);
    for (const hop of calibration.hops) {
      expect(Number.isFinite(hop.addedP50Ms) && Number.isFinite(hop.addedP99Ms)).toBe(true);
      expect(hop.directP50Ms).toBeGreaterThan(0);
      expect(hop.toleranceMs).toBe(0.05);
      expect(typeof hop.withinTolerance).toBe('boolean');
    }
    expect(calibration.proxyCpuUsPerMessage).toBeGreaterThan(0);
    expect(calibration.proxyOverheadMs).toBeGreaterThanOrEqual(0);
    expect(calibration.proxyOverheadMs).toBeLessThan(1);
    const stored = { profile: 'lan', hops: hopDelays({ profile: 'lan' }), calibration };
    expect(networkResultSchema.safeParse(stored).success).toBe(true);
    expect(formatCalibration(calibration)).toContain('app-postgres  postgres SELECT 1');
  });
});
