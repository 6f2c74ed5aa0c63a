import { percent } from '../text/format.ts';

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
  format: (value: number) => string = percent,
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
  format: (value: number) => string = percent,
): GoalVerdict {
  const pass = measured !== null && measured <= threshold;
  const gap = measured === null ? 'not measured' : `${format(measured)} vs ≤ ${format(threshold)}`;
  const over = measured === null || pass ? '' : `; over by ${format(measured - threshold)}`;
  return { goal, pass, measured, threshold, detail: `${gap}${over}` };
}
