import type { ScenarioFigures, ScenarioSecond } from '../../report/scenario-results-schema.ts';
import type { Baseline } from '../hypothesis.ts';

/** How the hypothesis fared over one part of the run. */
export interface PhaseVerdict {
  seconds: number;
  broken: number;
  holds: boolean;
}

function verdictOf(seconds: readonly ScenarioSecond[]): PhaseVerdict {
  const broken = seconds.filter((s) => !s.holds).length;
  return { seconds: seconds.length, broken, holds: broken === 0 };
}

/**
 * The hypothesis before (baseline), during (first action to the last 5 s) and after (the last 5 s)
 * the method, as in Chaos Toolkit's checks around the method plus Gremlin's probe during the fault.
 */
export function phaseVerdicts(
  series: readonly ScenarioSecond[],
  warmupSec: number,
  firstActionSec: number | undefined,
): { before: PhaseVerdict; during: PhaseVerdict; after: PhaseVerdict } {
  const end = series.length;
  const afterFrom = Math.max(end - 5, firstActionSec ?? warmupSec);
  const duringFrom = firstActionSec ?? afterFrom;
  return {
    before: verdictOf(series.filter((s) => s.t >= warmupSec && s.t < duringFrom)),
    during: verdictOf(series.filter((s) => s.t >= duringFrom && s.t < afterFrom)),
    after: verdictOf(series.filter((s) => s.t >= afterFrom)),
  };
}

const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)} %`;

/** What one server's bus cut did: its stale reads against the others', and whether it caught up. */
function busClause(b: NonNullable<ScenarioFigures['busPartition']>): string {
  const off =
    b.l1OffAfterSec === null
      ? 'its L1 kept answering throughout the cut'
      : `its L1 stopped answering ${b.l1OffAfterSec} s after the cut`;
  const back =
    b.l1BackAfterSec === null
      ? 'its L1 never came back to half its share'
      : `its L1 was back to half its share ${b.l1BackAfterSec} s after the bus returned`;
  const stale = `${b.cutServer.during.staleReads} stale reads on ${b.server} during the cut (the others: ${b.otherServers.during.staleReads}), ${b.cutServer.after.staleReads} after`;
  const { beforeCut, atReturn } = b.l1Entries;
  const kept =
    beforeCut === null || atReturn === null
      ? []
      : [`its L1 held ${beforeCut} entries as the cut began and ${atReturn} as the bus returned`];
  const parts = [stale, off, ...kept, back, b.caughtUp ? 'caught up' : 'did not catch up'];
  return `${b.server}'s bus cut ${b.cutSec}–${b.restoredSec} s: ${parts.join('; ')}`;
}

function specificClause(f: ScenarioFigures, baseline: Baseline): string | undefined {
  if (f.busPartition) return busClause(f.busPartition);
  if (f.timeTo90PctSec !== null) {
    const steady = baseline.hitRatio === null ? '' : ` (${pct(baseline.hitRatio)})`;
    return `90 % of its hit ratio over the last 5 s${steady} after ${f.timeTo90PctSec} s`;
  }
  if (f.failover) {
    return `slot-0 master unavailable ~${f.failover.unavailableSec} s (the cluster specification predicts ${f.failover.predictedSec.toFixed(2)} s)`;
  }
  if (f.keyMovement) {
    const k = f.keyMovement;
    const keys = k.keys === undefined ? '' : `, same ${k.keys} keys`;
    return `${pct(k.measured)} of keys moved (simulate, ${k.scheme} ${k.from}→${k.to}${keys}: ${pct(k.predicted)})`;
  }
  if (f.hotNode && f.hotNode.share > 0.45) {
    const l1 = f.l1Share === null ? '' : `; an L1 answered ${pct(f.l1Share)} of reads`;
    return `${f.hotNode.node} took ${pct(f.hotNode.share)} of Redis commands${l1}`;
  }
  if (f.peakDbFactor !== null && f.peakDbFactor >= 1.5 && baseline.dbQps !== null) {
    return `database queries peaked at ${f.peakDbQps?.toFixed(0)}/s, ${f.peakDbFactor.toFixed(1)}× the baseline ${baseline.dbQps.toFixed(0)}/s`;
  }
  return undefined;
}

/** One sentence, computed from the figures, saying what the run showed. */
export function verdictSentence(
  f: ScenarioFigures,
  baseline: Baseline,
  phases: { before: PhaseVerdict; during: PhaseVerdict; after: PhaseVerdict },
): string {
  const warmup =
    f.warmupRequestsFailed > 0 ? `; ${f.warmupRequestsFailed} more in the warm-up` : '';
  const parts = [`availability ${pct(f.availability, 2)} (${f.requestsFailed} failed${warmup})`];
  if (f.timeToDetectSec === null) parts.push('the hypothesis held throughout the method');
  else {
    const recovered =
      f.timeToRecoverSec === null
        ? 'not back inside it before the end'
        : `back inside it ${f.timeToRecoverSec} s after the action`;
    parts.push(`hypothesis broken ${f.timeToDetectSec} s after the first action, ${recovered}`);
  }
  if (f.hitRatioDip !== null && f.dipSeconds > 0) {
    parts.push(`hit ratio dipped ${(f.hitRatioDip * 100).toFixed(1)} points for ${f.dipSeconds} s`);
  }
  const specific = specificClause(f, baseline);
  if (specific) parts.push(specific);
  if (!phases.after.holds) parts.push(`still outside it in ${phases.after.broken} of the last 5 s`);
  return `${parts.join('; ')}.`;
}
