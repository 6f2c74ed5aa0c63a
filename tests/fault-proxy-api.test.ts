import { Toxiproxy, ToxiproxyError } from 'toxiproxy-node-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxyHandle, startFaultProxyProcess } from '../lab/run/processes/fault-proxy.ts';
import { freePort } from '../lab/run/processes/ports.ts';
import { type RedisNode, startRedis } from '../lab/run/processes/redis.ts';
import { redisCommand } from '../lab/run/processes/resp.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { api, portOf, rawClient, refused } from './fault-proxy-support.ts';

// The toxiproxy v2 API contract, driven by the maintained toxiproxy-node-client, against a real Redis.

let runDir: string;
let proxyServer: FaultProxyHandle;
let redis: RedisNode;
let toxiproxy: Toxiproxy;

beforeAll(async () => {
  runDir = await makeRunDir('cachelab-fault-proxy-api');
  [proxyServer, redis] = await Promise.all([
    startFaultProxyProcess({ runDir }),
    startRedis({ runDir }),
  ]);
  toxiproxy = new Toxiproxy(proxyServer.url);
});
afterAll(async () => {
  await Promise.allSettled([proxyServer?.stop(), redis?.stop()]);
  if (runDir) await removeRunDir(runDir);
});
afterEach(async () => {
  for (const proxy of Object.values(await toxiproxy.getAll())) await proxy.remove();
});

const redisProxy = (name = 'redis') =>
  toxiproxy.createProxy({ name, listen: '127.0.0.1:0', upstream: redis.address });

async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(ToxiproxyError);
    return Number(/status code (\d+)/.exec((error as Error).message)?.[1]);
  }
  return 200;
}

/** Every proxy with its toxics, to check that a rejected request changed nothing. */
async function state(): Promise<unknown> {
  return (await api(proxyServer.url, 'GET', '/proxies')).json;
}

async function ping(port: number): Promise<void> {
  const client = await rawClient(port);
  client.send('PING\r\n');
  await client.waitFor((text) => text === '+PONG\r\n');
  client.socket.destroy();
}

describe('server endpoints', () => {
  it('GET /version answers toxiproxy-style JSON', async () => {
    expect(JSON.parse(await toxiproxy.getVersion())).toEqual({ version: expect.any(String) });
  });

  it('unknown paths are 404, wrong methods 405, browsers 403 — all JSON errors', async () => {
    expect(await api(proxyServer.url, 'GET', '/nope')).toMatchObject({
      status: 404,
      json: { status: 404 },
    });
    expect(await api(proxyServer.url, 'DELETE', '/proxies')).toMatchObject({ status: 405 });
    const browser = await api(proxyServer.url, 'GET', '/proxies', undefined, {
      'user-agent': 'Mozilla/5.0',
    });
    expect(browser).toMatchObject({
      status: 403,
      json: { error: 'User agent not allowed', status: 403 },
    });
  });
});

