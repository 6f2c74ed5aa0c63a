import { LabError } from '../../lab-errors.ts';
import { OVERHEAD_PROBE_PROXY } from '../../topology/network.ts';
import { faultProxyApi, listenPort } from './fault-proxy-api.ts';
import { addedRoundTrip, httpProbe, type Probe } from './round-trip-probes.ts';

const SAMPLES = 500;
const WARM_UP = 50;
/** The probe's own latency toxic: the proxy's scheduling lateness is part of what a hop adds. */
const PROBE_LATENCY_MS = 0.5;
const PROBE_TOXIC = 'overhead_probe_latency';

/**
 * The fault proxy's own added round trip (ms, never below 0): GET /version of its API (at `apiUrl`,
 * reached at `apiPort`) through one of its proxies (`proxy`, listening at `proxy.port`) carrying a known latency
 * toxic, against GET /version direct; p50 against p50, as calibration judges a hop, less that toxic.
 */
export async function measureOverheadThrough(
  apiUrl: string,
  apiPort: number,
  proxy: { name: string; port: number },
): Promise<number> {
  const api = faultProxyApi(apiUrl);
  await api.addToxic(proxy.name, {
    name: PROBE_TOXIC,
    type: 'latency',
    stream: 'downstream',
    toxicity: 1,
    attributes: { latency: PROBE_LATENCY_MS, jitter: 0 },
  });
  const probes: Probe[] = [];
  try {
    probes.push(await httpProbe(apiPort, '/version'));
    probes.push(await httpProbe(proxy.port, '/version'));
    const [direct, proxied] = probes as [Probe, Probe];
    const added = await addedRoundTrip(direct, proxied, SAMPLES, WARM_UP);
    return Math.max(0, Math.round((added.p50Ms - PROBE_LATENCY_MS) * 1000) / 1000);
  } finally {
    await Promise.all(probes.map((probe) => probe.close()));
    await api.removeToxic(proxy.name, PROBE_TOXIC);
  }
}

/**
 * The overhead of a fault proxy on 127.0.0.1 (the native drivers and calibration): a temporary proxy
 * in front of its own API, measured, then deleted.
 */
export async function measureProxyOverhead(apiUrl: string): Promise<number> {
  const api = faultProxyApi(apiUrl);
  const apiPort = Number(new URL(apiUrl).port);
  const [probe] = await api.populate([
    { name: OVERHEAD_PROBE_PROXY, listen: '127.0.0.1:0', upstream: `127.0.0.1:${apiPort}` },
  ]);
  try {
    if (!probe)
      throw new LabError(
        'UP_FAILED',
        `the fault proxy at ${apiUrl} did not create ${OVERHEAD_PROBE_PROXY}`,
      );
    return await measureOverheadThrough(apiUrl, apiPort, {
      name: OVERHEAD_PROBE_PROXY,
      port: listenPort(probe.listen),
    });
  } finally {
    await api.deleteProxy(OVERHEAD_PROBE_PROXY);
  }
}
