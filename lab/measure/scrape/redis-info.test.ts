import { describe, expect, it } from 'vitest';
import { parseRedisInfo, redisCountersOf, subtractRedisCounters } from './redis-info.ts';

const INFO = [
  '# Stats',
  'total_commands_processed:120',
  'keyspace_hits:30',
  'keyspace_misses:10',
  '',
  '# Commandstats',
  'cmdstat_get:calls=40,usec=80,usec_per_call=2.00,rejected_calls=0,failed_calls=0',
  'cmdstat_set:calls=10,usec=30,usec_per_call=3.00,rejected_calls=0,failed_calls=0',
  'cmdstat_info:calls=5,usec=500,usec_per_call=100.00,rejected_calls=0,failed_calls=0',
  'cmdstat_client|setname:calls=1,usec=1,usec_per_call=1.00,rejected_calls=0,failed_calls=0',
  '',
  '# Memory',
  'used_memory:1048576',
  'used_memory_human:1.00M',
  '',
  '# Replication',
  'role:slave',
  '',
  '# Keyspace',
  'db0:keys=7,expires=7,avg_ttl=1000',
  'db1:keys=3,expires=0,avg_ttl=0',
].join('\r\n');

describe('redis INFO', () => {
  it('flattens sections into fields', () => {
    const fields = parseRedisInfo(INFO);
    expect(fields.keyspace_hits).toBe('30');
    expect(fields.role).toBe('slave');
  });

  it('counts every command but INFO, and keys over all databases', () => {
    const c = redisCountersOf('redis-2', parseRedisInfo(INFO));
    expect(c).toEqual({
      node: 'redis-2',
      role: 'replica',
      ops: 51,
      commands: { get: 40, set: 10, 'client|setname': 1 },
      keyspaceHits: 30,
      keyspaceMisses: 10,
      keys: 10,
      usedMemoryBytes: 1048576,
    });
  });

  it('subtracts counters and keeps gauges of the later scrape', () => {
    const before = redisCountersOf('redis-1', parseRedisInfo(INFO));
    const after = { ...before, ops: 80, commands: { get: 60, set: 19, del: 1 }, keys: 12 };
    expect(subtractRedisCounters(after, before)).toMatchObject({
      ops: 29,
      commands: { get: 20, set: 9, del: 1, 'client|setname': -1 },
      keys: 12,
      keyspaceHits: 0,
    });
  });
});
