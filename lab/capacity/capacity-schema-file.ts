import { fileURLToPath } from 'node:url';
import { capacityJsonSchema } from './capacity-schema.ts';

/** Where the generated JSON Schema of a capacity run's results.json lives. */
export const CAPACITY_SCHEMA_PATH = fileURLToPath(
  new URL('./capacity-results.schema.json', import.meta.url),
);

/** The schema file's exact text (`make generate` writes it). */
export function capacitySchemaText(): string {
  return `${JSON.stringify(capacityJsonSchema(), null, 2)}\n`;
}
