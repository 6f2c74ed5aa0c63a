import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { scenarioResultsSchema } from '../report/scenario-results-schema.ts';

/** Where the generated JSON Schema of a scenario run's results.json lives. */
export const SCENARIO_SCHEMA_PATH = fileURLToPath(
  new URL('./scenario-results.schema.json', import.meta.url),
);

/** The JSON Schema (draft 2020-12) of a scenario results.json, derived from the zod schema. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioResultsSchema, { target: 'draft-2020-12' });
  return {
    $schema: schema.$schema,
    $id: 'https://cachelab.local/schemas/scenario-results.json',
    title: 'cachelab scenario results',
    description:
      'results.json of `cachelab scenario run`: what happens when a piece fails, the load shifts or the fleet changes, second by second.',
    ...schema,
  };
}

/** The schema file's exact text (`make generate` writes it). */
export function scenarioSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
