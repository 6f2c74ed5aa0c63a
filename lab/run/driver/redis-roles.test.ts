import { describe, expect, it } from 'vitest';
import { isLabError } from '../../lab-errors.ts';
import { failoverPair, parseClusterNodes } from './redis-roles.ts';

const NODES = [
  'a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460',
  'b2 127.0.0.1:7002@17002 master - 0 1 2 connected 5461-10922',
  'c3 127.0.0.1:7003@17003,redis-3 master - 0 1 3 connected 10923-16383',
  'd4 127.0.0.1:7004@17004 slave a1 0 1 1 connected',
  'e5 127.0.0.1:7005@17005 slave b2 0 1 2 connected',
].join('\n');

describe('parseClusterNodes', () => {
  it('reads address, hostname, role, master and slots', () => {
    const nodes = parseClusterNodes(NODES);
    expect(nodes).toHaveLength(5);
    expect(nodes[0]).toMatchObject({
      id: 'a1',
      address: '127.0.0.1:7001',
      master: true,
      slots: [[0, 5460]],
    });
    expect(nodes[2]?.hostname).toBe('redis-3');
    expect(nodes[3]).toMatchObject({ master: false, masterId: 'a1', slots: [] });
  });
});

describe('failoverPair', () => {
  it('picks the master of slot 0 and its replica', () => {
    const { master, replica } = failoverPair(parseClusterNodes(NODES));
    expect([master.id, replica.id]).toEqual(['a1', 'd4']);
  });

  it('fails clearly when slot 0 has no healthy replica', () => {
    const failed = NODES.replace(
      'd4 127.0.0.1:7004@17004 slave',
      'd4 127.0.0.1:7004@17004 slave,fail',
    );
    try {
      failoverPair(parseClusterNodes(failed));
      expect.unreachable();
    } catch (error) {
      expect(isLabError(error) && error.code).toBe('ACTION_FAILED');
    }
  });
});
