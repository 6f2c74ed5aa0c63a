import { Toxiproxy, type Proxy as ToxiproxyProxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxyHandle, startFaultProxyProcess } from '../lab/run/processes/fault-proxy.ts';
import { type RedisNode, startRedis } from '../lab/run/processes/redis.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { portOf, type RawClient, rawClient } from './fault-proxy-support.ts';

// Latency accuracy on loopback against a real Redis: the round trip a latency toxic adds, at p50,
// must be within 10 % or 50 µs (whichever is larger) of the configured value. Added is measured
// against a second proxy of the same server without the toxic, samples interleaved, so the proxy's
// own forwarding cost (a benchmark figure: lab/bench/fault-proxy) and the machine's load cancel out.

const SAMPLES = 1_500;
const WARM_UP = 200;

let runDir: string;
let proxyServer: FaultProxyHandle;
let redis: RedisNode;
let proxy: ToxiproxyProxy;
let bare: RawClient;
let proxied: RawClient;

beforeAll(async () => {
  runDir = await makeRunDir('cachelab-fault-proxy-latency');
  [proxyServer, redis] = await Promise.all([
    startFaultProxyProcess({ runDir }),
    startRedis({ runDir }),
  ]);
  const toxiproxy = new Toxiproxy(proxyServer.url);
  proxy = await toxiproxy.createProxy({
    name: 'redis',
    listen: '127.0.0.1:0',
    upstream: redis.address,
  });
  const plain = await toxiproxy.createProxy({
    name: 'redis-bare',
    listen: '127.0.0.1:0',
    upstream: redis.address,
  });
  [bare, proxied] = await Promise.all([
    rawClient(portOf(plain.listen)),
    rawClient(portOf(proxy.listen)),
  ]);
});
afterAll(async () => {
  bare?.socket.destroy();
  proxied?.socket.destroy();
  await Promise.allSettled([proxyServer?.stop(), redis?.stop()]);
  if (runDir) await removeRunDir(runDir);
});

async function pingMs(client: RawClient): Promise<number> {
  const before = client.received().length;
  const started = performance.now();
  client.send('PING\r\n');
  await client.waitFor((text) => text.length - before >= 7, 5_000);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median added round trip: PINGs through the toxic proxy and the bare one, interleaved. */
async function addedRoundTripMs(): Promise<number> {
  const viaProxy: number[] = [];
  const straight: number[] = [];
  for (let i = 0; i < WARM_UP + SAMPLES; i++) {
    const [a, b] = i % 2 === 0 ? [proxied, bare] : [bare, proxied];
    const first = await pingMs(a as RawClient);
    const second = await pingMs(b as RawClient);
    if (i < WARM_UP) continue;
    viaProxy.push(a === proxied ? first : second);
    straight.push(a === proxied ? second : first);
  }
  return median(viaProxy) - median(straight);
}

describe('latency toxic accuracy (loopback, Redis PING)', () => {
  it.each([0.1, 0.5, 2])(
    'adds %s ms of round trip at p50, within 10 %% or 50 µs',
    async (latencyMs) => {
      const toxic = await proxy.addToxic({
        name: 'delay',
        type: 'latency',
        stream: 'downstream',
        attributes: { latency: latencyMs, jitter: 0 },
      } as never);
      try {
        const added = await addedRoundTripMs();
        const tolerance = Math.max(0.1 * latencyMs, 0.05);
        expect(Math.abs(added - latencyMs)).toBeLessThanOrEqual(tolerance);
      } finally {
        await toxic.remove();
      }
    },
  );
});
