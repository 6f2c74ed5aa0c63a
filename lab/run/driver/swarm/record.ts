import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LabError } from '../../../lab-errors.ts';

const recordSchema = z.object({
  stack: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
  offline: z.boolean(),
  /** The app image (the distributed load runner reuses it: it has Node). */
  appImage: z.string().min(1),
  nginxMode: z.enum(['resolve', 'variable']),
  httpPort: z.number().int().positive(),
  postgresPort: z.number().int().positive(),
  redisPorts: z.array(z.number().int().positive()),
  /** Replicas of every long-running service (the app's changes with `cachelab scale`). */
  replicas: z.record(z.string(), z.number().int().nonnegative()),
});

/** What a swarm run records in its run folder, so `down`, `status`, `logs` and `scale` work later. */
export type SwarmRunRecord = z.infer<typeof recordSchema>;

/** `<runDir>/swarm.json`. */
export const swarmRecordPath = (runDir: string): string => join(runDir, 'swarm.json');

/** Writes the record of a swarm run. */
export async function writeSwarmRecord(runDir: string, record: SwarmRunRecord): Promise<void> {
  await writeFile(swarmRecordPath(runDir), `${JSON.stringify(record, null, 2)}\n`);
}

/** Reads the record of a swarm run; STATE_INVALID when it is missing or malformed. */
export async function readSwarmRecord(runDir: string): Promise<SwarmRunRecord> {
  const path = swarmRecordPath(runDir);
  try {
    return recordSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    throw new LabError('STATE_INVALID', `cannot read the swarm run record ${path}`, {
      cause: error,
    });
  }
}
