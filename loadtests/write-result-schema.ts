import { fileURLToPath } from 'node:url';
import { runResultJsonSchema } from './result-format.ts';

/** Where the generated JSON Schema of RunResult lives. */
export const RESULT_SCHEMA_PATH = fileURLToPath(
  new URL('./result-format.schema.json', import.meta.url),
);

/** The schema file's exact text (`make generate` writes it; Biome leaves generated files alone). */
export function resultSchemaText(): string {
  return `${JSON.stringify(runResultJsonSchema(), null, 2)}\n`;
}
