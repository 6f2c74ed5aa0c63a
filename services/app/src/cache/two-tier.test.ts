import { describe, expect, it } from 'vitest';
import type { SharedOps, SharedTierHit, SharedTierStrategy } from './cache-types.ts';
import type { InvalidationBus } from './invalidation-bus.ts';
import { createLocalLruCache } from './local-lru.ts';
import { createRecordingObserver } from './recording-observer.ts';
import { createTwoTierCache } from './two-tier.ts';

const unused = async (): Promise<never> => {
  throw new Error('not used by these tests');
};
const unusedSharedOps: SharedOps = {
  leaseGet: unused,
  leaseSet: unused,
  leaseRelease: unused,
  versionedSet: unused,
  tombstone: unused,
  keepGrace: unused,
  recallGrace: unused,
};

/** Pure-logic fakes: an in-memory L2 whose reads can be held, and a bus driven by the test. */
function fakeL2() {
  const store = new Map<string, Buffer>();
  let hold: Promise<void> | undefined;
  const l2: SharedTierStrategy = {
    name: 'fake-l2',
    async getWithTtl(key): Promise<SharedTierHit | undefined> {
      const value = store.get(key);
      await hold;
      return value === undefined ? undefined : { value, tier: 'l2', ttlMs: 60_000 };
    },
    get: (key) => l2.getWithTtl(key),
    async set(key, value) {
      store.set(key, value);
    },
    async invalidate(key) {
      store.delete(key);
    },
    shared: unusedSharedOps,
    peek: async () => [],
    async ping() {},
    localStats: () => undefined,
    async close() {},
  };
  const holdReads = () => {
    let release = () => {};
    hold = new Promise((resolve) => {
      release = resolve;
    });
    return () => {
      hold = undefined;
      release();
    };
  };
  return { l2, store, holdReads };
}

function fakeBus() {
  const listeners = {
    invalidate: [] as ((key: string) => void)[],
    down: [] as (() => void)[],
    up: [] as (() => void)[],
  };
  const state = { subscribed: true };
  const bus: InvalidationBus = {
    get subscribed() {
      return state.subscribed;
    },
    onInvalidate: (l) => listeners.invalidate.push(l),
    onDisconnect: (l) => listeners.down.push(l),
    onResubscribed: (l) => listeners.up.push(l),
    async publish(key) {
      for (const l of listeners.invalidate) l(key);
    },
    async close() {},
  };
  const deliver = (key: string) => {
    for (const l of listeners.invalidate) l(key);
  };
  const drop = () => {
    state.subscribed = false;
    for (const l of listeners.down) l();
  };
  const restore = () => {
    state.subscribed = true;
    for (const l of listeners.up) l();
  };
  return { bus, deliver, drop, restore };
}

function setup() {
  const observer = createRecordingObserver();
  const l1 = createLocalLruCache({ maxEntries: 100, maxBytes: 100_000, observer });
  const l2 = fakeL2();
  const bus = fakeBus();
  const cache = createTwoTierCache({ l1, l2: l2.l2, bus: bus.bus });
  return { cache, l1, l2, bus };
}

describe('two-tier (logic, with fakes)', () => {
  it('serves from L2 once, then from L1', async () => {
    const { cache, l2 } = setup();
    l2.store.set('k', Buffer.from('v1'));
    expect((await cache.get('k'))?.tier).toBe('l2');
    expect((await cache.get('k'))?.tier).toBe('l1');
  });

  it('drops an L1 entry when the bus delivers its key', async () => {
    const { cache, l1, l2, bus } = setup();
    await cache.set('k', Buffer.from('v1'), 60_000);
    l2.store.set('k', Buffer.from('v2'));
    bus.deliver('k');
    expect(l1.localStats()?.entries).toBe(0);
    expect((await cache.get('k'))?.value.toString()).toBe('v2');
  });

  it('does not fill L1 from an L2 read that an invalidation overtook', async () => {
    const { cache, l1, l2, bus } = setup();
    l2.store.set('k', Buffer.from('old'));
    const release = l2.holdReads();
    const read = cache.get('k');
    bus.deliver('k');
    release();
    expect((await read)?.value.toString()).toBe('old');
    expect(l1.localStats()?.entries).toBe(0);
  });

  it('drops the set that follows a miss overtaken by an invalidation (both tiers)', async () => {
    const { cache, l1, l2, bus } = setup();
    expect(await cache.get('k')).toBeUndefined();
    bus.deliver('k'); // a write happened while this server was loading
    await cache.set('k', Buffer.from('maybe-old'), 60_000);
    expect(l2.store.has('k')).toBe(false);
    expect(l1.localStats()?.entries).toBe(0);
    await cache.set('k', Buffer.from('fresh'), 60_000);
    expect((await cache.get('k'))?.tier).toBe('l1');
  });

  it('clears and bypasses L1 while the bus is down, and clears again when it is back', async () => {
    const { cache, l1, l2, bus } = setup();
    await cache.set('k', Buffer.from('v1'), 60_000);
    bus.drop();
    expect(l1.localStats()?.entries).toBe(0);
    l2.store.set('k', Buffer.from('v2'));
    expect((await cache.get('k'))?.tier).toBe('l2');
    expect(l1.localStats()?.entries).toBe(0);
    bus.restore();
    expect((await cache.get('k'))?.value.toString()).toBe('v2');
    expect((await cache.get('k'))?.tier).toBe('l1');
  });

  it('invalidate deletes in L2, drops the local copy, and publishes', async () => {
    const { cache, l1, l2 } = setup();
    await cache.set('k', Buffer.from('v1'), 60_000);
    await cache.invalidate('k');
    expect(l2.store.has('k')).toBe(false);
    expect(l1.localStats()?.entries).toBe(0);
    expect(await cache.get('k')).toBeUndefined();
  });
});
