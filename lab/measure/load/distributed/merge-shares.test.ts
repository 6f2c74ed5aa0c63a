import { describe, expect, it } from 'vitest';
import { assembleRunResult } from '../../../../loadtests/result-assembly.ts';
import { CACHE_RESULT_LABELS, type CacheResultLabel } from '../../../../loadtests/result-types.ts';
import { resolveOptions } from '../../../../loadtests/runner/options.ts';
import { measurementsOf, settingsOf } from '../../../../loadtests/runner/run-load.ts';
import type { ShareResult } from '../../../../loadtests/runner/share-run.ts';
import { StalenessTracker } from '../../../../loadtests/runner/staleness.ts';
import { RunStats } from '../../../../loadtests/runner/stats.ts';
import { statsPartOf } from '../../../../loadtests/runner/stats-part.ts';
import { createRng } from '../../../../loadtests/workload.ts';
import { LabError } from '../../../lab-errors.ts';
import { mergeShareResults } from './merge-shares.ts';
import { decodeShareLines, encodeShareLines } from './share-lines.ts';

const o = resolveOptions({
  baseUrl: 'http://nginx:8080',
  workload: 'read-heavy',
  keyCount: 500,
  rate: 2_000,
  durationSec: 10,
  warmupSec: 0,
  seed: 1,
  timeoutMs: 2_000,
  maxInFlight: 256,
  topology: 'global',
});

/** Records `n` deterministic requests (five decades of latency, errors, drops) by key into `into(id)`. */
function record(n: number, into: (id: number) => RunStats): void {
  const rng = createRng(11);
  for (let i = 0; i < n; i++) {
    const id = 1 + Math.floor(rng() * 500);
    const op = rng() < 0.9 ? 'read' : 'write';
    const sent = rng() > 0.01;
    const stats = into(id);
    stats.recordStart(op, sent, Math.floor(rng() ** 4 * 50_000));
    if (!sent) continue;
    const latencyUs = Math.floor(10 ** (1 + rng() * 5));
    if (rng() < 0.01) {
      stats.recordFailure('timeout', latencyUs, 'timeout');
      continue;
    }
    const cache = CACHE_RESULT_LABELS[Math.floor(rng() * 4)] as CacheResultLabel;
    const status = rng() < 0.02 ? 503 : 200;
    stats.recordResponse({ op, latencyUs, cache, servedBy: `app-${1 + (id % 3)}`, status });
  }
}

const shareOf = (stats: RunStats): ShareResult => ({
  part: statsPartOf(stats, new StalenessTracker()),
  startedAt: '2026-01-01T00:00:00.000Z',
  measuredSpanSec: 10,
  eventLoopUtilization: 0.1,
});

/** Log lines of several replicas interleaved, with other output between them, as `docker service logs` gives. */
function interleavedLogs(shares: ShareResult[]): string {
  const lines = shares.map((s, i) => encodeShareLines(i, s));
  const out: string[] = ['starting'];
  for (let k = 0; k < Math.max(...lines.map((l) => l.length)); k++) {
    for (const replica of [...lines].reverse())
      if (replica[k]) out.push(replica[k] as string, 'noise');
  }
  return out.join('\n');
}

describe('distributed load: results recorded apart and merged', () => {
  it.each([2, 3, 5])('%i replicas merge into exactly the result of one generator', (n) => {
    const whole = new RunStats();
    const parts = Array.from({ length: n }, () => new RunStats());
    record(30_000, () => whole);
    record(30_000, (id) => parts[id % n] as RunStats);
    const shares = decodeShareLines(interleavedLogs(parts.map(shareOf)), n);
    const merged = mergeShareResults(o, shares);
    const single = assembleRunResult(
      settingsOf(o, '2026-01-01T00:00:00.000Z'),
      measurementsOf(o, [shareOf(whole)]),
      o.maxLagP99Ms,
    );
    expect(merged).toEqual(single);
    expect(merged.requests.scheduled).toBe(30_000);
    expect(merged.errors.timeout).toBeGreaterThan(0);
  });

  it('N = 1: one replica through the log lines equals the single runner', () => {
    const one = new RunStats();
    record(10_000, () => one);
    const share = shareOf(one);
    const [decoded] = decodeShareLines(encodeShareLines(0, share).join('\n'), 1);
    expect(decoded).toEqual(share);
    const viaReplica = mergeShareResults(o, [decoded as ShareResult]);
    const runner = assembleRunResult(
      settingsOf(o, share.startedAt),
      measurementsOf(o, [share]),
      o.maxLagP99Ms,
    );
    expect(viaReplica).toEqual(runner);
  });

  it('a replica that did not report (or only partly) is named, not merged away', () => {
    const lines = encodeShareLines(0, shareOf(new RunStats()));
    expect(() => decodeShareLines(lines.join('\n'), 2)).toThrow(LabError);
    expect(() => decodeShareLines(lines.join('\n'), 2)).toThrow(/share 1/);
    const big = new RunStats();
    record(30_000, () => big);
    const many = encodeShareLines(0, shareOf(big));
    expect(many.length).toBeGreaterThan(1);
    expect(() => decodeShareLines(many.slice(1).join('\n'), 1)).toThrow(
      /share 0 \(\d+\/\d+ lines\)/,
    );
  });
});
