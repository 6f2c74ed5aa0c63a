import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrationPath, loadNetwork } from './load-network.ts';

describe('the network a load records', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'load-network-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records loopback without a proxy or calibration', async () => {
    const network = await loadNetwork('loopback', dir);
    expect(network).toMatchObject({ profile: 'loopback', calibration: null });
    expect(network.hops['app-redis']).toEqual({ rttMs: 0, jitterMs: 0 });
  });

  it('records the profile, its hops and the saved calibration of that profile', async () => {
    expect((await loadNetwork('same-az', dir)).calibration).toBeNull();
    const saved = {
      profile: 'same-az',
      samplesPerHop: 300,
      hops: [{ hop: 'app-redis', addedP50Ms: 0.52 }],
      proxyCpuUsPerMessage: 9,
      note: 'n',
    };
    await writeFile(calibrationPath('same-az', dir), JSON.stringify(saved));
    const network = await loadNetwork('same-az', dir);
    expect(network.hops['nginx-app']).toEqual({ rttMs: 0.5, jitterMs: 0.05 });
    expect(network.calibration?.path).toBe(calibrationPath('same-az', dir));
    expect(network.calibration?.result).toMatchObject({ profile: 'same-az', samplesPerHop: 300 });
  });

  it('refuses a calibration file of another profile or an unknown profile, clearly', async () => {
    await writeFile(calibrationPath('lan', dir), JSON.stringify({ profile: 'cross-az' }));
    await expect(loadNetwork('lan', dir)).rejects.toThrow(/not a calibration of lan/);
    await expect(loadNetwork('moon', dir)).rejects.toThrow(/unknown network profile 'moon'/);
  });
});