describe('proxies', () => {
  it('POST /proxies creates a listening proxy (201) that forwards to its upstream', async () => {
    const proxy = await redisProxy();
    expect(proxy.toJson()).toEqual({
      name: 'redis',
      listen: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      upstream: redis.address,
      enabled: true,
    });
    expect(portOf(proxy.listen)).toBeGreaterThan(0);
    await ping(portOf(proxy.listen));
    const raw = await api(proxyServer.url, 'GET', '/proxies/redis');
    expect(raw.json).toEqual({ ...proxy.toJson(), toxics: [] });
    expect(Object.keys(await toxiproxy.getAll())).toEqual(['redis']);
    expect((await toxiproxy.get('redis')).toJson()).toEqual(proxy.toJson());
  });

  it('rejects bad bodies with 400, duplicates and taken ports with 409, and changes nothing', async () => {
    const first = await redisProxy();
    const before = await state();
    const taken = first.listen;
    expect(await statusOf(redisProxy())).toBe(409);
    for (const body of [
      { listen: '127.0.0.1:0', upstream: redis.address },
      { name: 'x', listen: '127.0.0.1:0' },
      { name: 'x', listen: '127.0.0.1:0', upstream: 'no-port' },
      { name: 'x', listen: 'nonsense', upstream: redis.address },
      { name: 'x', listen: '127.0.0.1:99999', upstream: redis.address },
      { name: 7, upstream: redis.address },
      { name: 'x', upstream: redis.address, enabled: 'yes' },
    ]) {
      const reply = await api(proxyServer.url, 'POST', '/proxies', JSON.stringify(body));
      expect([reply.status, (reply.json as { status: number }).status]).toEqual([400, 400]);
    }
    const missing = await api(
      proxyServer.url,
      'POST',
      '/proxies',
      JSON.stringify({ upstream: 'a:1' }),
    );
    expect(missing.json).toEqual({ error: 'missing required field: name', status: 400 });
    expect((await api(proxyServer.url, 'POST', '/proxies', '{"name":')).status).toBe(400);
    const clash = await api(
      proxyServer.url,
      'POST',
      '/proxies',
      JSON.stringify({ name: 'clash', listen: taken, upstream: redis.address }),
    );
    expect(clash.status).toBe(409);
    expect(await state()).toEqual(before);
  });

  it('GET and DELETE of an unknown proxy are 404', async () => {
    expect(await statusOf(toxiproxy.get('ghost'))).toBe(404);
    expect(await api(proxyServer.url, 'DELETE', '/proxies/ghost')).toMatchObject({
      status: 404,
      json: { error: 'proxy not found', status: 404 },
    });
  });

  it('enabled:false takes the link down (open connections closed, new ones refused); true brings it back', async () => {
    const proxy = await redisProxy();
    const port = portOf(proxy.listen);
    const client = await rawClient(port);
    client.send('PING\r\n');
    await client.waitFor((text) => text === '+PONG\r\n');
    const down = await proxy.update({
      enabled: false,
      listen: proxy.listen,
      upstream: proxy.upstream,
    });
    expect(down.enabled).toBe(false);
    await client.ended(2_000);
    expect(await refused(port)).toBe(true);
    const patched = await api(proxyServer.url, 'PATCH', '/proxies/redis', '{"enabled":true}');
    expect(patched.json).toMatchObject({ enabled: true, listen: proxy.listen });
    await ping(port);
  });

  it('DELETE removes the proxy (204) and frees its port', async () => {
    const proxy = await redisProxy();
    await proxy.remove();
    expect(await refused(portOf(proxy.listen))).toBe(true);
    expect(await toxiproxy.getAll()).toEqual({});
  });

  it('POST /populate creates, keeps unchanged ones, replaces changed ones; a bad entry changes nothing', async () => {
    const created = await toxiproxy.populate([
      { name: 'a', listen: '127.0.0.1:0', upstream: redis.address },
      { name: 'b', listen: '127.0.0.1:0', upstream: redis.address },
    ]);
    expect(Object.keys(created).sort()).toEqual(['a', 'b']);
    const aListen = created.a?.listen as string;
    const again = await toxiproxy.populate([
      { name: 'a', listen: aListen, upstream: redis.address },
    ]);
    expect(again.a?.listen).toBe(aListen);
    const before = await state();
    for (const body of [
      [{ name: 'c', listen: '127.0.0.1:0', upstream: redis.address }, { name: 'd' }],
      [
        { name: 'e', listen: '127.0.0.1:0', upstream: redis.address },
        { name: 'e', listen: '127.0.0.1:0', upstream: redis.address },
      ],
      { name: 'not-an-array' },
    ]) {
      const reply = await api(proxyServer.url, 'POST', '/populate', JSON.stringify(body));
      expect(reply.status).toBe(400);
    }
    const clash = [
      { name: 'f', listen: '127.0.0.1:0', upstream: redis.address },
      { name: 'g', listen: aListen, upstream: redis.address },
    ];
    expect((await api(proxyServer.url, 'POST', '/populate', JSON.stringify(clash))).status).toBe(
      409,
    );
    expect(await state()).toEqual(before);
    await ping(portOf(aListen));
  });

  it('POST /reset re-enables every proxy and removes every toxic', async () => {
    const proxy = await redisProxy();
    await proxy.addToxic({ type: 'timeout', attributes: { timeout: 0 } } as never);
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await toxiproxy.reset();
    const after = await api(proxyServer.url, 'GET', '/proxies/redis');
    expect(after.json).toMatchObject({ enabled: true, toxics: [] });
    await ping(portOf(proxy.listen));
  });
});

