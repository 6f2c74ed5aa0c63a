import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type NativeLab, upTopology } from '../lab/run/driver/native/driver.ts';
import { freePort, isPortFree } from '../lab/run/processes/ports.ts';
import { liveProcesses } from '../lab/run/processes/process-registry.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { getTopology } from '../lab/topology/catalog.ts';
import { withNativeLab } from './support/native-lab.ts';

const SEED_USERS = 300;
const RATE_PER_S = 50;
const DURATION_MS = 6_000;
const FAULT_AT_MS = 2_000;

interface Outcome {
  startedMs: number;
  status: number;
  servedBy: string;
  cache: string;
  error?: string;
}

async function timedGet(url: string, startedMs: number): Promise<Outcome> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    const servedBy = res.headers.get('x-served-by') ?? '';
    return { startedMs, status: res.status, servedBy, cache: res.headers.get('x-cache') ?? '' };
  } catch (error) {
    return { startedMs, status: 0, servedBy: '', cache: '', error: String(error) };
  }
}

/**
 * An open-model GET loop through nginx: RATE_PER_S requests/s for DURATION_MS (bounded count), with
 * `fault` run once at FAULT_AT_MS. Requests are not awaited one by one, so a slow answer does not slow
 * the arrival rate.
 */
async function loadWithFault(base: string, fault: () => Promise<void>): Promise<Outcome[]> {
  const total = (RATE_PER_S * DURATION_MS) / 1_000;
  const interval = 1_000 / RATE_PER_S;
  const start = performance.now();
  const pending: Promise<Outcome>[] = [];
  let faulted = false;
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (!faulted && i * interval >= FAULT_AT_MS) {
      faulted = true;
      await fault();
    }
    const id = 1 + ((i * 7) % 50); // 50 hot profiles: repeats hit the cache before the fault
    pending.push(timedGet(`${base}/profiles/${id}`, performance.now() - start));
  }
  return Promise.all(pending);
}

/** Brings `name` up, runs `check`, brings it down, proves nothing is left, then runs `afterDown`. */
function withLab(
  name: string,
  check: (lab: NativeLab) => Promise<void>,
  afterDown?: (lab: NativeLab) => Promise<void>,
): Promise<void> {
  return withNativeLab(name, { seedUsers: SEED_USERS, afterDown }, check);
}

/** nginx logged requests it sent to two upstreams (the dead one, then another): it routed around it. */
async function expectRetriedRequests(lab: NativeLab): Promise<void> {
  // The access log is complete once nginx has stopped (it flushes its buffer on exit).
  const log = await readFile(join(lab.services.logsDir, 'nginx-access.log'), 'utf8');
  const retried = log.split('\n').filter((line) => /" 200 .* ua=\S+, /.test(line));
  expect(retried.length).toBeGreaterThan(0);
}

const failuresOf = (outcomes: readonly Outcome[]): Outcome[] =>
  outcomes.filter((o) => o.status !== 200);

describe('a failure half-way through up', () => {
  it('stops everything that was started and says why', { timeout: 90_000 }, async () => {
    const runDir = await makeRunDir('faults-half-way');
    try {
      const httpPort = await freePort();
      const failingHook = {
        start: async () => {
          throw new Error('observer exploded');
        },
      };
      const up = upTopology(getTopology('global'), {
        runDir,
        httpPort,
        seedUsers: SEED_USERS,
        appLogLevel: 'warn',
        observe: failingHook,
      });
      await expect(up).rejects.toMatchObject({
        code: 'UP_FAILED',
        message: expect.stringContaining('(everything started was stopped): observer exploded'),
      });
      expect(liveProcesses()).toEqual([]);
      expect(await isPortFree(httpPort)).toBe(true);
    } finally {
      await removeRunDir(runDir);
    }
  });
});

describe('faults under load', () => {
  it('an app server SIGKILLed under load: nginx routes around it, no GET fails', {
    timeout: 90_000,
  }, async () => {
    await withLab(
      'local',
      async (lab) => {
        const victim = lab.services.apps[1];
        if (!victim) throw new Error('local has 3 app servers');
        const outcomes = await loadWithFault(lab.url, () => victim.kill());
        expect(outcomes).toHaveLength((RATE_PER_S * DURATION_MS) / 1_000);
        expect(failuresOf(outcomes)).toEqual([]);
        const after = outcomes.filter((o) => o.startedMs > FAULT_AT_MS + 200);
        expect(after.some((o) => o.servedBy === victim.serverId)).toBe(false);
        expect(new Set(after.map((o) => o.servedBy))).toEqual(new Set(['app-1', 'app-3']));
      },
      expectRetriedRequests,
    );
  });

  it('Redis killed under load in global: reads keep succeeding from Postgres', {
    timeout: 90_000,
  }, async () => {
    await withLab('global', async (lab) => {
      const redis = lab.services.redis?.nodes[0];
      if (!redis) throw new Error('global has one Redis');
      const outcomes = await loadWithFault(lab.url, () => redis.kill());
      expect(failuresOf(outcomes)).toEqual([]);
      const before = outcomes.filter((o) => o.startedMs < FAULT_AT_MS);
      expect(before.some((o) => o.cache === 'HIT-L2')).toBe(true);
      const after = outcomes.filter((o) => o.startedMs > FAULT_AT_MS + 1_000);
      expect(after.length).toBeGreaterThan(100);
      expect(after.every((o) => o.cache !== 'HIT-L2')).toBe(true);
    });
  });
});
