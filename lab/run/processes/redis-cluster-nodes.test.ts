import { describe, expect, it } from 'vitest';
import { parseClusterInfo, parseMasters, selfAddress } from './redis-cluster-nodes.ts';

describe('parseClusterInfo', () => {
  it('reads key:value lines', () => {
    const info = parseClusterInfo('cluster_state:ok\r\ncluster_slots_ok:16384\r\n');
    expect(info.get('cluster_state')).toBe('ok');
    expect(info.get('cluster_slots_ok')).toBe('16384');
  });
});

describe('parseMasters', () => {
  it('lists masters that own slots and are not failed', () => {
    const nodes = [
      'a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460',
      'a2 127.0.0.1:7002@17002 master - 0 0 2 connected 5461-10922',
      'a3 127.0.0.1:7003@17003 master,fail - 0 0 3 connected 10923-16383',
      'a4 127.0.0.1:7004@17004 slave a1 0 0 1 connected',
      'a5 127.0.0.1:7005@17005 master - 0 0 5 connected',
    ].join('\n');
    expect(parseMasters(nodes)).toEqual(['127.0.0.1:7001', '127.0.0.1:7002']);
  });
});

describe('selfAddress', () => {
  it('is the address of the myself line, without the bus port', () => {
    const nodes = [
      'a2 127.0.0.1:21004@17002 master - 0 0 2 connected 5461-10922',
      'a1 127.0.0.1:21003@17001 myself,slave a2 0 0 1 connected',
    ].join('\n');
    expect(selfAddress(nodes)).toBe('127.0.0.1:21003');
    expect(selfAddress('')).toBe('');
  });
});
