import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { parsePrometheusText, sumSamples } from '../../lab/measure/scrape/prometheus-text.ts';
import { createComposeDriver } from '../../lab/run/driver/compose/driver.ts';
import { faultProxyUrl } from '../../lab/run/driver/compose/network-setup.ts';
import { listenPort } from '../../lab/run/processes/fault-proxy-api.ts';
import { getTopology } from '../../lab/topology/catalog.ts';
import { withNetwork } from '../../lab/topology/network-proxies.ts';
import { describeWithDocker, dockerOk } from '../docker/docker-cli.ts';
import {
  composeLabHooks,
  containerIps,
  downLeavesNothing,
  probeCompose,
} from './compose-support.ts';

// two-tier through the compose driver under `lan`: an app server added after up gets a bus proxy of
// its own, its invalidation subscriber goes through it (not around it), and removing it deletes it.
const probe = await probeCompose();
const topology = withNetwork(getTopology('two-tier'), { profile: 'lan' });

/** The value of gauge `name` for proxy `proxy` in the fault proxy's /metrics. */
async function gauge(url: string, name: string, proxy: string): Promise<number> {
  const samples = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
  return sumSamples(samples, name, { proxy });
}

describeWithDocker('compose driver behind the fault proxy: two-tier bus proxies', probe, () => {
  const prefix = `cachelab-netbus-${process.pid}`;
  const driver = createComposeDriver({ projectPrefix: prefix });
  const suite = composeLabHooks(probe, topology, prefix);

  it('gives an added server its own bus proxy, which its subscriber uses, and removes it', async () => {
    const current = suite.lab();
    const url = await faultProxyUrl(current.project.name);
    const proxies = async () =>
      (await (await fetch(`${url}/proxies`)).json()) as Record<
        string,
        { listen: string; upstream: string }
      >;
    expect((await driver.addAppServer(current)).service).toBe('app-4');
    const bus = (await proxies())['bus-app-4'];
    expect(bus?.upstream).toBe('redis-1:6379');
    const project = `label=com.docker.compose.project=${current.project.name}`;
    const service = 'label=com.docker.compose.service=app-4';
    const id = (await dockerOk(['ps', '-q', '--filter', project, '--filter', service])).trim();
    const env = await dockerOk(['inspect', '--format', '{{json .Config.Env}}', id]);
    expect(env).toContain(`INVALIDATION_BUS_NODES=fault-proxy:${listenPort(bus?.listen ?? '')}"`);
    // Its subscriber holds a connection through the proxy, and none of its own reaches Redis.
    await expect
      .poll(() => gauge(url, 'fault_proxy_active_connections', 'bus-app-4'), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(1);
    const ip = (await containerIps(current.project.name)).get('app-4');
    const [, port] = (current.state.redis.url ?? '').replace(/^redis:\/\//, '').split(':');
    const redis = new Redis({
      port: Number(port),
      password: suite.redisPassword(),
      lazyConnect: true,
    });
    try {
      await redis.connect();
      const clients = String(await redis.call('CLIENT', 'LIST'));
      expect(ip).toBeDefined();
      expect(clients).not.toContain(`addr=${ip}:`);
    } finally {
      redis.disconnect();
    }
    await driver.removeAppServer(current, 'app-4');
    expect(Object.keys(await proxies())).not.toContain('bus-app-4');
  });

  it('down leaves no container, network or volume behind', () => downLeavesNothing(suite.lab()));
});
