import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNginxConfig } from '../lab/render/nginx/render-nginx.ts';
import { type NginxHandle, startNginx } from '../lab/run/processes/nginx.ts';
import { freePort } from '../lab/run/processes/ports.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import {
  nginxChashMovedShare,
  nginxChashOwner,
  nginxChashRing,
} from '../lab/simulate/nginx-chash.ts';
import { getTopology } from '../lab/topology/catalog.ts';

// The scenario engine predicts key movement from a model of nginx's `hash $profile_id consistent`
// ring. A real nginx, rendered from the local-hash topology over three backends that name
// themselves, must send every probed profile exactly where the model says, with three servers and
// with the last one removed.

const IDS = Array.from({ length: 300 }, (_, i) => String(i + 1));

let runDir = '';
const backends: Server[] = [];
const names: string[] = [];
const fronts: NginxHandle[] = [];

async function backend(): Promise<string> {
  const port = await freePort();
  const name = `127.0.0.1:${port}`;
  const server = createServer((_req, res) => res.writeHead(200, { 'x-backend': name }).end('{}'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  backends.push(server);
  return name;
}

async function front(upstreams: readonly string[]): Promise<NginxHandle> {
  const port = await freePort();
  const config = renderNginxConfig(getTopology('local-hash'), { listenPort: port, upstreams });
  const nginx = await startNginx({ runDir, config, port, name: `nginx-${upstreams.length}` });
  fronts.push(nginx);
  return nginx;
}

async function owners(url: string): Promise<string[]> {
  const found: string[] = [];
  for (const id of IDS) {
    const res = await fetch(`${url}/profiles/${id}`, { signal: AbortSignal.timeout(3_000) });
    await res.arrayBuffer();
    found.push(res.headers.get('x-backend') ?? `status ${res.status}`);
  }
  return found;
}

beforeAll(async () => {
  runDir = await makeRunDir('cachelab-nginx-chash');
  for (let i = 0; i < 3; i++) names.push(await backend());
});

afterAll(async () => {
  await Promise.allSettled(fronts.map((f) => f.stop()));
  await Promise.all(backends.map((s) => new Promise((resolve) => s.close(resolve))));
  await removeRunDir(runDir);
});

describe("nginx's consistent-hash ring model", () => {
  it('places every probed profile on the server a real nginx picks, before and after a removal', {
    timeout: 60_000,
  }, async () => {
    const survivors = names.slice(0, 2);
    for (const servers of [names, survivors]) {
      const ring = nginxChashRing(servers);
      const expected = IDS.map((id) => nginxChashOwner(ring, id));
      expect(await owners((await front(servers)).url)).toEqual(expected);
      // Every server gets a share: a model that sent everything to one server would not be tested.
      expect(new Set(expected).size).toBe(servers.length);
    }
    const moved = nginxChashMovedShare(IDS, names, survivors);
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(1);
  });
});
