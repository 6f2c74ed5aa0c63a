import { describe, expect, it } from 'vitest';
import { createLocalLruCache } from './local-lru.ts';
import { createRecordingObserver } from './recording-observer.ts';

const bytes = (n: number, fill = 1) => Buffer.alloc(n, fill);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('local LRU', () => {
  it('keeps at most maxEntries and reports size evictions', async () => {
    const observer = createRecordingObserver();
    const cache = createLocalLruCache({ maxEntries: 3, maxBytes: 1_000_000, observer });
    for (const key of ['a', 'b', 'c', 'd', 'e']) await cache.set(key, bytes(10), 60_000);
    expect(cache.localStats()).toEqual({ entries: 3, bytes: 30 });
    expect(await cache.get('a')).toBeUndefined();
    expect((await cache.get('e'))?.tier).toBe('l1');
    expect(observer.evictions.filter((e) => e.reason === 'size')).toHaveLength(2);
  });

  it('keeps at most maxBytes of values, evicting least recently used first', async () => {
    const observer = createRecordingObserver();
    const cache = createLocalLruCache({ maxEntries: 100, maxBytes: 2_500, observer });
    await cache.set('a', bytes(1_000), 60_000);
    await cache.set('b', bytes(1_000), 60_000);
    await cache.get('a'); // a is now more recent than b
    await cache.set('c', bytes(1_000), 60_000);
    expect(cache.localStats()).toEqual({ entries: 2, bytes: 2_000 });
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(observer.evictions).toEqual([{ tier: 'l1', reason: 'size' }]);
  });

  it('does not store a value larger than maxBytes', async () => {
    const cache = createLocalLruCache({
      maxEntries: 10,
      maxBytes: 1_024,
      observer: createRecordingObserver(),
    });
    await cache.set('big', bytes(2_048), 60_000);
    expect(await cache.get('big')).toBeUndefined();
  });

  it('expires entries by their own TTL and reports ttl evictions', async () => {
    const observer = createRecordingObserver();
    const cache = createLocalLruCache({ maxEntries: 10, maxBytes: 10_000, observer });
    await cache.set('short', bytes(5), 30);
    await cache.set('long', bytes(5), 60_000);
    await sleep(60);
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('long')).toBeDefined();
    expect(observer.evictions).toContainEqual({ tier: 'l1', reason: 'ttl' });
  });

  it('invalidate, drop and clear remove entries and report invalidate evictions', async () => {
    const observer = createRecordingObserver();
    const cache = createLocalLruCache({ maxEntries: 10, maxBytes: 10_000, observer });
    for (const key of ['a', 'b', 'c']) await cache.set(key, bytes(1), 60_000);
    await cache.invalidate('a');
    cache.drop('b');
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBeUndefined();
    cache.clear();
    expect(cache.localStats()).toEqual({ entries: 0, bytes: 0 });
    expect(observer.evictions.filter((e) => e.reason === 'invalidate')).toHaveLength(3);
  });

  it('returns the stored bytes and reports hits and misses', async () => {
    const observer = createRecordingObserver();
    const cache = createLocalLruCache({ maxEntries: 10, maxBytes: 10_000, observer });
    await cache.set('k', Buffer.from('hello'), 60_000);
    expect((await cache.get('k'))?.value.toString()).toBe('hello');
    expect(await cache.get('nope')).toBeUndefined();
    const gets = observer.operations.filter((o) => o.op === 'get').map((o) => o.result);
    expect(gets).toEqual(['hit', 'miss']);
  });
});
