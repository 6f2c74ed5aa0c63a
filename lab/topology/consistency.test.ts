import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/app/src/config.ts';
import { isLabError } from '../lab-errors.ts';
import { appServerEnv, hasInvalidator, invalidatorEnv } from './app-env.ts';
import { CATALOG, getTopology } from './catalog.ts';
import { parseConsistencyList, withConsistency } from './consistency.ts';
import { validateTopology } from './schema.ts';

const ctx = {
  databaseUrl: 'postgres://cachelab:cachelab@127.0.0.1:5999/cachelab',
  redis: { url: 'redis://127.0.0.1:6999', nodes: ['127.0.0.1:7001', '127.0.0.1:7002'] },
};

function errorOf(run: () => unknown): Error & { code?: string } {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an error');
}

describe('topology consistency', () => {
  it('gives every topology a mode and grace, each with its reason; shared caches get outbox+lease with grace', () => {
    for (const t of CATALOG) {
      expect(t.consistency.why.length).toBeGreaterThan(20);
      expect(t.consistency.graceWhy.length).toBeGreaterThan(20);
      const shared = t.redis.kind !== 'none';
      expect(t.consistency.mode).toBe(shared ? 'outbox+lease' : 'delete');
      expect(t.consistency.graceMs > 0).toBe(shared);
      expect(hasInvalidator(t)).toBe(shared);
    }
  });

  it('refuses an unknown mode, naming the setting', () => {
    const bad = {
      ...getTopology('global'),
      consistency: { ...getTopology('global').consistency, mode: 'eventual' },
    };
    const error = errorOf(() => validateTopology(bad));
    expect(isLabError(error) && error.code).toBe('TOPOLOGY_INVALID');
    expect(error.message).toContain('consistency.mode');
    expect(errorOf(() => parseConsistencyList('ttl,eventual')).message).toMatch(
      /consistency: unknown mode 'eventual'/,
    );
  });

  it('refuses leases and outboxes without a shared cache', () => {
    const error = errorOf(() => withConsistency(getTopology('local'), 'lease'));
    expect(error.message).toContain('consistency.mode: lease needs a shared cache');
    expect(withConsistency(getTopology('global'), 'ttl').consistency.mode).toBe('ttl');
  });

  it('derives CONSISTENCY and GRACE_MS for the app, and an invalidator environment the app schema accepts', () => {
    const global = getTopology('global-cluster');
    const env = appServerEnv(global, { ...ctx, index: 0, diskCacheDir: '/tmp/x' });
    expect(env.CONSISTENCY).toBe('outbox+lease');
    expect(env.GRACE_MS).toBe('60000');
    expect(loadConfig(env).CONSISTENCY).toBe('outbox+lease');
    const invalidator = invalidatorEnv(global, ctx);
    expect(invalidator.REDIS_NODES).toBe('127.0.0.1:7001,127.0.0.1:7002');
    expect(loadConfig(invalidator).CACHE_MODE).toBe('global-cluster');
  });
});
