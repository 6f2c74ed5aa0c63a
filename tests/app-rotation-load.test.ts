// App servers added and removed with nginx reloaded, under load through nginx: no request may fail,
// and every acknowledged write is applied exactly once.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { NativeLab } from '../lab/run/driver/native/driver.ts';
import { nativeDriver } from '../lab/run/driver/native/driver.ts';
import { liveProcesses } from '../lab/run/processes/process-registry.ts';
import type { RunResult } from '../loadtests/result-types.ts';
import { runLoad } from '../loadtests/runner/run-load.ts';
import type { WorkloadSpec } from '../loadtests/workload.ts';
import { withNativeLab } from './support/native-lab.ts';

const KEYS = 200;
// Reads of profiles warmed into Redis first, and keyed writes: a failure can only come from the
// transport, and a write retried after a lost connection must still be applied once.
const MIXED: WorkloadSpec = { name: 'mixed', readRatio: 0.8, distribution: { kind: 'uniform' } };

/**
 * The sum of every loaded profile's version (each applied write adds exactly one) and the number of
 * recorded Idempotency-Keys (one per applied keyed write; none expires within the test).
 */
async function writesApplied(url: string): Promise<{ versions: number; keys: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ total: string; keys: string }>(
      `SELECT (SELECT sum(version) FROM users WHERE id <= $1) AS total,
        (SELECT count(*) FROM idempotency_keys) AS keys`,
      [KEYS],
    );
    return { versions: Number(result.rows[0]?.total), keys: Number(result.rows[0]?.keys) };
  } finally {
    await client.end();
  }
}

/** Every profile the load reads, once, so each is an L2 hit for any app server (bounded). */
async function warm(url: string): Promise<void> {
  for (let id = 1; id <= KEYS; id++) {
    const res = await fetch(`${url}/profiles/${id}`, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    expect(res.status).toBe(200);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Three rounds of add + remove (six nginx reloads), the last removing a server of the original three. */
async function rotate(lab: NativeLab, started: Promise<void>): Promise<string[]> {
  await started;
  const done: string[] = [];
  for (const victim of ['app-4', 'app-4', 'app-2']) {
    await pause(1_500);
    done.push((await nativeDriver.addAppServer(lab)).detail);
    await pause(1_500);
    done.push((await nativeDriver.removeAppServer(lab, victim)).detail);
  }
  return done;
}

function failures(r: RunResult): number {
  return Object.values(r.errors).reduce((a, b) => a + b, 0);
}

describe('add and remove app servers through nginx under load (native, global)', () => {
  it('fails no read or write and applies each write once across six nginx reloads at 150 req/s', {
    timeout: 180_000,
  }, async () => {
    await withNativeLab('global', { seedUsers: 300 }, async (lab) => {
      await warm(lab.url);
      const pgUrl = lab.services.postgres?.url;
      if (pgUrl === undefined) throw new Error('the global topology runs no Postgres');
      const before = await writesApplied(pgUrl);
      let markStarted: () => void = () => {};
      const started = new Promise<void>((resolve) => {
        markStarted = resolve;
      });
      const [result, actions] = await Promise.all([
        runLoad({
          baseUrl: lab.url,
          workload: MIXED,
          keyCount: KEYS,
          rate: 150,
          durationSec: 16,
          warmupSec: 0,
          seed: 13,
          timeoutMs: 5_000,
          maxInFlight: 500,
          topology: 'global',
          workers: 1,
          maxLagP99Ms: 1_000,
          onStart: () => markStarted(),
        }),
        rotate(lab, started),
      ]);
      expect(actions).toHaveLength(6);
      // Every scheduled request was sent and answered 200; the retries the client made are counted.
      expect({ errors: failures(result), samples: result.errorSamples }).toEqual({
        errors: 0,
        samples: {},
      });
      expect(result.requests.completed).toBe(result.requests.scheduled);
      expect(result.requests.writes).toBeGreaterThan(0);
      // Warm-up is 0 s, so every write the runner sent is counted; each was acknowledged once.
      const after = await writesApplied(pgUrl);
      expect({
        versions: after.versions - before.versions,
        keys: after.keys - before.keys,
      }).toEqual({ versions: result.requests.writes, keys: result.requests.writes });
      expect(result.servedBy['app-4'] ?? 0).toBeGreaterThan(0);
      expect(result.requests.retried).toBeLessThanOrEqual(result.requests.sent * 0.05);
      console.log(
        `app rotation: ${result.requests.sent} sent (${result.requests.writes} writes), ${result.requests.retried} retried`,
      );
    });
    expect(liveProcesses()).toEqual([]);
  });
});
