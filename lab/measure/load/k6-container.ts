import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { LabError } from '../../lab-errors.ts';
import { readEnvFile, requireValue } from '../../render/compose/pins.ts';
import { composeArgs, composeCliOf } from '../../run/driver/compose/compose-binary.ts';
import { dockerImageProbes } from '../../run/driver/compose/images.ts';
import { readRunRecord } from '../../run/driver/compose/record.ts';
import { loadSecrets } from '../../run/driver/compose/secrets.ts';
import type { LabState } from '../../run/driver/driver-types.ts';

/** What `cachelab load` hands to k6, whichever way k6 runs. */
export interface K6Settings {
  workload: string;
  rate: number;
  duration: number;
  warmup: number;
  keys: number;
}

/** A ready-to-run k6: the binary, or `docker compose … --profile k6 run --rm k6` for a compose stack. */
export interface K6Process {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * k6 in its container for a compose topology: only when the stack runs the official images (offline
 * stacks have no k6 image: Debian has no k6 package) and the pinned k6 image is present.
 */
export async function k6ContainerFor(
  state: LabState,
  k6: K6Settings,
): Promise<K6Process | undefined> {
  if (state.driver !== 'compose') return undefined;
  const record = await readRunRecord(state.runDir);
  if (record.offline) return undefined;
  const pins = await readEnvFile(record.project.envFile);
  const image = requireValue(pins, 'CACHELAB_K6_IMAGE', record.project.envFile);
  if (!(await dockerImageProbes.present(image))) return undefined;
  const cli = composeCliOf(record.flavor);
  const project = { ...record.project, profiles: [...new Set([...record.project.profiles, 'k6'])] };
  const example = join(record.project.envFile, '..', '.env.example');
  const secrets = await loadSecrets(record.secretsFile, example);
  return {
    command: cli.command,
    args: composeArgs(cli, project, ['run', '--rm', '--no-deps', 'k6']),
    env: {
      ...secrets.values,
      K6_WORKLOAD: k6.workload,
      K6_RATE: String(k6.rate),
      K6_DURATION: String(k6.duration),
      K6_WARMUP: String(k6.warmup),
      K6_KEYS: String(k6.keys),
      K6_TESTID: `${state.topology}-${k6.workload}-${Date.now()}`,
      // Remote write needs the observability profile's Prometheus; without it k6 writes a file.
      ...(record.project.profiles.includes('observability')
        ? {}
        : { K6_OUT: `json=/results/k6-${state.topology}-metrics.json` }),
    },
  };
}

/**
 * Runs k6 (installed, or its container through compose) to the end. Exit code 99 is k6's "thresholds
 * crossed": the run happened and its result file says how it went, so only other codes fail.
 */
export async function runK6Process(run: K6Process): Promise<void> {
  const child = spawn(run.command, run.args, {
    stdio: 'inherit',
    env: { ...process.env, ...run.env },
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0 && code !== 99) {
    throw new LabError('LOAD_FAILED', `${run.command} (k6) exited with code ${code}`);
  }
}
