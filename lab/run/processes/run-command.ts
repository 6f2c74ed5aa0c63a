import { execFile } from 'node:child_process';
import { NativeServiceError } from './process-errors.ts';

/** Options of runCommand. */
export interface RunCommandOptions {
  cwd?: string;
  /** Merged over process.env. */
  env?: Record<string, string | undefined>;
  uid?: number;
  gid?: number;
  /** Killed (SIGKILL) after this long. Default 30 s. */
  timeoutMs?: number;
  input?: string;
}

/** Output of a finished command. */
export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Runs a short-lived command to completion; throws COMMAND_FAILED with its output on non-zero exit. */
export function runCommand(
  command: string,
  args: readonly string[],
  opts: RunCommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      [...args],
      {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env },
        uid: opts.uid,
        gid: opts.gid,
        timeout: opts.timeoutMs ?? 30_000,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-30).join('\n');
        const message = `${command} ${args.join(' ')} failed: ${error.message}\n${output}`;
        reject(new NativeServiceError('COMMAND_FAILED', message, { cause: error }));
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}
