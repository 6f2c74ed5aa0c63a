import { describe, expect, it } from 'vitest';
import type { CacheHit, CacheStrategy } from '../cache/cache-types.ts';
import { createNoCache } from '../cache/none.ts';
import { createRecordingObserver } from '../cache/recording-observer.ts';
import { CacheError } from '../errors.ts';
import type { ConsistencyMode } from './consistency-types.ts';
import { createReadThrough, jitteredTtl } from './read-through.ts';

/** An in-memory strategy (pure logic fake) that records sets and can be told to fail. */
/** A read path over an empty fake cache under consistency `mode`, without TTL jitter. */
function readerOver(mode: ConsistencyMode) {
  return createReadThrough({
    cache: fakeCache().cache,
    ttlMs: 1_000,
    jitter: 0,
    consistency: mode,
  });
}

function fakeCache(options: { failGet?: unknown; failSet?: unknown; tier?: 'l1' | 'l2' } = {}) {
  const store = new Map<string, Buffer>();
  const sets: { key: string; ttlMs: number }[] = [];
  let gets = 0;
  const cache: CacheStrategy = {
    name: 'fake',
    async get(key): Promise<CacheHit | undefined> {
      gets += 1;
      await Promise.resolve();
      if (options.failGet !== undefined) throw options.failGet;
      const value = store.get(key);
      return value === undefined ? undefined : { value, tier: options.tier ?? 'l2' };
    },
    async set(key, value, ttlMs) {
      if (options.failSet !== undefined) throw options.failSet;
      sets.push({ key, ttlMs });
      store.set(key, value);
    },
    async invalidate(key) {
      store.delete(key);
    },
    async ping() {},
    localStats: () => undefined,
    async close() {},
  };
  return { cache, store, sets, gets: () => gets };
}

function deferredLoader(body: Buffer | undefined) {
  let calls = 0;
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const load = async () => {
    calls += 1;
    await gate;
    return body;
  };
  return { load, release, calls: () => calls };
}

