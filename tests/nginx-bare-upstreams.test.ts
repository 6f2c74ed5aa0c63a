import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareSocketPath, startBare } from '../lab/bench/ceilings/ceiling-targets.ts';
import { type BareUpstreams, VARIANTS } from '../lab/bench/ceilings/nginx-settings.ts';
import { renderNginxConfig } from '../lab/render/nginx/render-nginx.ts';
import { CleanupStack } from '../lab/run/driver/cleanup-stack.ts';
import { httpGet } from '../lab/run/processes/net-checks.ts';
import { startNginx } from '../lab/run/processes/nginx.ts';
import { freePort } from '../lab/run/processes/ports.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { getTopology } from '../lab/topology/catalog.ts';

// nginx-settings measures the rendered config in front of a bare server, over TCP and over a Unix
// socket. nginx's workers run as another user than the bench, so the socket must let them in.

const BODY = JSON.stringify({ id: 1, bio: 'x'.repeat(13_000) });
const cleanup = new CleanupStack();
let runDir = '';
let upstreams: BareUpstreams;

beforeAll(async () => {
  runDir = await makeRunDir('cachelab-bare-upstreams');
  const bodyFile = join(runDir, 'body.json');
  await writeFile(bodyFile, BODY);
  const socket = await bareSocketPath(cleanup);
  const bare = await startBare({ runDir, cleanup }, 'http', bodyFile, { unixSocket: socket });
  upstreams = { tcp: `127.0.0.1:${bare.port}`, unix: `unix:${socket}` };
});

afterAll(async () => {
  const failures = await cleanup.unwind();
  await removeRunDir(runDir);
  expect(failures).toEqual([]);
});

describe('nginx-settings upstream variants through a real nginx', () => {
  it.each(VARIANTS.filter((v) => v.name.startsWith('upstream:')).map((v) => [v.name, v]))(
    '%s answers the bare body',
    async (name, variant) => {
      const port = await freePort();
      const rendered = renderNginxConfig(
        { ...getTopology('local'), appServers: 1 },
        { listenPort: port, upstreams: [1] },
      );
      const nginx = await startNginx({
        runDir,
        config: variant.apply(rendered, upstreams),
        port,
        name: `nginx-${name.includes('Unix') ? 'unix' : 'tcp'}`,
      });
      try {
        const response = await httpGet(`${nginx.url}/profiles/1`);
        expect(response.status).toBe(200);
        expect(response.body).toBe(BODY);
      } finally {
        await nginx.stop();
      }
    },
  );
});
