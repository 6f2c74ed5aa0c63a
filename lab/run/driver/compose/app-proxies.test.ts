import { describe, expect, it } from 'vitest';
import { composeProxies } from '../../../render/compose/fault-proxy-service.ts';
import { getTopology } from '../../../topology/catalog.ts';
import { withNetwork } from '../../../topology/network-proxies.ts';
import { appIndexOf, appProxies, FIRST_ADDED_PROXY_PORT } from './app-proxies.ts';

const twoTier = withNetwork(getTopology('two-tier'), { profile: 'lan' });
const cluster = withNetwork(getTopology('global-cluster'), { profile: 'lan' });

describe('the proxies of one compose app server', () => {
  it('keeps the fixed compose ports of a server of the topology', () => {
    const fixed = new Map(composeProxies(twoTier).map((p) => [p.name, p.listen]));
    const second = appProxies(twoTier, 1);
    expect(second.proxies.map((p) => p.name)).toEqual(['app-2', 'bus-app-2']);
    for (const p of second.proxies) expect(p.listen).toBe(fixed.get(p.name));
    expect(second.upstream).toBe(`fault-proxy:${fixed.get('app-2')?.split(':')[1]}`);
  });

  it('gives an added server its own ports past the fixed range, its bus through them', () => {
    const added = appProxies(twoTier, twoTier.appServers);
    const name = `app-${twoTier.appServers + 1}`;
    expect(added.proxies.map((p) => [p.name, p.listen, p.upstream])).toEqual([
      [name, `0.0.0.0:${FIRST_ADDED_PROXY_PORT}`, `${name}:3000`],
      [`bus-${name}`, `0.0.0.0:${FIRST_ADDED_PROXY_PORT + 1}`, 'redis-1:6379'],
    ]);
    expect(added.upstream).toBe(`fault-proxy:${FIRST_ADDED_PROXY_PORT}`);
    expect(added.env.INVALIDATION_BUS_NODES).toBe(`fault-proxy:${FIRST_ADDED_PROXY_PORT + 1}`);
    expect(added.env.REDIS_URL ?? added.env.REDIS_NODES).toMatch(/fault-proxy:21\d{3}/);
    expect(added.proxies[0]?.toxics.length).toBeGreaterThan(0);
    const next = appProxies(twoTier, twoTier.appServers + 1).proxies.map((p) => p.listen);
    expect(next).toEqual([2, 3].map((k) => `0.0.0.0:${FIRST_ADDED_PROXY_PORT + k}`));
  });

  it('adds no bus proxies without a bus, and reads an index from a name', () => {
    const added = appProxies(cluster, 3);
    expect(added.proxies.map((p) => p.name)).toEqual(['app-4']);
    expect(added.env.INVALIDATION_BUS_NODES).toBeUndefined();
    expect(added.env.REDIS_NODES?.split(',')).toHaveLength(6);
    expect(appIndexOf('app-4')).toBe(3);
  });
});
