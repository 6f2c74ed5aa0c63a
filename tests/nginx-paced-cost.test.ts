import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measurePaced } from '../lab/bench/ceilings/nginx-cost.ts';
import { nginxFloorConfig } from '../lab/bench/ceilings/nginx-floor.ts';
import { renderNginxConfig } from '../lab/render/nginx/render-nginx.ts';
import { type NginxHandle, startNginx } from '../lab/run/processes/nginx.ts';
import { freePort } from '../lab/run/processes/ports.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { getTopology } from '../lab/topology/catalog.ts';

// The bench compares nginx configs at one offered rate: wrk (a real wrk, with the lab's Lua pacing)
// against a real nginx answering a body itself, so nothing behind it limits the rate but the pacing.

const OFFERED_RPS = 400;
const SECONDS = 2;
const BODY = JSON.stringify({ id: 1, bio: 'x'.repeat(4_000) });

let runDir = '';
let floor: NginxHandle;

beforeAll(async () => {
  runDir = await makeRunDir('cachelab-nginx-paced');
  const port = await freePort();
  const rendered = renderNginxConfig(
    { ...getTopology('local'), appServers: 1 },
    { listenPort: port, upstreams: [port] },
  );
  floor = await startNginx({
    runDir,
    config: nginxFloorConfig(rendered, BODY),
    port,
    name: 'nginx-floor',
  });
});

afterAll(async () => {
  await floor?.stop();
  await removeRunDir(runDir);
});

describe('paced wrk against a real nginx', () => {
  it('sends at the offered rate instead of as fast as nginx answers', async () => {
    const run = await measurePaced(
      { name: 'floor', url: floor.url, pid: floor.pid },
      OFFERED_RPS,
      SECONDS,
      100,
    );
    expect(run.errors).toBe(0);
    expect(run.offeredRps).toBe(OFFERED_RPS);
    // Closed loop, the same nginx answers thousands of requests a second; paced, wrk holds back.
    expect(run.rps).toBeGreaterThan(OFFERED_RPS * 0.5);
    expect(run.rps).toBeLessThan(OFFERED_RPS * 1.2);
    expect(run.requests).toBeLessThan(OFFERED_RPS * SECONDS * 1.2);
    expect(Number.isFinite(run.nginxCpuUs) && run.nginxCpuUs >= 0).toBe(true);
  });
});
