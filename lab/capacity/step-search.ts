/** What the search needs to know of one measured step. */
export interface SearchStep {
  rate: number;
  /** Met the SLO with a valid run. */
  ok: boolean;
}

/** How the offered rate is stepped: ramp by `growth` from `startRps`, then bisect. */
export interface SearchPlan {
  startRps: number;
  growth: number;
  /** Never offer more than this. */
  maxRps: number;
  /** Never bisect below this: a topology that breaks here is reported as below it. */
  minRps: number;
  /** Bisection stops when the bracket is narrower than this share of its upper end. */
  resolution: number;
  /** Hard bound on the number of steps of one search. */
  maxSteps: number;
}

/** Defaults: 200 req/s ×1.6 up to 20k, bisect to 5 % (not below 50), at most 14 steps. */
export const DEFAULT_SEARCH_PLAN: SearchPlan = {
  startRps: 200,
  growth: 1.6,
  maxRps: 20_000,
  minRps: 50,
  resolution: 0.05,
  maxSteps: 14,
};

/** The search's result: every step in order, the highest rate that held, and why it stopped. */
export interface SearchOutcome<T extends SearchStep> {
  steps: T[];
  /** Highest offered rate that met the SLO (null: not even the lowest step did). */
  maxSustainableRps: number | null;
  /** The lowest offered rate that broke it (null: none did, up to the cap). */
  firstBrokenRps: number | null;
  stoppedBecause: string;
}

/**
 * Finds the highest sustainable rate: ramps the offered rate geometrically until a step breaks the
 * SLO or the run's validity, then bisects between the last good and the first bad rate. Bounded by
 * plan.maxSteps steps whatever happens.
 */
export async function searchCapacity<T extends SearchStep>(
  measure: (rate: number) => Promise<T>,
  plan: SearchPlan = DEFAULT_SEARCH_PLAN,
): Promise<SearchOutcome<T>> {
  const steps: T[] = [];
  let good = 0;
  let bad: number | null = null;
  const step = async (rate: number): Promise<boolean> => {
    const s = await measure(Math.round(rate));
    steps.push(s);
    return s.ok;
  };
  let rate = plan.startRps;
  while (bad === null && steps.length < plan.maxSteps) {
    if (await step(rate)) good = Math.round(rate);
    else bad = Math.round(rate);
    if (bad === null && rate >= plan.maxRps) break;
    rate = Math.min(plan.maxRps, rate * plan.growth);
  }
  while (bad !== null && steps.length < plan.maxSteps && (bad - good) / bad > plan.resolution) {
    const mid = Math.round((good + bad) / 2);
    if (mid <= good || mid >= bad || mid < plan.minRps) break;
    if (await step(mid)) good = mid;
    else bad = mid;
  }
  const stoppedBecause =
    bad === null
      ? steps.length >= plan.maxSteps
        ? `step limit (${plan.maxSteps}) reached while every step held`
        : `held up to the rate cap of ${plan.maxRps}/s`
      : (bad - good) / bad <= plan.resolution
        ? `bracketed within ${Math.round(plan.resolution * 100)}%`
        : good === 0 && Math.round(bad / 2) < plan.minRps
          ? `broke at ${bad}/s, the lowest rate tried (floor ${plan.minRps}/s)`
          : `step limit (${plan.maxSteps}) reached while bisecting`;
  return { steps, maxSustainableRps: good > 0 ? good : null, firstBrokenRps: bad, stoppedBecause };
}
