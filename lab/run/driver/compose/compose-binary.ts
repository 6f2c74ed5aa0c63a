import { execFile } from 'node:child_process';
import type { ComposeFlavor } from '../../../lab-config.ts';
import { LabError } from '../../../lab-errors.ts';

/** A Docker Compose CLI found on this machine. */
export interface ComposeCli {
  /** v2 = `docker compose` (plugin), v1 = `docker-compose` 1.29 (Debian's package). */
  flavor: 'v1' | 'v2';
  command: string;
  /** Words before the compose arguments (`compose` for v2). */
  prefix: string[];
}

/** One compose project: what every compose command of a run repeats. */
export interface ComposeProject {
  /** `-p`: containers, networks and volumes carry it as com.docker.compose.project. */
  name: string;
  /** The pins file (`--env-file`), absolute. */
  envFile: string;
  /** `-f` files in order (base, overlay, [offline]), absolute. */
  files: string[];
  /** `--profile` values. */
  profiles: string[];
}

/** Output of a finished command. */
export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** Options of execCommand. */
export interface ExecOptions {
  /** Merged over process.env. */
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Runs a command to completion; UP_FAILED with the last lines of its output when it fails. */
export function execCommand(
  command: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      {
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        killSignal: 'SIGTERM',
        maxBuffer: 32 * 1024 * 1024,
        encoding: 'utf8',
        signal: options.signal,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-25).join('\n');
        const what = `${command} ${args.join(' ')}`;
        reject(new LabError('UP_FAILED', `${what} failed: ${output}`, { cause: error }));
      },
    );
  });
}

const V2: ComposeCli = { flavor: 'v2', command: 'docker', prefix: ['compose'] };
const V1: ComposeCli = { flavor: 'v1', command: 'docker-compose', prefix: [] };

async function answers(cli: ComposeCli): Promise<boolean> {
  try {
    await execCommand(cli.command, [...cli.prefix, 'version'], { timeoutMs: 10_000 });
    return true;
  } catch {
    return false; // not installed (or broken): that is what this probe reports
  }
}

/** The compose CLI to use: `flavor` if forced, else v2 when `docker compose` answers, else v1. */
export async function detectComposeCli(
  flavor: ComposeFlavor,
  probe: (cli: ComposeCli) => Promise<boolean> = answers,
): Promise<ComposeCli> {
  const candidates = flavor === 'v1' ? [V1] : flavor === 'v2' ? [V2] : [V2, V1];
  for (const cli of candidates) if (await probe(cli)) return cli;
  throw new LabError(
    'DRIVER_UNAVAILABLE',
    `no Docker Compose CLI answers (${candidates.map((c) => [c.command, ...c.prefix].join(' ')).join(', ')}); ` +
      'install one: apt-get install docker-compose (v1.29) or the docker compose v2 plugin',
  );
}

/** The compose CLI with this flavor (what a run recorded), without probing. */
export function composeCliOf(flavor: 'v1' | 'v2'): ComposeCli {
  return flavor === 'v1' ? V1 : V2;
}

/** Full argument list of one compose command of `project`. */
export function composeArgs(cli: ComposeCli, project: ComposeProject, command: string[]): string[] {
  return [
    ...cli.prefix,
    '--env-file',
    project.envFile,
    '-p',
    project.name,
    ...project.files.flatMap((file) => ['-f', file]),
    ...project.profiles.flatMap((profile) => ['--profile', profile]),
    ...command,
  ];
}

/** `up`: v2 waits for every healthcheck itself (`--wait`); v1 only starts (the driver then polls). */
export function upCommand(cli: ComposeCli): string[] {
  return cli.flavor === 'v2' ? ['up', '-d', '--wait'] : ['up', '-d'];
}

/** `down` that leaves nothing: containers, networks, named and anonymous volumes, orphans. */
export const DOWN_COMMAND = ['down', '--volumes', '--remove-orphans', '--timeout', '20'];

/** Runs one compose command of `project` with `env` (secrets and settings) added to the environment. */
export function runCompose(
  cli: ComposeCli,
  project: ComposeProject,
  command: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  return execCommand(cli.command, composeArgs(cli, project, command), options);
}
