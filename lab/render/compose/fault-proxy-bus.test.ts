import { describe, expect, it } from 'vitest';
import { getTopology } from '../../topology/catalog.ts';
import { composeProxies, networkOverlay, proxyAddress } from './fault-proxy-service.ts';

const twoTier = getTopology('two-tier');

describe('compose: each two-tier app server subscribes to the bus through its own proxy', () => {
  it('adds bus-app-1…3 after the other proxies, leaving their ports where they were', () => {
    const proxies = composeProxies(twoTier);
    expect(proxies.map((p) => [p.name, p.upstream])).toEqual([
      ['app-1', 'app-1:3000'],
      ['app-2', 'app-2:3000'],
      ['app-3', 'app-3:3000'],
      ['redis-1', 'redis-1:6379'],
      ['postgres', 'postgres:5432'],
      ['bus-app-1', 'redis-1:6379'],
      ['bus-app-2', 'redis-1:6379'],
      ['bus-app-3', 'redis-1:6379'],
    ]);
    expect(proxies.slice(0, 5).map((p) => p.port)).toEqual(
      composeProxies(getTopology('global')).map((p) => p.port),
    );
  });

  it('points each server at its own bus proxy and its L2 at the shared one', () => {
    const services = networkOverlay(twoTier).services;
    const l2 = `redis://${proxyAddress(twoTier, 'redis-1')}`;
    for (const [i, name] of ['app-1', 'app-2', 'app-3'].entries()) {
      const env = services[name]?.environment ?? {};
      expect(env.REDIS_URL).toBe(l2);
      expect(env.INVALIDATION_BUS_NODES).toBe(proxyAddress(twoTier, `bus-app-${i + 1}`));
    }
    expect(services.invalidator?.environment?.INVALIDATION_BUS_NODES).toBeUndefined();
    const global = networkOverlay(getTopology('global')).services;
    expect(global['app-1']?.environment?.INVALIDATION_BUS_NODES).toBeUndefined();
  });
});
