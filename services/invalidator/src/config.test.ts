import { describe, expect, it } from 'vitest';
import { loadInvalidatorConfig } from './config.ts';

describe('loadInvalidatorConfig', () => {
  it('passes the cluster seeds and their NAT map through to the cache it invalidates', () => {
    const config = loadInvalidatorConfig({
      CACHE_MODE: 'global-cluster',
      CONSISTENCY: 'outbox+lease',
      REDIS_NODES: 'fault-proxy:21003,fault-proxy:21004,fault-proxy:21005',
      REDIS_NAT_MAP: 'redis-1:6379=fault-proxy:21003',
    });
    expect(config.app.REDIS_NODES).toHaveLength(3);
    expect(config.app.REDIS_NAT_MAP).toEqual({
      'redis-1:6379': { host: 'fault-proxy', port: 21003 },
    });
  });

  it('refuses a consistency mode without an outbox, naming it', () => {
    expect(() => loadInvalidatorConfig({ CONSISTENCY: 'delete' })).toThrow(/got delete/);
  });
});