describe('read-through', () => {
  it('makes one load for 100 concurrent misses of a key; all waiters get its bytes', async () => {
    const fake = fakeCache();
    const reader = createReadThrough({ cache: fake.cache, ttlMs: 1_000, jitter: 0 });
    const loader = deferredLoader(Buffer.from('v1'));
    const reads = Array.from({ length: 100 }, () => reader.read('k', loader.load));
    loader.release();
    const results = await Promise.all(reads);
    expect(loader.calls()).toBe(1);
    expect(fake.gets()).toBe(1);
    expect(fake.sets).toEqual([{ key: 'k', ttlMs: 1_000 }]);
    expect(results.every((r) => r.body?.toString() === 'v1' && r.result === 'MISS')).toBe(true);
    const again = await reader.read('k', loader.load);
    expect(again.result).toBe('HIT-L2');
    expect(loader.calls()).toBe(1);
  });

  it('reports HIT-L1 for an l1 hit, and loads different keys independently', async () => {
    const fake = fakeCache({ tier: 'l1' });
    fake.store.set('a', Buffer.from('A'));
    const reader = createReadThrough({ cache: fake.cache, ttlMs: 1_000, jitter: 0 });
    let loads = 0;
    const load = async () => {
      loads += 1;
      return Buffer.from('B');
    };
    expect((await reader.read('a', load)).result).toBe('HIT-L1');
    await Promise.all([reader.read('b', load), reader.read('c', load)]);
    expect(loads).toBe(2);
  });

  it('jitters the TTL within ttl × (1 ± jitter/2)', () => {
    expect(jitteredTtl(1_000, 0.2, () => 0)).toBe(900);
    expect(jitteredTtl(1_000, 0.2, () => 0.5)).toBe(1_000);
    expect(jitteredTtl(1_000, 0.2, () => 0.999_999)).toBe(1_100);
    expect(jitteredTtl(1_000, 0, () => 0)).toBe(1_000);
    expect(jitteredTtl(1, 1, () => 0)).toBe(1);
  });

  it('uses the injected random source for the stored TTL', async () => {
    const fake = fakeCache();
    const reader = createReadThrough({
      cache: fake.cache,
      ttlMs: 10_000,
      jitter: 0.1,
      random: () => 0,
    });
    await reader.read('k', async () => Buffer.from('v'));
    expect(fake.sets[0]?.ttlMs).toBe(9_500);
  });

  it('falls back to the loader with BYPASS when the cache get fails, and skips the fill', async () => {
    const fake = fakeCache({ failGet: new CacheError('redis down') });
    const observer = createRecordingObserver();
    const reader = createReadThrough({ cache: fake.cache, ttlMs: 1_000, jitter: 0, observer });
    const read = await reader.read('k', async () => Buffer.from('v'));
    expect(read).toMatchObject({ result: 'BYPASS' });
    expect(read.body?.toString()).toBe('v');
    expect(fake.sets).toEqual([]);
    // CacheErrors are reported by the strategy itself, so the read path does not count them again.
    expect(observer.errors).toEqual([]);
  });

  it('still answers MISS with the loaded value when the cache set fails', async () => {
    const fake = fakeCache({ failSet: new CacheError('redis down') });
    const reader = createReadThrough({ cache: fake.cache, ttlMs: 1_000, jitter: 0 });
    const read = await reader.read('k', async () => Buffer.from('v'));
    expect(read.result).toBe('MISS');
    expect(read.body?.toString()).toBe('v');
  });

  it('reports a strategy failure that is not a CacheError to the observer and still answers', async () => {
    const bug = new TypeError('strategy bug');
    const observer = createRecordingObserver();
    const reader = createReadThrough({
      cache: fakeCache({ failGet: bug }).cache,
      ttlMs: 1_000,
      jitter: 0,
      observer,
    });
    const read = await reader.read('k', async () => Buffer.from('v'));
    expect(read.result).toBe('BYPASS');
    expect(observer.errors).toEqual([{ tier: 'l2', error: bug }]);
  });

  it('propagates a loader failure to every waiter', async () => {
    const reader = createReadThrough({ cache: fakeCache().cache, ttlMs: 1_000, jitter: 0 });
    const load = async () => {
      throw new Error('db down');
    };
    const reads = [reader.read('k', load), reader.read('k', load)];
    await expect(Promise.all(reads)).rejects.toThrow('db down');
  });

  it('does not cache not-found', async () => {
    const fake = fakeCache();
    const reader = createReadThrough({ cache: fake.cache, ttlMs: 1_000, jitter: 0 });
    const read = await reader.read('k', async () => undefined);
    expect(read).toMatchObject({ result: 'MISS', body: undefined });
    expect(fake.sets).toEqual([]);
  });

  it('reports BYPASS for mode none and always loads', async () => {
    const reader = createReadThrough({ cache: createNoCache(), ttlMs: 1_000, jitter: 0 });
    let loads = 0;
    const load = async () => {
      loads += 1;
      return Buffer.from('v');
    };
    expect((await reader.read('k', load)).result).toBe('BYPASS');
    expect((await reader.read('k', load)).result).toBe('BYPASS');
    expect(loads).toBe(2);
  });

  it('an invalidate during a flight cancels its fill and detaches it', async () => {
    const fake = fakeCache();
    const reader = createReadThrough({ cache: fake.cache, ttlMs: 1_000, jitter: 0 });
    const old = deferredLoader(Buffer.from('old'));
    const first = reader.read('k', old.load);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await reader.invalidate('k');
    const second = reader.read('k', async () => Buffer.from('new'));
    old.release();
    expect((await first).body?.toString()).toBe('old');
    expect((await second).body?.toString()).toBe('new');
    expect(fake.store.get('k')?.toString()).toBe('new');
  });
  it('a read that joined a lookup already answered from the cache looks up again', async () => {
    const values = ['v1', 'v2'];
    let lookups = 0;
    let answer: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const mode: ConsistencyMode = {
      name: 'outbox+lease',
      invalidates: true,
      async lookup() {
        const value = Buffer.from(values[lookups++] ?? 'none');
        if (lookups === 1) await answered;
        return { hit: { value, tier: 'l2' } };
      },
      async recordWrite() {},
      async invalidate() {},
    };
    const reader = readerOver(mode);
    const load = async () => Buffer.from('loaded');
    const owner = reader.read('k', load);
    const joiner = reader.read('k', load);
    answer();
    expect((await owner).body?.toString()).toBe('v1');
    expect((await joiner).body?.toString()).toBe('v2');
    expect(lookups).toBe(2);
  });
  it('a read that joined a load whose fill the mode refused reads again; the owner keeps its value', async () => {
    let loads = 0;
    let refuse = true;
    const mode: ConsistencyMode = {
      name: 'outbox',
      invalidates: true,
      lookup: async () => ({ fill: async () => !refuse }),
      async recordWrite() {},
      async invalidate() {},
    };
    const reader = readerOver(mode);
    const loader = deferredLoader(Buffer.from('v1'));
    const load = async () => {
      loads += 1;
      if (loads > 1) return Buffer.from('v2');
      return loader.load();
    };
    const owner = reader.read('k', load);
    const joiner = reader.read('k', load);
    loader.release();
    expect((await owner).body?.toString()).toBe('v1');
    refuse = false;
    expect((await joiner).body?.toString()).toBe('v2');
    expect(loads).toBe(2);
  });
});

