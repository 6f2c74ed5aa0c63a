// Regenerates results.schema.json from the zod schema: npx tsx lab/report/write-results-schema.ts
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resultsJsonSchema } from './results-types.ts';

/** Where the generated JSON Schema of results.json lives. */
export const RESULTS_SCHEMA_PATH = fileURLToPath(new URL('./results.schema.json', import.meta.url));

/** The schema file's text (Biome may reflow it; the test compares parsed JSON). */
export function resultsSchemaText(): string {
  return `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(RESULTS_SCHEMA_PATH, resultsSchemaText());
  process.stdout.write(`wrote ${RESULTS_SCHEMA_PATH}\n`);
}
