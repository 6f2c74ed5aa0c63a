import { z } from 'zod';
import {
  comparisonResultsSchema,
  type failedTopologySchema,
  type measuredTopologySchema,
  type tierHitRatioSchema,
  type topologyOutcomeSchema,
} from './results-schema.ts';
import type { calibrationSchema, simulationSchema } from './simulation-schema.ts';

/** results.json of `cachelab compare`. */
export type ComparisonResults = z.infer<typeof comparisonResultsSchema>;
/** One topology of a comparison, measured or failed. */
export type TopologyOutcome = z.infer<typeof topologyOutcomeSchema>;
/** A measured topology. */
export type MeasuredTopology = z.infer<typeof measuredTopologySchema>;
/** A topology that could not be measured. */
export type FailedTopology = z.infer<typeof failedTopologySchema>;
/** Hit ratio per tier. */
export type TierHitRatioFigures = z.infer<typeof tierHitRatioSchema>;
/** The calibration block of results.json. */
export type CalibrationFigures = z.infer<typeof calibrationSchema>;
/** The simulation block of results.json. */
export type SimulationFigures = z.infer<typeof simulationSchema>;

/** results.json does not match its schema; `problems` lists every mismatch. */
export class ResultsInvalidError extends Error {
  readonly problems: string;

  constructor(source: string, error: z.ZodError) {
    const problems = z.prettifyError(error);
    super(`${source} is not a valid cachelab results file:\n${problems}`, { cause: error });
    this.name = 'ResultsInvalidError';
    this.problems = problems;
  }
}

/** Validates unknown JSON against the results schema; ResultsInvalidError lists every problem. */
export function parseComparisonResults(value: unknown, source = 'results'): ComparisonResults {
  const parsed = comparisonResultsSchema.safeParse(value);
  if (!parsed.success) throw new ResultsInvalidError(source, parsed.error);
  return parsed.data;
}

/** The JSON Schema (draft 2020-12) of results.json, derived from the zod schema. */
export function resultsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(comparisonResultsSchema, { target: 'draft-2020-12' });
  return {
    $schema: schema.$schema,
    $id: 'https://cachelab.local/schemas/compare-results.json',
    title: 'cachelab compare results',
    description:
      'results.json of `cachelab compare`: one comparison of topologies under one workload.',
    ...schema,
  };
}

/** The measured topologies of a comparison, in run order. */
export function measuredOf(results: ComparisonResults): MeasuredTopology[] {
  return results.topologies.filter((t): t is MeasuredTopology => t.status === 'ok');
}

/** The topologies that could not be measured. */
export function failedOf(results: ComparisonResults): FailedTopology[] {
  return results.topologies.filter((t): t is FailedTopology => t.status === 'failed');
}
