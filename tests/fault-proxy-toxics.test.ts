import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxyHandle, startFaultProxyProcess } from '../lab/run/processes/fault-proxy.ts';
import { type RedisNode, startRedis } from '../lab/run/processes/redis.ts';
import { redisCommand } from '../lab/run/processes/resp.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { portOf, type RawClient, rawClient } from './fault-proxy-support.ts';

// What each toxic does to a real Redis connection through the proxy, toxic by toxic.

const BIG_BYTES = 50_000;
const BIG_REPLY = `$${BIG_BYTES}\r\n${'v'.repeat(BIG_BYTES)}\r\n`;

let runDir: string;
let proxyServer: FaultProxyHandle;
let redis: RedisNode;
let toxiproxy: Toxiproxy;

beforeAll(async () => {
  runDir = await makeRunDir('cachelab-fault-proxy-toxics');
  [proxyServer, redis] = await Promise.all([
    startFaultProxyProcess({ runDir }),
    startRedis({ runDir }),
  ]);
  toxiproxy = new Toxiproxy(proxyServer.url);
  await redisCommand(redis.port, ['SET', 'big', 'v'.repeat(BIG_BYTES)]);
});
afterAll(async () => {
  await Promise.allSettled([proxyServer?.stop(), redis?.stop()]);
  if (runDir) await removeRunDir(runDir);
});
afterEach(async () => {
  for (const proxy of Object.values(await toxiproxy.getAll())) await proxy.remove();
});

/** A proxy to Redis with one toxic, and a client connected through it. */
async function through(
  type: string,
  attributes: Record<string, number>,
  extra: { stream?: 'upstream' | 'downstream'; toxicity?: number } = {},
): Promise<{ client: RawClient; remove: () => Promise<void> }> {
  const proxy = await toxiproxy.createProxy({
    name: 'r',
    listen: '127.0.0.1:0',
    upstream: redis.address,
  });
  const toxic = await proxy.addToxic({ name: type, type, attributes, ...extra } as never);
  const client = await rawClient(portOf(proxy.listen));
  return { client, remove: () => toxic.remove() };
}

async function timed(client: RawClient, command: string, reply: string, timeoutMs = 5_000) {
  const before = client.received().length;
  const started = performance.now();
  client.send(command);
  await client.waitFor((text) => text.slice(before) === reply, timeoutMs);
  return performance.now() - started;
}

describe('toxics through the proxy (real Redis)', () => {
  it('latency delays each reply by at least the configured time, on the chosen stream', async () => {
    const { client } = await through('latency', { latency: 40 }, { stream: 'upstream' });
    expect(await timed(client, 'PING\r\n', '+PONG\r\n')).toBeGreaterThanOrEqual(40);
    client.socket.destroy();
  });

  it('latency on a pipelined burst does not accumulate: ten commands take one delay, not ten', async () => {
    const { client } = await through('latency', { latency: 50 });
    const elapsed = await timed(client, 'PING\r\n'.repeat(10), '+PONG\r\n'.repeat(10));
    expect(elapsed).toBeGreaterThanOrEqual(50);
    expect(elapsed).toBeLessThan(450);
    client.socket.destroy();
  });

  it('bandwidth limits the rate: 50 KB at 200 KB/s takes at least ~250 ms', async () => {
    const { client } = await through('bandwidth', { rate: 200 });
    expect(await timed(client, 'GET big\r\n', BIG_REPLY)).toBeGreaterThanOrEqual(230);
    client.socket.destroy();
  });

  it('timeout 0 is a black hole until removed; the connection stays open', async () => {
    const { client, remove } = await through('timeout', { timeout: 0 }, { stream: 'upstream' });
    client.send('PING\r\n');
    await expect(client.waitFor((text) => text.length > 0, 300)).rejects.toThrow(/timed out/);
    expect(client.open).toBe(true);
    await remove();
    expect(await timed(client, 'PING\r\n', '+PONG\r\n')).toBeLessThan(1_000);
    client.socket.destroy();
  });

  it('timeout > 0 closes the connection after the timeout', async () => {
    const started = performance.now();
    const { client } = await through('timeout', { timeout: 150 });
    client.send('PING\r\n');
    const ending = await client.ended(3_000);
    expect(ending.at - started).toBeGreaterThanOrEqual(140);
    expect(client.received()).toBe('');
  });

  it('reset_peer resets the connection (ECONNRESET) when data flows', async () => {
    const { client } = await through('reset_peer', { timeout: 0 }, { stream: 'upstream' });
    client.send('PING\r\n');
    expect((await client.ended(2_000)).code).toBe('ECONNRESET');
  });

  it('slow_close holds the close back by its delay', async () => {
    const { client } = await through('slow_close', { delay: 200 });
    const started = performance.now();
    client.send('QUIT\r\n');
    await client.waitFor((text) => text === '+OK\r\n');
    const ending = await client.ended(3_000);
    expect(ending.at - started).toBeGreaterThanOrEqual(190);
  });

  it('limit_data passes exactly that many bytes, then closes', async () => {
    const { client } = await through('limit_data', { bytes: 1_000 });
    client.send('GET big\r\n');
    await client.ended(3_000);
    expect(client.received()).toBe(BIG_REPLY.slice(0, 1_000));
  });

  it('slicer delivers the same bytes in many small pieces', async () => {
    const { client } = await through('slicer', {
      average_size: 500,
      size_variation: 100,
      delay: 2_000,
    });
    let pieces = 0;
    client.socket.on('data', () => pieces++);
    await timed(client, 'GET big\r\n', BIG_REPLY);
    // 100 slices 2 ms apart: even if the client's reads merge a few, it sees many pieces.
    expect(pieces).toBeGreaterThanOrEqual(20);
    client.socket.destroy();
  });

  it('toxicity 0 leaves connections untouched', async () => {
    const { client } = await through('timeout', { timeout: 0 }, { toxicity: 0 });
    expect(await timed(client, 'PING\r\n', '+PONG\r\n')).toBeLessThan(1_000);
    client.socket.destroy();
  });

  it('a toxic added to a live connection applies to it at once', async () => {
    const proxy = await toxiproxy.createProxy({
      name: 'r',
      listen: '127.0.0.1:0',
      upstream: redis.address,
    });
    const client = await rawClient(portOf(proxy.listen));
    await timed(client, 'PING\r\n', '+PONG\r\n');
    await proxy.addToxic({ type: 'latency', attributes: { latency: 60 } } as never);
    expect(await timed(client, 'PING\r\n', '+PONG\r\n')).toBeGreaterThanOrEqual(60);
    client.socket.destroy();
  });
});

describe('upstream failures', () => {
  it('an upstream that dies mid-connection closes the client promptly, and is counted', async () => {
    const victim = await startRedis({ runDir });
    try {
      const proxy = await toxiproxy.createProxy({
        name: 'victim',
        listen: '127.0.0.1:0',
        upstream: victim.address,
      });
      const client = await rawClient(portOf(proxy.listen));
      await timed(client, 'PING\r\n', '+PONG\r\n');
      const killed = performance.now();
      await victim.kill();
      const ending = await client.ended(2_000);
      expect(ending.at - killed).toBeLessThan(1_000);
      // The client sees the proxy's FIN before the proxy has seen its own sockets close.
      await expect
        .poll(() => toxiproxy.getApi().getText(`${proxyServer.url}/metrics`), { timeout: 1_000 })
        .toMatch(/fault_proxy_active_connections\{proxy="victim"\} 0/);
    } finally {
      await victim.stop();
    }
  });
});
