// Regenerates result-format.schema.json from the zod schema: npx tsx loadtests/write-result-schema.ts
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runResultJsonSchema } from './result-format.ts';

/** Where the generated JSON Schema of RunResult lives. */
export const RESULT_SCHEMA_PATH = fileURLToPath(
  new URL('./result-format.schema.json', import.meta.url),
);

/** The schema file's text (Biome may reflow it; the test compares parsed JSON). */
export function resultSchemaText(): string {
  return `${JSON.stringify(runResultJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(RESULT_SCHEMA_PATH, resultSchemaText());
  process.stdout.write(`wrote ${RESULT_SCHEMA_PATH}\n`);
}
