import { fileURLToPath } from 'node:url';
import { resultsJsonSchema } from './results-types.ts';

/** Where the generated JSON Schema of results.json lives. */
export const RESULTS_SCHEMA_PATH = fileURLToPath(new URL('./results.schema.json', import.meta.url));

/** The schema file's exact text (`make generate` writes it; Biome leaves generated files alone). */
export function resultsSchemaText(): string {
  return `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`;
}
