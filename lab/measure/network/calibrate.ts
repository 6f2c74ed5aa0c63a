import { LabError } from '../../lab-errors.ts';
import { startAppServer } from '../../run/processes/app-server.ts';
import { startFaultProxyProcess } from '../../run/processes/fault-proxy.ts';
import { faultProxyApi, listenPort } from '../../run/processes/fault-proxy-api.ts';
import { startPostgres } from '../../run/processes/postgres.ts';
import { measureProxyOverhead } from '../../run/processes/proxy-overhead.ts';
import { startRedis } from '../../run/processes/redis.ts';
import {
  addedRoundTrip,
  httpProbe,
  type Probe,
  postgresProbe,
  redisPingProbe,
} from '../../run/processes/round-trip-probes.ts';
import { makeRunDir, removeRunDir } from '../../run/processes/run-dir.ts';
import {
  compensated,
  type Hop,
  hopDelays,
  latencyToxics,
  type NetworkSettings,
} from '../../topology/network.ts';
import { cpuMsOf } from '../proc-cpu.ts';

/** How one hop measured against its configured round trip. */
export interface HopCalibration {
  hop: Hop;
  probe: 'redis PING' | 'postgres SELECT 1' | 'http GET /healthz';
  configuredRttMs: number;
  addedP50Ms: number;
  addedP99Ms: number;
  /** Round trip of the probe without the proxy (what the hop adds to). */
  directP50Ms: number;
  /** 10 % of the configured value or 0.05 ms, whichever is larger. */
  toleranceMs: number;
  withinTolerance: boolean;
}

/** `cachelab net calibrate`: each hop measured, and the proxy's CPU cost. */
export interface NetCalibration {
  profile: NetworkSettings['profile'];
  samplesPerHop: number;
  hops: HopCalibration[];
  /** The proxy's own round trip, measured first and subtracted from each latency toxic (ms). */
  proxyOverheadMs: number;
  /** Fault-proxy CPU (user + system) per forwarded message (a request or a reply). */
  proxyCpuUsPerMessage: number;
  note: string;
}

/** Stops in order, trying every one; STOP_FAILED with the first failure as cause. */
async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const stop of stops) {
    try {
      await stop();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) {
    throw new LabError('STOP_FAILED', 'calibration services did not all stop', {
      cause: failures[0],
    });
  }
}

const NOTE =
  'Added round trip = p50 (p99) through the fault proxy minus p50 (p99) direct, samples interleaved. ' +
  "The proxy's own round trip is measured first and subtracted from each hop's latency toxic. " +
  'A userspace proxy adds delay but no congestion-window or retransmission behaviour.';

async function hop(
  name: Hop,
  probe: HopCalibration['probe'],
  configuredRttMs: number,
  probes: [Probe, Probe],
  samples: number,
): Promise<HopCalibration> {
  try {
    const added = await addedRoundTrip(probes[0], probes[1], samples);
    const toleranceMs = Math.max(0.1 * configuredRttMs, 0.05);
    const round = (ms: number) => Math.round(ms * 1000) / 1000;
    return {
      hop: name,
      probe,
      configuredRttMs,
      addedP50Ms: round(added.p50Ms),
      addedP99Ms: round(added.p99Ms),
      directP50Ms: round(added.directP50Ms),
      toleranceMs,
      withinTolerance: Math.abs(added.p50Ms - configuredRttMs) <= toleranceMs,
    };
  } finally {
    await Promise.all(probes.map((p) => p.close()));
  }
}

/**
 * Measures each hop of `network` on this machine: a Redis, a Postgres and an app server started on
 * free loopback ports, one fault proxy with the profile's toxics in front of each, and `samples`
 * interleaved round trips per hop; everything is stopped afterwards.
 */
export async function calibrateNetwork(
  network: NetworkSettings,
  samples = 500,
): Promise<NetCalibration> {
  const runDir = await makeRunDir('cachelab-net-calibrate');
  const stops: (() => Promise<void>)[] = [];
  try {
    const [redis, postgres, faults] = await Promise.all([
      startRedis({ runDir }),
      startPostgres({ runDir }),
      startFaultProxyProcess({ runDir }),
    ]);
    stops.push(redis.stop, postgres.stop, faults.stop);
    const app = await startAppServer({
      runDir,
      env: { DATABASE_URL: postgres.url, CACHE_MODE: 'none', LOG_LEVEL: 'warn' },
    });
    stops.push(app.stop);
    const api = faultProxyApi(faults.url);
    const proxies = await api.populate([
      { name: 'redis-1', listen: '127.0.0.1:0', upstream: redis.address },
      { name: 'postgres', listen: '127.0.0.1:0', upstream: `127.0.0.1:${postgres.port}` },
      { name: 'app-1', listen: '127.0.0.1:0', upstream: `127.0.0.1:${app.port}` },
    ]);
    const port = (name: string) => listenPort(proxies.find((p) => p.name === name)?.listen ?? '');
    const delays = hopDelays(network);
    const hopOf: Record<string, Hop> = {
      'redis-1': 'app-redis',
      postgres: 'app-postgres',
      'app-1': 'nginx-app',
    };
    const proxyOverheadMs = await measureProxyOverhead(faults.url);
    for (const [name, hopName] of Object.entries(hopOf)) {
      for (const toxic of latencyToxics(delays[hopName])) {
        await api.addToxic(name, compensated(toxic, proxyOverheadMs));
      }
    }
    const proxiedUrl = new URL(postgres.url);
    proxiedUrl.port = String(port('postgres'));
    const cpuBefore = await cpuMsOf([faults.pid]);
    const hops = [
      await hop(
        'app-redis',
        'redis PING',
        delays['app-redis'].rttMs,
        [await redisPingProbe(redis.port), await redisPingProbe(port('redis-1'))],
        samples,
      ),
      await hop(
        'app-postgres',
        'postgres SELECT 1',
        delays['app-postgres'].rttMs,
        [await postgresProbe(postgres.url), await postgresProbe(proxiedUrl.toString())],
        samples,
      ),
      await hop(
        'nginx-app',
        'http GET /healthz',
        delays['nginx-app'].rttMs,
        [await httpProbe(app.port), await httpProbe(port('app-1'))],
        samples,
      ),
    ];
    const cpuMs = (await cpuMsOf([faults.pid])) - cpuBefore;
    const messages = hops.length * (samples + 50) * 2;
    return {
      profile: network.profile,
      samplesPerHop: samples,
      hops,
      proxyOverheadMs,
      proxyCpuUsPerMessage: Math.round(((cpuMs * 1000) / messages) * 100) / 100,
      note: NOTE,
    };
  } finally {
    await stopAll(stops.reverse());
    await removeRunDir(runDir);
  }
}
