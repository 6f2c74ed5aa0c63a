import { describe, expect, it } from 'vitest';
import { createHitCheck } from './hit-check.ts';

const body = (id: number, version: number) => Buffer.from(`{"id":${id},"version":${version}}`);

function check(versions: Map<number, number> | 'down') {
  let clock = 0;
  let queries = 0;
  const hitCheck = createHitCheck({
    holdMs: 1_000,
    now: () => clock,
    idOf: (key) => (key.startsWith('p:') ? Number(key.slice(2)) : undefined),
    async versions(ids) {
      queries++;
      if (versions === 'down') throw new Error('database down');
      return new Map(ids.map((id) => [id, { version: versions.get(id) ?? 0 }]));
    },
  });
  return { hitCheck, queries: () => queries, advance: (ms: number) => (clock += ms) };
}

describe('hit check after a cache error', () => {
  it('trusts every hit without a query until a cache error', async () => {
    const c = check(new Map([[1, 5]]));
    expect(await c.hitCheck.fresh('p:1', body(1, 4))).toBe(true);
    expect(c.queries()).toBe(0);
  });

  it('for holdMs after an error, finds a hit older than the row stale and an equal one fresh', async () => {
    const c = check(new Map([[1, 5]]));
    c.hitCheck.noteCacheError();
    expect(await c.hitCheck.fresh('p:1', body(1, 4))).toBe(false);
    expect(await c.hitCheck.fresh('p:1', body(1, 5))).toBe(true);
    c.advance(1_000);
    expect(await c.hitCheck.fresh('p:1', body(1, 4))).toBe(true);
    expect(c.queries()).toBe(2);
  });

  it('serves the hit when the database cannot answer, or the key is not a profile', async () => {
    const c = check('down');
    c.hitCheck.noteCacheError();
    expect(await c.hitCheck.fresh('p:1', body(1, 4))).toBe(true);
    expect(await c.hitCheck.fresh('other', body(1, 4))).toBe(true);
  });
});
