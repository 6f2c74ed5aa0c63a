import { describe, expect, it } from 'vitest';
import { ToxicCollection } from '../../services/fault-proxy/src/toxic-collection.ts';
import { isLabError } from '../lab-errors.ts';
import { CATALOG, getTopology } from './catalog.ts';
import {
  compensated,
  describeNetwork,
  hopDelays,
  latencyToxics,
  NETWORK_PROFILE_NAMES,
  NETWORK_PROFILES,
  needsProxies,
  parseHopOverride,
  parseNetworkProfile,
} from './network.ts';
import { faultProxies, networkOf, withNetwork } from './network-proxies.ts';
import { validateTopology } from './schema.ts';
import { redisNodeCount } from './services.ts';

const upstreams = {
  app: (i: number) => `127.0.0.1:${30_000 + i}`,
  redis: (i: number) => `127.0.0.1:${31_000 + i}`,
  postgres: '127.0.0.1:5432',
};

describe('network profiles', () => {
  it('name loopback, lan, same-az and cross-az with their round trips and a default jitter', () => {
    expect(NETWORK_PROFILE_NAMES).toEqual(['loopback', 'lan', 'same-az', 'cross-az']);
    expect(NETWORK_PROFILES.lan.rttMs).toBe(0.1);
    expect(NETWORK_PROFILES['same-az'].rttMs).toBe(0.5);
    expect(NETWORK_PROFILES['cross-az'].rttMs).toBe(2);
    for (const name of NETWORK_PROFILE_NAMES.slice(1)) {
      expect(NETWORK_PROFILES[name].jitterMs).toBeGreaterThan(0);
    }
    expect(needsProxies({ profile: 'loopback' })).toBe(false);
    expect(needsProxies({ profile: 'lan' })).toBe(true);
  });

  it('applies per-hop overrides over the profile', () => {
    const delays = hopDelays({
      profile: 'same-az',
      hops: { 'app-redis': { rttMs: 2, jitterMs: 0 } },
    });
    expect(delays).toEqual({
      'nginx-app': { rttMs: 0.5, jitterMs: 0.05 },
      'app-redis': { rttMs: 2, jitterMs: 0 },
      'app-postgres': { rttMs: 0.5, jitterMs: 0.05 },
    });
    expect(
      needsProxies({ profile: 'loopback', hops: { 'app-postgres': { rttMs: 1, jitterMs: 0 } } }),
    ).toBe(true);
    expect(describeNetwork({ profile: 'lan' })).toBe(
      'lan (nginx→app 0.1 ms, app→redis 0.1 ms, app→postgres 0.1 ms)',
    );
  });

  it('puts the round trip of a hop on its replies, as one toxic the fault proxy accepts', () => {
    const toxics = latencyToxics({ rttMs: 0.5, jitterMs: 0.05 });
    expect(toxics.map((t) => [t.stream, t.attributes])).toEqual([
      ['downstream', { latency: 0.5, jitter: 0.05 }],
    ]);
    const collection = new ToxicCollection(() => {});
    for (const toxic of toxics) collection.add(toxic);
    expect(collection.list().map((t) => t.name)).toEqual(['latency_downstream']);
  });

  it("subtracts the proxy's own round trip from a latency toxic, never below zero", () => {
    const [toxic] = latencyToxics({ rttMs: 0.5, jitterMs: 0.05 });
    if (!toxic) throw new Error('no toxic');
    expect(compensated(toxic, 0.0874).attributes).toEqual({ latency: 0.413, jitter: 0.05 });
    expect(compensated(toxic, 0.7).attributes.latency).toBe(0);
    expect(toxic.attributes.latency).toBe(0.5);
  });

  it('parses --network values and refuses others with USAGE naming the profiles', () => {
    expect(parseNetworkProfile('cross-az')).toBe('cross-az');
    let error: unknown;
    try {
      parseNetworkProfile('moon');
    } catch (e) {
      error = e;
    }
    expect(isLabError(error) && error.code).toBe('USAGE');
    expect(String(error)).toContain('loopback, lan, same-az, cross-az');
  });
});

describe('network in the topology model', () => {
  it('is loopback for every catalog topology, and validates when set', () => {
    for (const t of CATALOG) expect(networkOf(t)).toEqual({ profile: 'loopback' });
    const t = withNetwork(getTopology('global'), { profile: 'same-az' });
    expect(validateTopology(t).network).toEqual({ profile: 'same-az' });
    expect(() => validateTopology({ ...t, network: { profile: 'mars' } })).toThrow(/network/);
    const negative = { profile: 'lan', hops: { 'nginx-app': { rttMs: -1, jitterMs: 0 } } };
    expect(() => validateTopology({ ...t, network: negative })).toThrow(/network/);
  });

  it('derives one proxy per app server, per Redis node and for Postgres; none on loopback', () => {
    for (const base of CATALOG) {
      expect(faultProxies(base, upstreams)).toEqual([]);
      const t = withNetwork(base, { profile: 'cross-az' });
      const all = faultProxies(t, upstreams);
      const proxies = all.filter((p) => p.bus === undefined);
      const redisNodes = redisNodeCount(t.redis);
      expect(proxies).toHaveLength(t.appServers + redisNodes + 1);
      expect(new Set(all.map((p) => p.name)).size).toBe(all.length);
      expect(proxies.filter((p) => p.hop === 'app-redis').map((p) => p.upstream)).toEqual(
        Array.from({ length: redisNodes }, (_, i) => upstreams.redis(i)),
      );
      expect(proxies.at(-1)).toMatchObject({ name: 'postgres', upstream: '127.0.0.1:5432' });
      for (const p of proxies) expect(p.toxics[0]?.attributes.latency).toBe(2);
    }
  });

  it('follows a change of the model: an override changes only its hop', () => {
    const t = withNetwork(getTopology('two-tier'), {
      profile: 'lan',
      hops: { 'app-postgres': { rttMs: 4, jitterMs: 0 } },
    });
    const byName = new Map(faultProxies(t, upstreams).map((p) => [p.name, p]));
    expect(byName.get('postgres')?.toxics[0]?.attributes).toEqual({ latency: 4, jitter: 0 });
    expect(byName.get('redis-1')?.toxics[0]?.attributes).toEqual({ latency: 0.1, jitter: 0.01 });
    expect(byName.get('app-3')?.hop).toBe('nginx-app');
  });
});

describe('--hop overrides', () => {
  it('parses HOP=RTT[/JITTER] in ms', () => {
    expect(parseHopOverride('app-redis=1')).toEqual(['app-redis', { rttMs: 1, jitterMs: 0 }]);
    expect(parseHopOverride('nginx-app=0.3/0.03')).toEqual([
      'nginx-app',
      { rttMs: 0.3, jitterMs: 0.03 },
    ]);
  });

  it('refuses an unknown hop, a bad number or a value out of range, naming the hops', () => {
    for (const bad of [
      'redis=1',
      'app-redis=',
      'app-redis=-1',
      'app-redis=2000',
      'app-redis=1/x',
    ]) {
      expect(() => parseHopOverride(bad), bad).toThrow(/nginx-app, app-redis, app-postgres/);
    }
  });
});
