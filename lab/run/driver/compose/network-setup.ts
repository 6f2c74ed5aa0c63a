import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LabError } from '../../../lab-errors.ts';
import {
  composeProxies,
  FAULT_PROXY_API_PORT,
  FAULT_PROXY_SERVICE,
  OVERHEAD_PROBE,
  OVERHEAD_PROBE_PORT,
} from '../../../render/compose/fault-proxy-service.ts';
import type { Topology } from '../../../topology/model.ts';
import {
  compensated,
  hopDelays,
  type LatencyToxic,
  latencyToxics,
} from '../../../topology/network.ts';
import { networkOf } from '../../../topology/network-proxies.ts';
import { faultProxyApi } from '../../processes/fault-proxy-api.ts';
import { httpStatus } from '../../processes/net-checks.ts';
import { measureOverheadThrough } from '../../processes/proxy-overhead.ts';
import { projectContainers } from './containers.ts';

const whole = (ms: number): boolean => Number.isInteger(ms);

/**
 * Refuses a network the real toxiproxy cannot express: its latency toxic takes whole milliseconds
 * (latency and jitter), so 0.5 ms would silently become 0 or 1. USAGE naming the hops and the way out.
 */
export function refuseFractionalForToxiproxy(topology: Topology): void {
  const network = networkOf(topology);
  const fractional = Object.entries(hopDelays(network)).filter(
    ([, d]) => !whole(d.rttMs) || !whole(d.jitterMs),
  );
  if (fractional.length === 0) return;
  const hops = fractional.map(([hop, d]) => `${hop} ${d.rttMs} ms ± ${d.jitterMs} ms`).join(', ');
  throw new LabError(
    'USAGE',
    `network ${network.profile} needs sub-millisecond latency (${hops}), which the real toxiproxy of the official-image stack cannot express (whole milliseconds only); use the offline images (CACHELAB_OFFLINE=1), whose fault proxy takes fractions, or whole-millisecond hop overrides`,
  );
}

async function publishedPorts(project: string): Promise<Record<number, number>> {
  const containers = await projectContainers(project);
  return containers.find((c) => c.service === FAULT_PROXY_SERVICE)?.ports ?? {};
}

/** The published URL of the fault proxy's API of a running compose project. */
export async function faultProxyUrl(project: string): Promise<string> {
  const port = (await publishedPorts(project))[FAULT_PROXY_API_PORT];
  if (port === undefined) {
    throw new LabError(
      'UP_FAILED',
      `compose project ${project} has no ${FAULT_PROXY_SERVICE} publishing port ${FAULT_PROXY_API_PORT}`,
    );
  }
  return `http://127.0.0.1:${port}`;
}

/**
 * The fault proxy's own round trip (ms) in a compose project: through its published overhead probe
 * against its published API, both behind the same Docker port forwarding.
 */
async function composeProxyOverhead(project: string, apiUrl: string): Promise<number> {
  const ports = await publishedPorts(project);
  const api = ports[FAULT_PROXY_API_PORT];
  const probe = ports[OVERHEAD_PROBE_PORT];
  if (api === undefined || probe === undefined) {
    throw new LabError(
      'UP_FAILED',
      `compose project ${project}: ${FAULT_PROXY_SERVICE} does not publish ports ${FAULT_PROXY_API_PORT} and ${OVERHEAD_PROBE_PORT}`,
    );
  }
  return measureOverheadThrough(apiUrl, api, { name: OVERHEAD_PROBE.name, port: probe });
}

/** Polls GET <url>/version until the proxy's API answers 200 (bounded: 60 s). */
export async function waitForApi(url: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if ((await httpStatus(`${url}/version`, 2_000).catch(() => 0)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new LabError('UP_FAILED', `the fault proxy at ${url} did not answer GET /version in 60 s`);
}

/** A proxy to create: its populate entry and the latency toxics of its hop (before compensation). */
export interface ProxyToCreate {
  name: string;
  listen: string;
  upstream: string;
  toxics: LatencyToxic[];
}

/** Creates `proxies` (POST /populate), then their latency toxics less the proxy's own `overheadMs`. */
export async function createProxies(
  apiUrl: string,
  proxies: readonly ProxyToCreate[],
  overheadMs: number,
): Promise<void> {
  const api = faultProxyApi(apiUrl);
  await api.populate(proxies.map(({ name, listen, upstream }) => ({ name, listen, upstream })));
  for (const proxy of proxies) {
    for (const toxic of proxy.toxics)
      await api.addToxic(proxy.name, compensated(toxic, overheadMs));
  }
}

const overheadPath = (runDir: string): string => join(runDir, 'fault-proxy-overhead.json');

/** The fault proxy's own round trip (ms) measured at up, as stored in the run folder. */
export async function storedProxyOverhead(runDir: string): Promise<number> {
  const path = overheadPath(runDir);
  try {
    return z
      .object({ overheadMs: z.number().nonnegative() })
      .parse(JSON.parse(await readFile(path, 'utf8'))).overheadMs;
  } catch (error) {
    throw new LabError('STATE_INVALID', `cannot read the fault proxy's overhead ${path}`, {
      cause: error,
    });
  }
}

/**
 * Configures the fault proxy of a compose run through its API: POST /populate with the topology's
 * proxies (the ones it started with, so nothing moves), then each hop's latency toxic less the
 * proxy's own round trip, which it stores in `runDir` for proxies created later.
 */
export async function configureFaultProxy(
  topology: Topology,
  apiUrl: string,
  project: string,
  runDir: string,
): Promise<void> {
  await faultProxyApi(apiUrl).populate([OVERHEAD_PROBE]);
  const overheadMs = await composeProxyOverhead(project, apiUrl);
  await writeFile(overheadPath(runDir), `${JSON.stringify({ overheadMs })}\n`);
  const delays = hopDelays(networkOf(topology));
  const proxies = composeProxies(topology).map((p) => ({
    ...p,
    toxics: latencyToxics(delays[p.hop]),
  }));
  await createProxies(apiUrl, proxies, overheadMs);
}
