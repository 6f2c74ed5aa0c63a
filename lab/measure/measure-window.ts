import type { CacheResultLabel, RunResult } from '../../loadtests/result-types.ts';
import {
  type RunProgress,
  runLoadWithSeries,
  type SecondPoint,
} from '../../loadtests/runner/run-load.ts';
import type { WorkloadName } from '../../loadtests/workload.ts';
import type { CostProbe, WindowCost } from './cost/component-cost.ts';
import { recordCost } from './cost/cost-recorder.ts';
import { ScrapeError } from './scrape/scrape-error.ts';
import {
  clampNegatives,
  missingAppsWarning,
  missingInvalidatorWarning,
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
  /** Per app server /metrics request; default DEFAULT_APP_SCRAPE_TIMEOUT_MS. */
  scrapeTimeoutMs?: number;
}

/** Reads per X-Cache value. */
export type CacheCounts = Partial<Record<CacheResultLabel, number>>;

/** The load run and what the servers did during its measured window. */
export interface MeasuredWindow {
  run: RunResult;
  /** Reads per X-Cache value in the first and the second half of the measured window. */
  halves: [CacheCounts, CacheCounts];
  delta: ServerDelta;
  /** How late the first scrape started after the measured window began, in seconds. */
  scrapeLagSec: number;
  /** Anything that makes the server-side figures less exact than usual. */
  warnings: string[];
  /** CPU and memory per component over the window, when a cost probe was given. */
  cost?: WindowCost;
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

function warningsOf(paths: string[], scrapeLagSec: number, delta: ServerDelta): string[] {
  const warnings: string[] = [];
  for (const warning of [missingAppsWarning(delta), missingInvalidatorWarning(delta)]) {
    if (warning) warnings.push(warning);
  }
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
  const { result: run, series } = await runLoadWithSeries({
    series: true,
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
  const halves = halvesOf(series, s.warmupSec, s.durationSec);
  return { run, halves, delta, scrapeLagSec, warnings: warningsOf(paths, scrapeLagSec, delta) };
}

function addCounts(into: CacheCounts, from: CacheCounts): void {
  for (const [label, n] of Object.entries(from) as [CacheResultLabel, number][]) {
    into[label] = (into[label] ?? 0) + n;
  }
}

/**
 * Reads per X-Cache value in each half of the measured window [from, from + duration) (seconds of
 * the schedule, by due time); an odd second goes to the second half.
 */
export function halvesOf(
  series: readonly SecondPoint[],
  fromSec: number,
  durationSec: number,
): [CacheCounts, CacheCounts] {
  const first: CacheCounts = {};
  const second: CacheCounts = {};
  const middle = fromSec + Math.floor(durationSec / 2);
  for (const point of series) {
    if (point.t < fromSec || point.t >= fromSec + durationSec) continue;
    addCounts(point.t < middle ? first : second, point.cache);
  }
  return [first, second];
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
  costProbe?: CostProbe,
): Promise<MeasuredWindow> {
  const session = await openScrapeSession(targets, { appTimeoutMs: s.scrapeTimeoutMs });
  const recorder = costProbe ? recordCost(session, costProbe) : undefined;
  try {
    const window = await loadAndScrape(
      baseUrl,
      recorder?.session ?? session,
      s,
      topology,
      onProgress,
    );
    const cost = recorder?.cost(window);
    return cost ? { ...window, cost } : window;
  } finally {
    await session.close();
  }
}
