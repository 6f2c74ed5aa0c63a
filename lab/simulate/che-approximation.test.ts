import { describe, expect, it } from 'vitest';
import { cheHitRatio } from './che-approximation.ts';
import { scaleRowAt, simulateScale } from './scale-simulation.ts';

// One LRU under independent Zipf requests with writes as deletions (read-heavy: 5 % writes).
const inputs = { keyCount: 100_000, theta: 0.99, readRatio: 0.95 };

describe('cheHitRatio', () => {
  it('gives the published figures: 0.694 for 10,000 entries and 0.814 for 30,000', () => {
    expect(cheHitRatio({ ...inputs, entries: 10_000 })).toBeCloseTo(0.694, 3);
    expect(cheHitRatio({ ...inputs, entries: 30_000 })).toBeCloseTo(0.814, 3);
  });

  it('tends to 1 − (writes) without deletions pressure: more entries, more hits', () => {
    const small = cheHitRatio({ ...inputs, entries: 1_000 });
    const large = cheHitRatio({ ...inputs, entries: 90_000 });
    expect(small).toBeLessThan(large);
    expect(large).toBeLessThan(inputs.readRatio);
  });

  it('rejects a capacity the keys cannot fill', () => {
    expect(() => cheHitRatio({ ...inputs, entries: 99_000 })).toThrow(RangeError);
    expect(() => cheHitRatio({ ...inputs, readRatio: 0, entries: 10 })).toThrow(RangeError);
  });
});

describe('the simulator against Che’s approximation', () => {
  // The global layout is exactly one LRU of globalEntries fed the read-heavy Zipf stream.
  it.each([10_000, 30_000])('one LRU of %i entries is within 0.01 of Che', (entries) => {
    const result = simulateScale({
      workload: 'read-heavy',
      keyCount: inputs.keyCount,
      servers: [1],
      cacheEntries: 1_000,
      globalEntries: entries,
      warmupRequests: 300_000,
      measuredRequests: 300_000,
      seed: 42,
    });
    const simulated = scaleRowAt(result, 1)?.topologies.global.hitRatio.overall ?? Number.NaN;
    const che = cheHitRatio({ ...inputs, entries });
    expect(Math.abs(simulated - che)).toBeLessThan(0.01);
  });
});
