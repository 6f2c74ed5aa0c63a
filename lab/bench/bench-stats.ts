/** Median of a list (mean of the two middle values for an even count); NaN for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** measured / reference, or null when the reference is not a positive finite number. */
export function ratio(measured: number, reference: number): number | null {
  if (!Number.isFinite(measured) || !Number.isFinite(reference) || reference <= 0) return null;
  return measured / reference;
}

/** Rounds to `digits` significant digits (keeps JSON figures readable without losing scale). */
export function roundSignificant(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

/** A duration given in ms, printed in the unit that suits it: ns, µs, ms or s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  const abs = Math.abs(ms);
  if (abs < 0.001) return `${trim(ms * 1e6)} ns`;
  if (abs < 1) return `${trim(ms * 1e3)} µs`;
  if (abs < 1000) return `${trim(ms)} ms`;
  return `${trim(ms / 1000)} s`;
}

/** A ratio as `12.3×` (three significant digits), or `n/a`. */
export function formatRatio(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  return `${trim(value)}×`;
}

/** A fraction as a percentage with one decimal: 0.8123 → `81.2%`. */
export function formatPercent(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return 'n/a';
  return `${(fraction * 100).toFixed(1)}%`;
}

/** A rate with thousands separators and no decimals: 12345.6 → `12,346`. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return 'n/a';
  return Math.round(perSecond).toLocaleString('en-US');
}

function trim(value: number): string {
  const abs = Math.abs(value);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toFixed(decimals);
}

/** A goal checked against a measurement, with the margin said in words. */
export interface GoalVerdict {
  goal: string;
  pass: boolean;
  /** The measured value, in the goal's own unit (a fraction or a ratio). */
  measured: number | null;
  /** The threshold the measurement is held to. */
  threshold: number;
  detail: string;
}

/** Passes when `measured` ≥ `threshold`; `format` prints both (default: percentage). */
export function atLeast(
  goal: string,
  measured: number | null,
  threshold: number,
  format: (value: number) => string = formatPercent,
): GoalVerdict {
  const pass = measured !== null && measured >= threshold;
  const gap = measured === null ? 'not measured' : `${format(measured)} vs ≥ ${format(threshold)}`;
  const short = measured === null || pass ? '' : `; short by ${format(threshold - measured)}`;
  return { goal, pass, measured, threshold, detail: `${gap}${short}` };
}

/** Passes when `measured` ≤ `threshold`; `format` prints both (default: percentage). */
export function atMost(
  goal: string,
  measured: number | null,
  threshold: number,
  format: (value: number) => string = formatPercent,
): GoalVerdict {
  const pass = measured !== null && measured <= threshold;
  const gap = measured === null ? 'not measured' : `${format(measured)} vs ≤ ${format(threshold)}`;
  const over = measured === null || pass ? '' : `; over by ${format(measured - threshold)}`;
  return { goal, pass, measured, threshold, detail: `${gap}${over}` };
}
