import type { SeriesRun } from '../../../loadtests/runner/run-load.ts';
import type { ScenarioFigures, ScenarioRunRecord } from '../../report/scenario-results-schema.ts';
import type { Topology } from '../../topology/model.ts';
import { networkOf } from '../../topology/network-proxies.ts';
import { busCutOf, busPartitionFigure } from '../figures/bus-partition.ts';
import { deriveFigures } from '../figures/derive-figures.ts';
import { phaseVerdicts, verdictSentence } from '../figures/scenario-verdict.ts';
import { joinSeconds } from '../figures/seconds.ts';
import type { ServerSample } from '../figures/server-sample.ts';
import { baselineOf, breachesOf, smoothedP99, tolerancesOf } from '../hypothesis.ts';
import type { Scenario } from '../scenario-model.ts';
import {
  answeredBoth,
  modelledMovedShare,
  movedShare,
  type OwnerProbe,
  predictedMovedShare,
} from './key-owners.ts';
import type { Timeline } from './timeline.ts';

/** What the method left behind, to be turned into figures. */
export interface Measured {
  run: SeriesRun | undefined;
  samples: ServerSample[];
  timeline: Timeline;
  loadError: unknown;
  before: OwnerProbe | undefined;
  after: OwnerProbe | undefined;
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

function keyMovementOf(s: Scenario, t: Topology, m: Measured): ScenarioFigures['keyMovement'] {
  if (!m.before || !m.after || t.loadBalancing !== 'consistent-hash') return null;
  const kinds = s.timeline.map((step) => step.action.kind);
  const delta = kinds.includes('add-app-server') ? 1 : kinds.includes('remove-app-server') ? -1 : 0;
  if (delta === 0) return null;
  const from = t.appServers;
  const measured = movedShare(m.before, m.after);
  const modelled = modelledMovedShare(m.before, m.after);
  const common = { measured, from, to: from + delta, keys: answeredBoth(m.before, m.after).length };
  // nginx's own ring over its real upstream names, for the same keys: what remains is the lab's error.
  if (modelled !== undefined) return { ...common, predicted: modelled, scheme: 'nginx-chash' };
  return {
    ...common,
    predicted: predictedMovedShare(from, from + delta, s.load.keyCount),
    scheme: 'ketama',
  };
}

function busPartitionOf(s: Scenario, m: Measured): ScenarioFigures['busPartition'] {
  const cut = busCutOf(s);
  if (!cut || !m.run) return null;
  return busPartitionFigure({ points: m.run.series, samples: m.samples }, cut, s.load.warmupSec);
}

/** The results.json record of one run, with every figure and verdict computed from the data. */
export function buildRunRecord(
  o: { scenario: Scenario; topology: Topology; driver: { name: string }; variant?: string },
  m: Measured,
  wallSec: number,
): ScenarioRunRecord {
  const { scenario: s, topology: t } = o;
  const tol = tolerancesOf(s);
  const series = joinSeconds(m.run?.series ?? [], m.samples, t.cache.mode !== 'none');
  const firstAction = s.timeline[0]?.atSec;
  const lastAction = s.timeline.at(-1)?.atSec;
  const end = Math.floor(s.load.durationSec);
  const baseline =
    firstAction === undefined
      ? baselineOf(series, end - 5, end)
      : baselineOf(series, s.load.warmupSec, firstAction);
  const p99 = smoothedP99(series);
  for (const [i, second] of series.entries()) {
    second.holds = breachesOf(second, p99[i] ?? second.p99Ms, baseline, tol).length === 0;
  }
  const failure = m.timeline.failure ?? m.loadError;
  const failoverStep = s.timeline.find((step) => step.action.kind === 'cluster-failover');
  const figures = deriveFigures({
    series,
    baseline,
    firstActionSec: firstAction,
    lastActionSec: lastAction,
    maxStaleWindowMs: m.run?.result.maxStaleWindowMs ?? 0,
    keyMovement: keyMovementOf(s, t, m),
    failoverNodeTimeoutMs:
      failoverStep?.action.kind === 'cluster-failover'
        ? failoverStep.action.nodeTimeoutMs
        : undefined,
    coldStart: s.probes?.includes('cold-start') ?? false,
    warmupSec: s.load.warmupSec,
    busPartition: busPartitionOf(s, m),
  });
  const verdicts = phaseVerdicts(series, s.load.warmupSec, firstAction);
  const sentence = verdictSentence(figures, baseline, verdicts);
  return {
    scenario: s.name,
    question: s.question,
    topology: t.name,
    variant: o.variant ?? null,
    settings: {
      network: networkOf(t).profile,
      consistency: t.consistency.mode,
      graceMs: t.consistency.graceMs,
    },
    driver: o.driver.name,
    status: failure === undefined ? 'completed' : 'failed',
    error: failure === undefined ? null : messageOf(failure),
    errorSamples: { ...(m.run?.result.errorSamples ?? {}) },
    requestsRetried: m.run?.result.requests.retried ?? 0,
    load: { ...s.load },
    tolerances: tol,
    baseline,
    events: m.timeline.events,
    series,
    figures: m.run ? { ...figures, graceStaleReads: m.run.result.graceStaleReads ?? 0 } : null,
    verdicts: m.run ? verdicts : null,
    verdict: failure === undefined ? sentence : `FAILED: ${messageOf(failure)}. ${sentence}`,
    wallSec,
  };
}
