import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LabError } from '../../../lab-errors.ts';
import type { ComposeProject } from './compose-binary.ts';

/** What a compose run records in its run folder, so `down`, `status` and `logs` work from another process. */
export interface ComposeRunRecord {
  flavor: 'v1' | 'v2';
  project: ComposeProject;
  offline: boolean;
  secretsFile: string;
}

const recordSchema = z.object({
  flavor: z.enum(['v1', 'v2']),
  project: z.object({
    name: z.string().min(1),
    envFile: z.string().min(1),
    files: z.array(z.string().min(1)).min(1),
    profiles: z.array(z.string()),
  }),
  offline: z.boolean(),
  secretsFile: z.string().min(1),
});

/** `<runDir>/compose.json`. */
export const recordPath = (runDir: string): string => join(runDir, 'compose.json');

/** Writes the record of a run into its run folder. */
export async function writeRunRecord(runDir: string, record: ComposeRunRecord): Promise<void> {
  await writeFile(recordPath(runDir), `${JSON.stringify(record, null, 2)}\n`);
}

/** Reads the record of a run; STATE_INVALID when it is missing or malformed. */
export async function readRunRecord(runDir: string): Promise<ComposeRunRecord> {
  const path = recordPath(runDir);
  try {
    return recordSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    throw new LabError('STATE_INVALID', `cannot read the compose run record ${path}`, {
      cause: error,
    });
  }
}
