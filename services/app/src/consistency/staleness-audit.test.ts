import { describe, expect, it } from 'vitest';
import type { CacheHit, CacheStrategy, CacheTier } from '../cache/cache-types.ts';
import { type AuditResult, createStalenessAudit } from './staleness-audit.ts';

const doc = (version: number) => Buffer.from(`{"id":1,"version":${version},"x":1}`);

/** A cache whose peek answers from a mutable map (pure-logic fake). */
function fakeCache(copies: Map<string, CacheHit[]>): CacheStrategy {
  return {
    name: 'fake',
    get: async () => undefined,
    async set() {},
    async invalidate() {},
    async ping() {},
    localStats: () => undefined,
    async close() {},
    peek: async (key) => copies.get(key) ?? [],
  };
}

function setup(dbVersion: number) {
  const copies = new Map<string, CacheHit[]>();
  const checked: [CacheTier, AuditResult][] = [];
  const ages: number[] = [];
  const audit = createStalenessAudit({
    cache: fakeCache(copies),
    versions: async (ids) =>
      new Map(ids.map((id) => [id, { version: dbVersion, updatedAtMs: 1_000 }])),
    keyOf: (id) => `profile:${id}`,
    sample: 4,
    intervalMs: 60_000,
    observer: {
      checked: (tier, result) => checked.push([tier, result]),
      stale: (_tier, seconds) => ages.push(seconds),
      round() {},
    },
    now: () => 4_000,
  });
  audit.noteRead(1);
  return { audit, copies, checked, ages };
}

describe('staleness audit', () => {
  it('counts an entry as fresh when it holds the database version', async () => {
    const { audit, copies, checked } = setup(3);
    copies.set('profile:1', [{ value: doc(3), tier: 'l2' }]);
    await audit.runRound();
    expect(checked).toEqual([['l2', 'fresh']]);
  });

  it('confirms an older version one round later, with its age since the newer commit', async () => {
    const { audit, copies, checked, ages } = setup(3);
    copies.set('profile:1', [{ value: doc(2), tier: 'l1' }]);
    await audit.runRound();
    expect(checked).toEqual([]);
    await audit.runRound();
    expect(checked[0]).toEqual(['l1', 'stale']);
    expect(ages).toEqual([3]);
  });

  it('counts a suspect invalidated before the next round as healed', async () => {
    const { audit, copies, checked } = setup(3);
    copies.set('profile:1', [{ value: doc(2), tier: 'l2' }]);
    await audit.runRound();
    copies.set('profile:1', []);
    await audit.runRound();
    expect(checked).toEqual([['l2', 'healed']]);
  });
});
