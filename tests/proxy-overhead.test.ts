import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxyHandle, startFaultProxyProcess } from '../lab/run/processes/fault-proxy.ts';
import { faultProxyApi, listenPort } from '../lab/run/processes/fault-proxy-api.ts';
import { freePort } from '../lab/run/processes/ports.ts';
import {
  measureOverheadThrough,
  measureProxyOverhead,
} from '../lab/run/processes/proxy-overhead.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';

// The fault proxy's own round trip, measured against a real fault-proxy process: the probe it uses
// is removed afterwards, also when the measurement fails half-way.

let runDir: string;
let faults: FaultProxyHandle;

beforeAll(async () => {
  runDir = await makeRunDir('cachelab-proxy-overhead');
  faults = await startFaultProxyProcess({ runDir });
});
afterAll(async () => {
  await faults?.stop();
  await removeRunDir(runDir);
});

describe('proxy overhead', () => {
  it('measures a bounded round trip and leaves no probe proxy behind', async () => {
    const overheadMs = await measureProxyOverhead(faults.url);
    expect(overheadMs).toBeGreaterThanOrEqual(0);
    expect(overheadMs).toBeLessThan(1);
    expect(Object.keys(await faultProxyApi(faults.url).proxies())).toEqual([]);
  });

  it('removes its latency toxic when a probe cannot connect, and says why', async () => {
    const api = faultProxyApi(faults.url);
    const [probe] = await api.populate([
      { name: 'probe', listen: '127.0.0.1:0', upstream: `127.0.0.1:${faults.port}` },
    ]);
    expect(listenPort(probe?.listen ?? '')).toBeGreaterThan(0);
    const closed = await freePort();
    await expect(
      measureOverheadThrough(faults.url, faults.port, { name: 'probe', port: closed }),
    ).rejects.toThrow(/ECONNREFUSED|connect/);
    expect((await api.proxies()).probe?.toxics).toEqual([]);
    await api.deleteProxy('probe');
  });
});
