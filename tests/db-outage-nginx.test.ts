import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { withNativeLab } from './support/native-lab.ts';

// A database outage is not a load-balancer outage: Postgres (server and backends) is frozen with
// SIGSTOP under load through nginx in `global`. Cache hits keep being answered, misses get the app's
// JSON 503 within the database timeouts, and nginx never answers by itself (no 502).

const WARM_IDS = 40;
const FREEZE_MS = 6_000;
const REQUEST_EVERY_MS = 25;
/** DB_CONNECT_TIMEOUT_MS (1 s) or the query timeout (statement 2 s + 1 s), plus scheduling slack. */
const MISS_BOUND_MS = 4_500;

/** The pids of a process's children (Postgres backends and auxiliaries of the postmaster). */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

interface Outcome {
  hit: boolean;
  status: number;
  servedBy: string | null;
  cache: string | null;
  code: string | undefined;
  ms: number;
}

async function request(base: string, id: number, hit: boolean): Promise<Outcome> {
  const started = performance.now();
  const response = await fetch(`${base}/profiles/${id}`, { signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  const code =
    response.status >= 400
      ? (JSON.parse(text) as { error: { code: string } }).error.code
      : undefined;
  return {
    hit,
    status: response.status,
    servedBy: response.headers.get('x-served-by'),
    cache: response.headers.get('x-cache'),
    code,
    ms: performance.now() - started,
  };
}

describe('Postgres frozen under load through nginx (global)', () => {
  it('keeps answering hits, answers misses with the app JSON 503, and nginx never answers 502', async () => {
    await withNativeLab('global', { seedUsers: 400 }, async (lab) => {
      const base = lab.state.httpUrl;
      for (let id = 1; id <= WARM_IDS; id++) await request(base, id, true);
      const postmaster = lab.services.postgres?.pid ?? 0;
      const frozen = [postmaster, ...(await childrenOf(postmaster))];
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
      const pending: Promise<Outcome>[] = [];
      try {
        const started = performance.now();
        for (
          let i = 0;
          i < FREEZE_MS / REQUEST_EVERY_MS && performance.now() - started < FREEZE_MS;
          i++
        ) {
          const hit = i % 2 === 0;
          const id = hit ? 1 + (i % WARM_IDS) : WARM_IDS + 100 + i;
          pending.push(request(base, id, hit));
          await new Promise((resolve) => setTimeout(resolve, REQUEST_EVERY_MS));
        }
        await Promise.all(pending);
      } finally {
        for (const pid of frozen) process.kill(pid, 'SIGCONT');
      }
      const outcomes = await Promise.all(pending);
      expect(outcomes.length).toBeGreaterThan(100);
      expect(outcomes.filter((o) => o.servedBy === 'nginx')).toEqual([]);
      const hits = outcomes.filter((o) => o.hit);
      expect(hits.filter((o) => o.status !== 200 || o.cache !== 'HIT-L2')).toEqual([]);
      const misses = outcomes.filter((o) => !o.hit);
      const wrong = misses.filter((o) => o.status !== 503 || o.code !== 'DATABASE_UNAVAILABLE');
      expect(wrong).toEqual([]);
      expect(misses.every((o) => o.servedBy?.startsWith('app-') && o.ms < MISS_BOUND_MS)).toBe(
        true,
      );
    });
  });
});
