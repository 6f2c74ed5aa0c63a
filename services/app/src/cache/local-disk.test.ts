import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalDiskCache, type LocalDiskCache } from './local-disk.ts';
import { createRecordingObserver, type RecordingObserver } from './recording-observer.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('local disk cache (real lmdb in a temp dir)', () => {
  let dir: string;
  let observer: RecordingObserver;
  const open: LocalDiskCache[] = [];
  const openCache = (maxEntries = 100) => {
    const cache = createLocalDiskCache({ path: join(dir, 'db'), maxEntries, observer });
    open.push(cache);
    return cache;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachelab-disk-'));
    observer = createRecordingObserver();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((cache) => cache.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips binary values byte-exact and survives a reopen', async () => {
    const value = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    const first = openCache();
    await first.set('k', value, 60_000);
    await first.close();
    const second = openCache();
    const hit = await second.get('k');
    expect(hit?.tier).toBe('l1');
    expect(hit?.value.equals(value)).toBe(true);
  });

  it('returns independent buffers (later reads do not overwrite earlier results)', async () => {
    const cache = openCache();
    await cache.set('a', Buffer.from('aaaa'), 60_000);
    await cache.set('b', Buffer.from('bbbb'), 60_000);
    const a = await cache.get('a');
    await cache.get('b');
    expect(a?.value.toString()).toBe('aaaa');
  });

  it('treats expired entries as misses, removes them, and reports ttl evictions', async () => {
    const cache = openCache();
    await cache.set('short', Buffer.from('x'), 30);
    await cache.set('long', Buffer.from('y'), 60_000);
    await sleep(60);
    expect(await cache.get('short')).toBeUndefined();
    expect(cache.localStats()?.entries).toBe(1);
    expect(observer.evictions).toEqual([{ tier: 'l1', reason: 'ttl' }]);
  });

  it('keeps the TTL across a reopen', async () => {
    const first = openCache();
    await first.set('short', Buffer.from('x'), 40);
    await first.close();
    await sleep(60);
    expect(await openCache().get('short')).toBeUndefined();
  });

  it('sweeps down to maxEntries, evicting the oldest writes', async () => {
    const cache = openCache(5);
    for (let i = 0; i < 20; i += 1) await cache.set(`k${i}`, Buffer.from(`v${i}`), 60_000);
    expect(await cache.sweep()).toBe(15);
    expect(cache.localStats()?.entries).toBe(5);
    expect(await cache.get('k14')).toBeUndefined();
    expect((await cache.get('k15'))?.value.toString()).toBe('v15');
    expect(observer.evictions.filter((e) => e.reason === 'size')).toHaveLength(15);
  });

  it('counts a rewritten key once and keeps its newest value', async () => {
    const cache = openCache(3);
    for (let i = 0; i < 10; i += 1) await cache.set('same', Buffer.from(`v${i}`), 60_000);
    await cache.set('other', Buffer.from('o'), 60_000);
    await cache.sweep();
    expect(cache.localStats()?.entries).toBe(2);
    expect((await cache.get('same'))?.value.toString()).toBe('v9');
  });

  it('invalidate removes a key; close is idempotent', async () => {
    const cache = openCache();
    await cache.set('k', Buffer.from('v'), 60_000);
    await cache.invalidate('k');
    expect(await cache.get('k')).toBeUndefined();
    await cache.close();
    await cache.close();
  });
});
