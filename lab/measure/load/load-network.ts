import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LabError } from '../../lab-errors.ts';
import { REPO_ROOT } from '../../repo-root.ts';
import {
  type HopDelay,
  hopDelays,
  type NetworkProfile,
  needsProxies,
  parseNetworkProfile,
} from '../../topology/network.ts';
import type { NetCalibration } from '../network/calibrate.ts';

/** Where `cachelab net calibrate` saves the calibration of a profile (results/bench). */
export const calibrationPath = (
  profile: NetworkProfile,
  dir = join(REPO_ROOT, 'results', 'bench'),
) => join(dir, `net-calibration-${profile}.json`);

/** The network a load ran under, recorded with its result: profile, round trip per hop, calibration. */
export interface LoadNetwork {
  profile: NetworkProfile;
  hops: Record<string, HopDelay>;
  /** The last `cachelab net calibrate` of this profile, with its path; null when none was saved. */
  calibration: { path: string; result: NetCalibration } | null;
}

const calibrationShape = z
  .object({
    profile: z.string(),
    samplesPerHop: z.number().int().positive(),
    hops: z.array(z.object({ hop: z.string(), addedP50Ms: z.number() }).passthrough()),
    proxyCpuUsPerMessage: z.number(),
  })
  .passthrough();

async function savedCalibration(profile: NetworkProfile, dir?: string) {
  const path = calibrationPath(profile, dir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LabError('CONFIG_INVALID', `cannot read ${path}`, { cause: error });
  }
  const parsed = calibrationShape.safeParse(JSON.parse(text));
  if (!parsed.success || parsed.data.profile !== profile) {
    throw new LabError(
      'CONFIG_INVALID',
      `${path} is not a calibration of ${profile}: run \`cachelab net calibrate --network ${profile}\` again`,
    );
  }
  return { path, result: parsed.data as unknown as NetCalibration };
}

/** The network record of a load on a lab running under `running` (its state's profile). */
export async function loadNetwork(running: string, calibrationDir?: string): Promise<LoadNetwork> {
  const profile = parseNetworkProfile(running);
  const settings = { profile };
  const calibration = needsProxies(settings)
    ? await savedCalibration(profile, calibrationDir)
    : null;
  return { profile, hops: hopDelays(settings), calibration };
}