describe('read-through: a miss that will not fill gives its lease back', () => {
  /** A mode whose every lookup is a miss with a fill and a release, both counted. */
  function leasingMode() {
    const counts = { fills: 0, releases: 0 };
    const mode: ConsistencyMode = {
      name: 'lease',
      invalidates: true,
      async lookup() {
        return {
          async fill() {
            counts.fills += 1;
            return true;
          },
          async release() {
            counts.releases += 1;
          },
        };
      },
      async recordWrite() {},
      async invalidate() {},
    };
    return { mode, counts };
  }

  const readerOf = (mode: ConsistencyMode) =>
    createReadThrough({ cache: fakeCache().cache, ttlMs: 1_000, jitter: 0, consistency: mode });

  it('a failed load releases it, and the failure reaches the reader', async () => {
    const { mode, counts } = leasingMode();
    const failing = readerOf(mode).read('k', async () => {
      throw new Error('db down');
    });
    await expect(failing).rejects.toThrow('db down');
    expect(counts).toEqual({ fills: 0, releases: 1 });
  });

  it('a profile that does not exist releases it; a loaded value fills instead', async () => {
    const { mode, counts } = leasingMode();
    const reader = readerOf(mode);
    expect((await reader.read('gone', async () => undefined)).body).toBeUndefined();
    expect(counts).toEqual({ fills: 0, releases: 1 });
    expect((await reader.read('k', async () => Buffer.from('v'))).result).toBe('MISS');
    expect(counts).toEqual({ fills: 1, releases: 1 });
  });

  it('a read invalidated by a write on this server releases it instead of filling', async () => {
    const { mode, counts } = leasingMode();
    const reader = readerOf(mode);
    const loader = deferredLoader(Buffer.from('v1'));
    const reading = reader.read('k', loader.load);
    await reader.invalidate('k', 2);
    loader.release();
    await reading;
    expect(counts).toEqual({ fills: 0, releases: 1 });
  });

  it('a release that fails is absorbed: the read still answers', async () => {
    const { mode } = leasingMode();
    const failingRelease: ConsistencyMode = {
      ...mode,
      async lookup() {
        return {
          release: async () => {
            throw new CacheError('redis down');
          },
        };
      },
    };
    const read = await readerOf(failingRelease).read('k', async () => Buffer.from('v'));
    expect(read.body?.toString()).toBe('v');
    expect(read.result).toBe('MISS');
  });
});
