import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DRIVER_NAMES } from '../../lab-config.ts';
import { LabError } from '../../lab-errors.ts';
import type { LabState } from './driver-types.ts';

const serviceSchema = z.object({
  name: z.string().min(1),
  role: z.enum(['nginx', 'app', 'invalidator', 'network', 'redis', 'postgres', 'observer']),
  pid: z.number().int().positive(),
  startTime: z.number().int().nonnegative(),
  ports: z.array(z.number().int().min(1).max(65_535)),
  stopSignal: z.enum(['SIGTERM', 'SIGINT']),
  logPath: z.string().min(1),
});

const stateSchema = z.object({
  version: z.literal(1),
  driver: z.enum(DRIVER_NAMES),
  topology: z.string().min(1),
  startedAt: z.string(),
  runDir: z.string().min(1),
  httpUrl: z.string().url(),
  httpPort: z.number().int(),
  databaseUrl: z.string(),
  redis: z.object({ url: z.string().optional(), nodes: z.array(z.string()).optional() }),
  services: z.array(serviceSchema),
  network: z.string().optional(),
});

/** Writes the state atomically (temp file + rename), creating its folder. */
export async function writeState(path: string, state: LabState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, path);
}

/** The recorded state, or undefined when nothing is recorded; STATE_INVALID when it cannot be read. */
export async function readState(path: string): Promise<LabState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LabError('STATE_INVALID', `cannot read ${path}`, { cause: error });
  }
  try {
    return stateSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new LabError('STATE_INVALID', `${path} is not a valid lab state file; remove it`, {
      cause: error,
    });
  }
}

/** The recorded state; NOT_RUNNING when there is none. */
export async function requireState(path: string): Promise<LabState> {
  const state = await readState(path);
  if (!state) throw new LabError('NOT_RUNNING', `no topology is running (no ${path})`);
  return state;
}

/** Forgets the recorded state. */
export async function removeState(path: string): Promise<void> {
  await rm(path, { force: true });
}
