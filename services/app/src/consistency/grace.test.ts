import { describe, expect, it } from 'vitest';
import { createNoCache } from '../cache/none.ts';
import { createGrace, type GraceEvent } from './grace.ts';

describe('grace', () => {
  function setup(localMaxBytes = 1_000_000) {
    const clock = { now: 1_000_000 };
    const events: GraceEvent[] = [];
    const grace = createGrace({
      cache: createNoCache(),
      ttlMs: 1_000,
      graceMs: 5_000,
      localMaxBytes,
      onEvent: (event) => events.push(event),
      now: () => clock.now,
    });
    return { grace, clock, events };
  }

  it('recalls a kept value with its age up to TTL + grace, then no more', async () => {
    const { grace, clock, events } = setup();
    await grace.keep('k', Buffer.from('v1'), clock.now);
    clock.now += 6_000;
    expect(await grace.recall('k')).toEqual({ value: Buffer.from('v1'), ageMs: 6_000 });
    clock.now += 1;
    expect(await grace.recall('k')).toBeUndefined();
    expect(events).toEqual(['served', 'expired']);
  });

  it('recalls nothing for a key never loaded', async () => {
    const { grace, events } = setup();
    expect(await grace.recall('never')).toBeUndefined();
    expect(events).toEqual(['missing']);
  });

  it('keeps nothing in process when its byte budget is 0', async () => {
    const { grace, clock } = setup(0);
    await grace.keep('k', Buffer.from('v1'), clock.now);
    expect(await grace.recall('k')).toBeUndefined();
  });
});
