import type { RunResult } from '../../loadtests/result-types.ts';
import { type RunProgress, runLoad } from '../../loadtests/runner/run-load.ts';
import type { WorkloadName } from '../../loadtests/workload.ts';
import { ScrapeError } from './scrape/scrape-error.ts';
import {
  clampNegatives,
  openScrapeSession,
  type ScrapeSession,
  type ScrapeTargets,
  type ServerDelta,
  type ServerSnapshot,
  subtractSnapshots,
} from './scrape/snapshot.ts';

/** The load a measured window puts on the lab (a comparison's settings carry these and more). */
export interface WindowSettings {
  workload: WorkloadName;
  /** Ids the workload draws from. */
  keyCount: number;
  /** Offered arrival rate, requests per second. */
  rate: number;
  warmupSec: number;
  durationSec: number;
  seed: number;
  timeoutMs: number;
  maxInFlight: number;
  /** Scheduling-lag p99 above which the run is marked invalid. */
  maxLagP99Ms: number;
}

/** The load run and what the servers did during its measured window. */
export interface MeasuredWindow {
  run: RunResult;
  delta: ServerDelta;
  /** How late the first scrape started after the measured window began, in seconds. */
  scrapeLagSec: number;
  /** Anything that makes the server-side figures less exact than usual. */
  warnings: string[];
}

/** A first scrape later than this after the window began is reported. */
const SCRAPE_LAG_WARN_SEC = 0.5;

/** Progress of a load run, as runLoad reports it. */
export type LoadProgressListener = (progress: RunProgress) => void;

type Settled = { ok: true; snapshot: ServerSnapshot } | { ok: false; error: unknown };

// Never rejects, so a scrape that fails while the load still runs is not an unhandled rejection.
function settle(promise: Promise<ServerSnapshot>): Promise<Settled> {
  return promise.then(
    (snapshot) => ({ ok: true, snapshot }),
    (error: unknown) => ({ ok: false, error }),
  );
}

async function unwrap(settled: Promise<Settled> | undefined): Promise<ServerSnapshot> {
  if (!settled) {
    throw new ScrapeError('app', 'the measured window started without being observed');
  }
  const result = await settled;
  if (!result.ok) throw result.error;
  return result.snapshot;
}

function warningsOf(paths: string[], scrapeLagSec: number): string[] {
  const warnings: string[] = [];
  if (paths.length > 0) {
    warnings.push(
      `counters went backwards (a server restarted?), clamped to 0: ${paths.join(', ')}`,
    );
  }
  if (scrapeLagSec > SCRAPE_LAG_WARN_SEC) {
    warnings.push(`the first scrape started ${scrapeLagSec.toFixed(2)} s into the measured window`);
  }
  return warnings;
}

async function loadAndScrape(
  baseUrl: string,
  session: ScrapeSession,
  s: WindowSettings,
  topology: string,
  onProgress?: LoadProgressListener,
): Promise<MeasuredWindow> {
  let before = s.warmupSec === 0 ? settle(session.scrape()) : undefined;
  let scrapeLagSec = 0;
  const run = await runLoad({
    baseUrl,
    topology,
    workload: s.workload,
    keyCount: s.keyCount,
    rate: s.rate,
    durationSec: s.durationSec,
    warmupSec: s.warmupSec,
    seed: s.seed,
    timeoutMs: s.timeoutMs,
    maxInFlight: s.maxInFlight,
    maxLagP99Ms: s.maxLagP99Ms,
    progressIntervalMs: 100,
    onProgress: (progress) => {
      if (!before && progress.phase !== 'warmup') {
        before = settle(session.scrape());
        scrapeLagSec = Math.max(0, progress.elapsedSec - s.warmupSec);
      }
      onProgress?.(progress);
    },
  });
  const first = await unwrap(before);
  const { delta, paths } = clampNegatives(subtractSnapshots(await session.scrape(), first));
  return { run, delta, scrapeLagSec, warnings: warningsOf(paths, scrapeLagSec) };
}

/**
 * Runs the load (warm-up, then the measured window) against `baseUrl`. The servers are scraped, over
 * connections opened beforehand, as the measured window starts (within ~0.1 s: runLoad reports its
 * phase every 100 ms) and once the last response is in, so the delta covers the measured window.
 */
export async function measureWindow(
  baseUrl: string,
  targets: ScrapeTargets,
  s: WindowSettings,
  topology: string,
  onProgress?: LoadProgressListener,
): Promise<MeasuredWindow> {
  const session = await openScrapeSession(targets);
  try {
    return await loadAndScrape(baseUrl, session, s, topology, onProgress);
  } finally {
    await session.close();
  }
}
