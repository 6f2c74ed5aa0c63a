import { describe, expect, it } from 'vitest';
import { isLabError } from '../../lab-errors.ts';
import { getTopology } from '../../topology/catalog.ts';
import { networkOf } from '../../topology/network-proxies.ts';
import { getScenario } from '../scenario-catalog.ts';
import { effectiveTopology, variantsOf } from './effective-topology.ts';

describe('effectiveTopology', () => {
  it('puts a fault-proxy scenario on its network profile, unless --network chose one', () => {
    const global = getTopology('global');
    const slow = getScenario('redis-slow');
    expect(networkOf(effectiveTopology(global, slow, undefined)).profile).toBe('lan');
    const chosen = effectiveTopology(global, slow, undefined, { network: 'cross-az' });
    expect(networkOf(chosen).profile).toBe('cross-az');
    expect(networkOf(effectiveTopology(global, getScenario('redis-kill'), undefined)).profile).toBe(
      'loopback',
    );
  });

  it("applies a variant's consistency and grace; --consistency wins", () => {
    const global = getTopology('global');
    const [noGrace, grace] = variantsOf(getScenario('postgres-down'));
    expect(
      effectiveTopology(global, getScenario('postgres-down'), noGrace).consistency.graceMs,
    ).toBe(0);
    expect(effectiveTopology(global, getScenario('postgres-down'), grace).consistency.graceMs).toBe(
      60_000,
    );
    const [, leases] = variantsOf(getScenario('flush-stampede'));
    const stampede = getScenario('flush-stampede');
    expect(effectiveTopology(global, stampede, leases).consistency.mode).toBe('lease');
    const forced = effectiveTopology(global, stampede, leases, { consistency: 'ttl' });
    expect(forced.consistency.mode).toBe('ttl');
    expect(variantsOf(getScenario('redis-kill'))).toEqual([undefined]);
  });

  it('rejects a consistency mode the topology cannot have', () => {
    try {
      effectiveTopology(getTopology('local'), getScenario('app-server-kill'), undefined, {
        consistency: 'lease',
      });
      expect.unreachable();
    } catch (error) {
      expect(isLabError(error) && error.code).toBe('TOPOLOGY_INVALID');
    }
  });
});
