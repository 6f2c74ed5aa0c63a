import { describe, expect, it } from 'vitest';
import type { LeaseReply, SharedOps } from '../cache/cache-types.ts';
import type { ConsistencyEvent } from './consistency-types.ts';
import { leaseLookup } from './lease.ts';

/** A scripted SharedOps fake: leaseGet answers from a queue, leaseSet from a flag. */
function fakeOps(replies: LeaseReply[], accept = true) {
  const sets: string[] = [];
  const unused = async (): Promise<never> => {
    throw new Error('unused');
  };
  const ops: SharedOps = {
    async leaseGet() {
      return replies.shift() ?? { kind: 'busy' };
    },
    async leaseSet(_key, token) {
      sets.push(token);
      return accept;
    },
    versionedSet: unused,
    tombstone: unused,
    keepGrace: unused,
    recallGrace: unused,
  };
  return { ops, sets };
}

const settings = { leaseTtlMs: 1_000, waitMs: 50, pollMs: 1 };

describe('lease lookup', () => {
  it('a granted lease fills under its own token; a refused fill is reported', async () => {
    const { ops, sets } = fakeOps([{ kind: 'granted' }], false);
    const events: ConsistencyEvent[] = [];
    const lookup = await leaseLookup(ops, settings, { event: (e) => events.push(e) }, 'k');
    expect(await lookup.fill?.(Buffer.from('v'), 1_000)).toBe(false);
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(events).toEqual(['lease_granted', 'fill_refused']);
  });

  it('a busy key is polled until the filler stored it', async () => {
    const hit = { value: Buffer.from('v'), tier: 'l2' as const };
    const { ops } = fakeOps([{ kind: 'busy' }, { kind: 'busy' }, { kind: 'hit', hit }]);
    const events: ConsistencyEvent[] = [];
    const lookup = await leaseLookup(ops, settings, { event: (e) => events.push(e) }, 'k');
    expect(lookup.hit).toBe(hit);
    expect(events).toEqual(['lease_busy', 'lease_wait_hit']);
  });

  it('a key that stays busy past the wait reads through without a fill', async () => {
    const { ops } = fakeOps([]);
    const events: ConsistencyEvent[] = [];
    const started = performance.now();
    const lookup = await leaseLookup(ops, settings, { event: (e) => events.push(e) }, 'k');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(lookup).toEqual({});
    expect(events).toEqual(['lease_busy', 'lease_wait_expired']);
  });
});
