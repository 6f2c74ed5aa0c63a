import { listProse, millis, percent, points, times } from '../text/format.ts';
import type { LadderRow } from './ladder-rows.ts';
import type { CalibrationFigures, SimulationFigures } from './results-types.ts';

/** Fastest and slowest rung, and the biggest step between consecutive rungs. */
export function ladderVerdict(rows: readonly LadderRow[]): string {
  const sorted = [...rows].sort((a, b) => a.p50Ms - b.p50Ms);
  const fastest = sorted[0];
  const slowest = sorted.at(-1);
  if (!fastest || !slowest) return 'The latency ladder is empty.';
  let step = { from: fastest, to: fastest, ratio: 1 };
  for (let i = 1; i < sorted.length; i++) {
    const from = sorted[i - 1] as LadderRow;
    const to = sorted[i] as LadderRow;
    const ratio = from.p50Ms > 0 ? to.p50Ms / from.p50Ms : 0;
    if (ratio > step.ratio) step = { from, to, ratio };
  }
  const stepText =
    step.from === step.to
      ? ''
      : ` The biggest step: ${step.from.name} → ${step.to.name} (${times(step.to.p50Ms, step.from.p50Ms)}).`;
  return (
    `Fastest rung: ${fastest.name}, p50 ${millis(fastest.p50Ms)}; slowest: ${slowest.name}, p50 ` +
    `${millis(slowest.p50Ms)} (${times(slowest.p50Ms, fastest.p50Ms)}).${stepText}`
  );
}

function trend(from: number, to: number): string {
  if (Math.abs(to - from) < 0.01) return 'stays at';
  return to > from ? 'rises to' : 'falls to';
}

/** How each simulated layout's hit ratio moves from the fewest to the most servers. */
export function scaleVerdict(sim: SimulationFigures): string {
  const first = sim.scale[0];
  const last = sim.scale.at(-1);
  if (!first || !last || first === last) return 'The scale simulation has a single server count.';
  const parts = Object.entries(last.topologies).map(([name, f]) => {
    const start = first.topologies[name as keyof typeof first.topologies]?.hitRatio.overall ?? 0;
    return `${name} ${trend(start, f.hitRatio.overall)} ${percent(f.hitRatio.overall)} (from ${percent(start)})`;
  });
  return `From ${first.servers} to ${last.servers} servers: ${listProse(parts)}.`;
}

/** Keys moved, or the hit-ratio dip, of each scheme for the first growth step. */
export function resizeVerdict(sim: SimulationFigures, focus: 'moved' | 'dip'): string {
  const growth = sim.resize.filter((c) => c.to > c.from);
  const step = growth[0];
  if (!step) return 'The resize simulation has no growth step.';
  const same = growth.filter((c) => c.from === step.from && c.to === step.to);
  const going = `Going from ${step.from} to ${step.to} cache nodes`;
  if (focus === 'moved') {
    const moved = same.map((c) => `${percent(c.movedKeyShare)} with ${c.scheme}`);
    return `${going} moves this share of the keys to another node: ${listProse(moved)}.`;
  }
  const dips = same.map((c) => `${points(c.dip, 1)} points with ${c.scheme}`);
  return `${going}, the hit ratio just after the change dips by ${listProse(dips)}.`;
}

/** How many measured topologies the simulation predicts within the tolerance. */
export function calibrationVerdict(c: CalibrationFigures): string {
  const within = c.entries.filter((e) => e.withinTolerance);
  const outside = c.entries.filter((e) => !e.withinTolerance).map((e) => e.topology);
  const tolerance = `±${points(c.tolerance, 0)} points`;
  const staleText =
    c.staleTolerance === undefined
      ? ''
      : ` and stale reads within ±${points(c.staleTolerance, 0)} points`;
  const head = `${within.length} of ${c.entries.length} measured topologies match the simulation at N=${c.servers} within ${tolerance} on every tier${staleText}.`;
  return outside.length === 0 ? head : `${head} Outside the tolerance: ${listProse(outside)}.`;
}
