import { describe, expect, it } from 'vitest';
import { consistencyVerdict } from './consistency-report.ts';
import type { MeasuredTopology } from './results-types.ts';

/** Only the fields the verdict reads (a pure-logic fixture). */
function topology(
  name: string,
  mode: 'delete' | 'outbox+lease',
  stale: number,
  reads: number,
  p99: number,
) {
  return {
    topology: name,
    staleReads: stale,
    staleReadRate: stale / reads,
    maxStaleWindowMs: stale > 0 ? 1_700 : 0,
    cacheResults: { 'HIT-L2': reads },
    consistency: {
      mode,
      graceMs: 0,
      writeLatencyMs: { p50: 2, p99 },
      redisOpsPerRequest: 1,
      audit: { checked: 10, stale: stale > 0 ? 1 : 0, healed: 0 },
      events: {},
      grace: {},
    },
  } as unknown as MeasuredTopology;
}

describe('consistency verdict', () => {
  it('names what went stale, what did not over enough reads, and the cost against delete', () => {
    const verdict = consistencyVerdict([
      topology('global [delete]', 'delete', 29, 120_000, 8),
      topology('global [outbox+lease]', 'outbox+lease', 0, 120_000, 9.5),
    ]);
    expect(verdict).toContain('Went stale: global [delete]');
    expect(verdict).toContain(
      'No stale read and no stale entry in the audit: global [outbox+lease] (each over at least 100,000 reads)',
    );
    expect(verdict).toMatch(/global \[outbox\+lease\]: write p99 \+1\.5\d* ms vs delete/);
  });

  it('says a short clean run shows no staleness, not its absence', () => {
    const verdict = consistencyVerdict([
      topology('global [outbox+lease]', 'outbox+lease', 0, 5_000, 9),
    ]);
    expect(verdict).toContain('0 of 1 ran the 100,000 reads the goal asks for');
  });

  it('says whether the outbox invalidator kept up, from its own figures', () => {
    const withInvalidator = (name: string, pending: number, failures: number) => {
      const t = topology(name, 'outbox+lease', 0, 5_000, 9);
      const invalidator = {
        applied: 500,
        failures,
        replayed: 0,
        pending,
        lagSec: 0,
        applyDelayP99Sec: 0.01,
      };
      return { ...t, consistency: { ...t.consistency, invalidator } } as MeasuredTopology;
    };
    expect(consistencyVerdict([withInvalidator('global [outbox+lease]', 0, 0)])).toContain(
      'The outbox invalidator kept up with every write in global [outbox+lease]',
    );
    expect(consistencyVerdict([withInvalidator('two-tier [outbox+lease]', 4, 2)])).toContain(
      'The outbox invalidator fell behind or retried in two-tier [outbox+lease]',
    );
  });
});
