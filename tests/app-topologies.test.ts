import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServerHandle } from '../lab/run/processes/app-server.ts';
import {
  type Backends,
  patchProfile,
  pollUntil,
  readProfile,
  startBackends,
} from './app-support.ts';

// Two app servers side by side per cache mode, on one Postgres and one Redis. Each block uses its own
// profile ids, so the modes sharing Redis (global, two-tier) never see each other's entries.
let backends: Backends;

/** Upper bound for a PATCH on one server to stop the other server serving the old version. */
const INVALIDATION_BOUND_MS = 500;

beforeAll(async () => {
  backends = await startBackends({ prefix: 'cachelab-app-topologies', redis: true });
});

afterAll(async () => {
  await backends?.stop();
});

async function startPair(mode: string): Promise<[AppServerHandle, AppServerHandle]> {
  return Promise.all([
    backends.startApp(`${mode}-a`, { CACHE_MODE: mode }),
    backends.startApp(`${mode}-b`, { CACHE_MODE: mode }),
  ]);
}

async function stopPair(pair: AppServerHandle[]): Promise<void> {
  await Promise.all(pair.map((app) => app.stop()));
}

describe('global: one shared Redis', () => {
  let pair: AppServerHandle[] = [];
  beforeAll(async () => {
    pair = await startPair('global');
  });
  afterAll(() => stopPair(pair));

  it('a value cached through A is HIT-L2 through B, byte for byte', async () => {
    const [a, b] = pair as [AppServerHandle, AppServerHandle];
    const first = await readProfile(a.url, 21);
    const onB = await readProfile(b.url, 21);
    expect([first.cache, onB.cache]).toEqual(['MISS', 'HIT-L2']);
    expect(onB.headers.get('x-served-by')).toBe('global-b');
    expect(onB.bytes.equals(first.bytes)).toBe(true);
  });

  it('a PATCH through A is seen by the next read through B', async () => {
    const [a, b] = pair as [AppServerHandle, AppServerHandle];
    const before = await readProfile(b.url, 22);
    const patched = await patchProfile(a.url, 22, { headline: 'global write' });
    expect(patched.status).toBe(200);
    const after = await readProfile(b.url, 22);
    expect([after.cache, after.version]).toEqual(['MISS', before.version + 1]);
  });
});

describe('local: one in-process LRU per server', () => {
  let pair: AppServerHandle[] = [];
  beforeAll(async () => {
    pair = await startPair('local');
  });
  afterAll(() => stopPair(pair));

  it('B misses where A hit, then hits its own L1', async () => {
    const [a, b] = pair as [AppServerHandle, AppServerHandle];
    const onA = [await readProfile(a.url, 31), await readProfile(a.url, 31)];
    expect(onA.map((r) => r.cache)).toEqual(['MISS', 'HIT-L1']);
    const onB = [await readProfile(b.url, 31), await readProfile(b.url, 31)];
    expect(onB.map((r) => r.cache)).toEqual(['MISS', 'HIT-L1']);
    expect(onB[1]?.bytes.equals(onA[1]?.bytes ?? Buffer.alloc(0))).toBe(true);
  });
});

describe('two-tier: L1 per server, Redis L2, invalidation broadcast', () => {
  let pair: AppServerHandle[] = [];
  beforeAll(async () => {
    pair = await startPair('two-tier');
  });
  afterAll(() => stopPair(pair));

  it('a value cached through A reaches B from L2, then from B’s own L1', async () => {
    const [a, b] = pair as [AppServerHandle, AppServerHandle];
    expect((await readProfile(a.url, 41)).cache).toBe('MISS');
    expect((await readProfile(b.url, 41)).cache).toBe('HIT-L2');
    expect((await readProfile(b.url, 41)).cache).toBe('HIT-L1');
  });

  it(`after a PATCH on A, B serves the new version within ${INVALIDATION_BOUND_MS} ms and never the old one again`, async () => {
    const [a, b] = pair as [AppServerHandle, AppServerHandle];
    await readProfile(a.url, 42);
    await readProfile(b.url, 42);
    const warm = await readProfile(b.url, 42);
    expect(warm.cache).toBe('HIT-L1');
    const patched = await patchProfile(a.url, 42, { headline: 'two-tier write' });
    expect(patched.status).toBe(200);
    const newVersion = Number(JSON.parse(patched.text).version);
    expect(newVersion).toBe(warm.version + 1);
    const started = performance.now();
    await pollUntil(
      'B to serve the new version',
      async () => ((await readProfile(b.url, 42)).version >= newVersion ? true : undefined),
      { timeoutMs: 5_000, intervalMs: 5 },
    );
    expect(performance.now() - started).toBeLessThan(INVALIDATION_BOUND_MS);
    const later = [];
    for (let i = 0; i < 50; i++) later.push(await readProfile(b.url, 42));
    expect(later.every((r) => r.status === 200 && r.version >= newVersion)).toBe(true);
    expect(later.at(-1)?.cache).toBe('HIT-L1');
  });
});
