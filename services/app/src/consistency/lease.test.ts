import { describe, expect, it } from 'vitest';
import type { LeaseReply, SharedOps } from '../cache/cache-types.ts';
import { loadConfig } from '../config.ts';
import type { ConsistencyEvent } from './consistency-types.ts';
import { leaseLookup, pollPause, type WaitClock } from './lease.ts';

/** A scripted SharedOps fake: leaseGet answers from a queue, leaseSet from a flag. */
function fakeOps(replies: LeaseReply[], accept = true) {
  const sets: string[] = [];
  const releases: string[] = [];
  let polls = 0;
  const unused = async (): Promise<never> => {
    throw new Error('unused');
  };
  const ops: SharedOps = {
    async leaseGet() {
      polls += 1;
      return replies.shift() ?? { kind: 'busy' };
    },
    async leaseSet(_key, token) {
      sets.push(token);
      return accept;
    },
    async leaseRelease(_key, token) {
      releases.push(token);
      return true;
    },
    versionedSet: unused,
    tombstone: unused,
    keepGrace: unused,
    recallGrace: unused,
  };
  return { ops, sets, releases, polls: () => polls };
}

/** A virtual clock: pauses advance it at once and are recorded. */
function virtualClock(): WaitClock & { pauses: number[]; at: () => number } {
  let now = 0;
  const pauses: number[] = [];
  return {
    pauses,
    at: () => now,
    now: () => now,
    async pause(ms) {
      pauses.push(ms);
      now += ms;
    },
  };
}

const settings = { leaseTtlMs: 1_000, waitMs: 50, pollMs: 1 };

describe('lease lookup', () => {
  it('a granted lease fills under its own token; a refused fill is reported and released', async () => {
    const { ops, sets, releases } = fakeOps([{ kind: 'granted' }], false);
    const events: ConsistencyEvent[] = [];
    const lookup = await leaseLookup(ops, settings, { event: (e) => events.push(e) }, 'k');
    expect(await lookup.fill?.(Buffer.from('v'), 1_000)).toBe(false);
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(releases).toEqual(sets);
    expect(events).toEqual(['lease_granted', 'fill_refused', 'lease_released']);
  });

  it('a granted lease given up without a fill releases its own token', async () => {
    const { ops, releases } = fakeOps([{ kind: 'granted' }]);
    const events: ConsistencyEvent[] = [];
    const lookup = await leaseLookup(ops, settings, { event: (e) => events.push(e) }, 'k');
    await lookup.release?.();
    expect(releases).toHaveLength(1);
    expect(events).toEqual(['lease_granted', 'lease_released']);
  });

  it('a busy key is polled until the filler stored it', async () => {
    const hit = { value: Buffer.from('v'), tier: 'l2' as const };
    const { ops } = fakeOps([{ kind: 'busy' }, { kind: 'busy' }, { kind: 'hit', hit }]);
    const events: ConsistencyEvent[] = [];
    const clock = virtualClock();
    const lookup = await leaseLookup(ops, settings, { event: (e) => events.push(e) }, 'k', clock);
    expect(lookup.hit).toBe(hit);
    expect(events).toEqual(['lease_busy', 'lease_wait_hit']);
  });

  it('a key that stays busy is waited on for exactly LEASE_WAIT_MS, then read through without a fill', async () => {
    const { ops, polls } = fakeOps([]);
    const events: ConsistencyEvent[] = [];
    const clock = virtualClock();
    const lookup = await leaseLookup(
      ops,
      { leaseTtlMs: 3_000, waitMs: 40, pollMs: 5 },
      { event: (e) => events.push(e) },
      'k',
      clock,
    );
    expect(lookup).toEqual({});
    expect(clock.at()).toBe(40);
    expect(clock.pauses).toEqual([5, 10, 20, 5]);
    expect(polls()).toBe(5);
    expect(events).toEqual(['lease_busy', 'lease_wait_expired']);
  });

  it('a filler that died frees the key at its lease TTL: a waiter polling then takes the lease', async () => {
    const { ops } = fakeOps([{ kind: 'busy' }, { kind: 'busy' }, { kind: 'granted' }]);
    const events: ConsistencyEvent[] = [];
    const lookup = await leaseLookup(
      ops,
      settings,
      { event: (e) => events.push(e) },
      'k',
      virtualClock(),
    );
    expect(lookup.fill).toBeDefined();
    expect(events).toEqual(['lease_busy', 'lease_granted']);
  });
});

describe('lease wait settings', () => {
  it('pauses double from LEASE_POLL_MS, are capped at 20 ms, and never run past the deadline', () => {
    const s = { leaseTtlMs: 3_000, waitMs: 1_000, pollMs: 5 };
    expect([0, 1, 2, 3, 40].map((poll) => pollPause(s, poll, 1_000))).toEqual([5, 10, 20, 20, 20]);
    expect(pollPause(s, 3, 7)).toBe(7);
    expect(pollPause(s, 0, -3)).toBe(0);
  });

  it('a miss waits a few tens of ms by default, well inside the lease TTL', () => {
    const config = loadConfig({});
    expect(config.LEASE_WAIT_MS).toBeGreaterThan(0);
    expect(config.LEASE_WAIT_MS).toBeLessThanOrEqual(50);
    expect(config.LEASE_WAIT_MS).toBeLessThan(config.LEASE_TTL_MS);
  });
});
