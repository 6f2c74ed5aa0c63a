import { describe, expect, it } from 'vitest';
import { isLabError } from '../../lab-errors.ts';
import { getTopology } from '../../topology/catalog.ts';
import { withNetwork } from '../../topology/network-proxies.ts';
import { clusterNodeAddresses } from '../processes/redis-announce.ts';
import { refuseNetworkProfile } from './network-support.ts';

describe('drivers without fault proxies', () => {
  it('accept loopback and refuse any other profile with USAGE naming the native driver', () => {
    expect(() => refuseNetworkProfile(getTopology('global'), 'swarm')).not.toThrow();
    let error: unknown;
    try {
      refuseNetworkProfile(withNetwork(getTopology('global'), { profile: 'lan' }), 'swarm');
    } catch (e) {
      error = e;
    }
    expect(isLabError(error) && error.code).toBe('USAGE');
    expect(String(error)).toContain('--driver native');
  });
});

describe('clusterNodeAddresses', () => {
  it('reads ip:port of every CLUSTER NODES line, without the bus port', () => {
    const text = [
      'a1 127.0.0.1:41001@17001 myself,master - 0 0 1 connected 0-5460',
      'b2 127.0.0.1:41002@17002 master - 0 1 2 connected 5461-10922',
      '',
    ].join('\n');
    expect(clusterNodeAddresses(text)).toEqual(['127.0.0.1:41001', '127.0.0.1:41002']);
  });
});