describe('toxics API', () => {
  it('adds a toxic with toxiproxy defaults, shows, lists (upstream first), updates and removes it', async () => {
    const proxy = await redisProxy();
    const toxic = await proxy.addToxic({ type: 'latency', attributes: { latency: 3 } } as never);
    expect(toxic.toJson()).toEqual({
      attributes: { latency: 3, jitter: 0 },
      name: 'latency_downstream',
      stream: 'downstream',
      toxicity: 1,
      type: 'latency',
    });
    await proxy.addToxic({
      name: 'cap',
      type: 'limit_data',
      stream: 'upstream',
      toxicity: 0.5,
      attributes: { bytes: 10 },
    });
    const list = await toxiproxy.getApi().get<{ name: string }[]>(`${proxy.getPath()}/toxics`);
    expect(list.data.map((t) => t.name)).toEqual(['cap', 'latency_downstream']);
    expect((await proxy.getToxic('cap')).toJson()).toMatchObject({
      stream: 'upstream',
      toxicity: 0.5,
    });
    const updated = await toxic.update({ attributes: { jitter: 1 } } as never);
    expect(updated.toJson()).toMatchObject({ attributes: { latency: 3, jitter: 1 }, toxicity: 1 });
    await toxic.remove();
    expect(await statusOf(proxy.getToxic('latency_downstream'))).toBe(404);
  });

  it('answers every bad toxic request like toxiproxy and changes nothing', async () => {
    const proxy = await redisProxy();
    await proxy.addToxic({ type: 'latency', attributes: { latency: 1 } } as never);
    const before = await state();
    const post = (body: unknown) =>
      api(proxyServer.url, 'POST', '/proxies/redis/toxics', JSON.stringify(body));
    expect((await post({ type: 'latency' })).json).toEqual({
      error: 'toxic already exists',
      status: 409,
    });
    expect((await post({ type: 'warp_drive' })).json).toEqual({
      error: 'invalid toxic type',
      status: 400,
    });
    expect((await post({ type: 'latency', stream: 'sideways' })).status).toBe(400);
    for (const bad of [
      { name: 'n', type: 'latency', attributes: { latency: -1 } },
      { name: 'n', type: 'latency', attributes: { latency: 'slow' } },
      { name: 'n', type: 'bandwidth', toxicity: 2 },
      { name: 'n', type: 'limit_data', attributes: { bytes: 1.5 } },
      { name: 5, type: 'latency' },
    ]) {
      expect((await post(bad)).status).toBe(400);
    }
    expect((await api(proxyServer.url, 'POST', '/proxies/redis/toxics', 'nope')).status).toBe(400);
    expect(
      (await api(proxyServer.url, 'POST', '/proxies/ghost/toxics', '{"type":"latency"}')).status,
    ).toBe(404);
    expect((await api(proxyServer.url, 'GET', '/proxies/ghost/toxics')).status).toBe(404);
    const update = (name: string, body: string) =>
      api(proxyServer.url, 'PATCH', `/proxies/redis/toxics/${name}`, body);
    expect((await update('latency_downstream', '{"attributes":{"latency":-5}}')).status).toBe(400);
    expect((await update('latency_downstream', '{"toxicity":"all"}')).status).toBe(400);
    expect((await update('ghost', '{}')).json).toEqual({ error: 'toxic not found', status: 404 });
    expect((await api(proxyServer.url, 'DELETE', '/proxies/redis/toxics/ghost')).status).toBe(404);
    expect((await api(proxyServer.url, 'GET', '/proxies/redis/toxics/ghost')).status).toBe(404);
    expect(await state()).toEqual(before);
  });
});

describe('metrics', () => {
  it('exposes bytes by proxy and direction, connections, toxics and upstream errors', async () => {
    const proxy = await redisProxy();
    await proxy.addToxic({ type: 'slow_close', attributes: { delay: 1 } } as never);
    await ping(portOf(proxy.listen));
    const deadPort = await freePort();
    const dead = await toxiproxy.createProxy({
      name: 'dead',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${deadPort}`,
    });
    const client = await rawClient(portOf(dead.listen));
    const ending = await client.ended(1_000);
    expect(ending.code).toBeUndefined();
    const text = await toxiproxy.getApi().getText(`${proxyServer.url}/metrics`);
    expect(text).toContain(
      'toxiproxy_proxy_received_bytes_total{proxy="redis",direction="upstream"} 6',
    );
    expect(text).toContain(
      'toxiproxy_proxy_sent_bytes_total{proxy="redis",direction="downstream"} 7',
    );
    expect(text).toMatch(/fault_proxy_connections_total\{proxy="redis"\} 1/);
    expect(text).toContain('fault_proxy_active_toxics{proxy="redis",direction="downstream"} 1');
    expect(text).toContain('fault_proxy_upstream_errors_total{proxy="dead",reason="connect"} 1');
    expect(text).toMatch(/process_cpu_seconds_total/);
    const pingBack = await redisCommand(redis.port, ['PING']);
    expect(pingBack).toBe('PONG');
  });
});
