import { describe, expect, it } from 'vitest';
import { CATALOG, getTopology } from '../../topology/catalog.ts';
import { withNetwork } from '../../topology/network-proxies.ts';
import { COMPOSE_PATHS, ref } from './compose-types.ts';
import {
  composeProxies,
  FAULT_PROXY_SERVICE,
  faultProxyConfigJson,
  networkOverlay,
  proxiedNginxUpstreams,
} from './fault-proxy-service.ts';
import { renderBase, renderComposeFiles, renderOffline } from './render-compose.ts';

const cluster = getTopology('global-cluster');

describe('compose fault proxy', () => {
  it('puts one proxy per app server, Redis node and Postgres, on fixed distinct ports', () => {
    const proxies = composeProxies(cluster);
    expect(proxies.map((p) => p.name)).toEqual([
      'app-1',
      'app-2',
      'app-3',
      ...[1, 2, 3, 4, 5, 6].map((i) => `redis-${i}`),
      'postgres',
    ]);
    expect(new Set(proxies.map((p) => p.port)).size).toBe(proxies.length);
    expect(proxies.find((p) => p.name === 'redis-2')?.upstream).toBe('redis-2:6379');
    expect(proxies.find((p) => p.name === 'postgres')?.upstream).toBe('postgres:5432');
    const config = JSON.parse(faultProxyConfigJson(cluster)) as {
      name: string;
      upstream: string;
    }[];
    expect(config).toHaveLength(proxies.length + 1);
    expect(config.at(-1)).toMatchObject({ name: 'overhead-probe', upstream: '127.0.0.1:8474' });
  });

  it('points apps, the invalidator and nginx at the proxies, and maps every announced node to its proxy', () => {
    const overlay = networkOverlay(cluster).services;
    const app = overlay['app-2']?.environment ?? {};
    expect(app.DATABASE_URL).toMatch(/@fault-proxy:\d+\/cachelab$/);
    expect(app.REDIS_NODES?.split(',').every((n) => n.startsWith('fault-proxy:'))).toBe(true);
    expect(overlay.invalidator?.environment?.REDIS_NODES).toBe(app.REDIS_NODES);
    expect(overlay['app-1']?.depends_on?.[FAULT_PROXY_SERVICE]?.condition).toBe('service_healthy');
    // The driver points the variable at its rewritable copy; by hand it is the generated file.
    const nginxConf = ref(
      'CACHELAB_NGINX_CONF',
      `./${COMPOSE_PATHS.networkNginx('global-cluster')}`,
    );
    expect(overlay.nginx?.volumes).toEqual([`${nginxConf}:/etc/nginx/nginx.conf:ro`]);
    // The nodes keep announcing their own names, so replication stays direct; clients dial proxies.
    expect(overlay['redis-cluster-init']).toBeUndefined();
    const pairs = app.REDIS_NAT_MAP?.split(',') ?? [];
    expect(pairs).toHaveLength(6);
    const seeds = app.REDIS_NODES?.split(',') ?? [];
    expect(pairs.map((p) => p.split('=')[0])).toEqual(
      [1, 2, 3, 4, 5, 6].map((i) => `redis-${i}:6379`),
    );
    expect(pairs.map((p) => p.split('=')[1])).toEqual(seeds);
    expect(overlay.invalidator?.environment?.REDIS_NAT_MAP).toBe(app.REDIS_NAT_MAP);
    expect(proxiedNginxUpstreams(cluster).every((u) => u.startsWith('fault-proxy:'))).toBe(true);
  });

  it('runs the real toxiproxy in official stacks and the lab proxy in the offline one', () => {
    const base = renderBase(CATALOG);
    expect(base.services[FAULT_PROXY_SERVICE]?.image).toBe(ref('CACHELAB_TOXIPROXY_IMAGE'));
    expect(base.services[FAULT_PROXY_SERVICE]?.profiles).toEqual(['network']);
    const offline = renderOffline(base).services[FAULT_PROXY_SERVICE];
    expect(offline?.image).toBe(ref('CACHELAB_OFFLINE_APP_IMAGE'));
    expect(offline?.entrypoint?.join(' ')).toContain('dist/services/fault-proxy/src/main.js');
  });

  it('renders the same files whatever the profile: the driver adds the latency', () => {
    const proxied = CATALOG.map((t) =>
      t.name === 'global' ? withNetwork(t, { profile: 'cross-az' }) : t,
    );
    expect(renderComposeFiles(proxied)).toEqual(renderComposeFiles(CATALOG));
    const paths = renderComposeFiles(CATALOG).map((f) => f.path);
    for (const t of CATALOG) {
      expect(paths).toContain(COMPOSE_PATHS.network(t.name));
      expect(paths).toContain(COMPOSE_PATHS.faultProxy(t.name));
    }
  });
});
