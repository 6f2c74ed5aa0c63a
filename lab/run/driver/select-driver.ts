import { execFile } from 'node:child_process';
import type { DriverName } from '../../config.ts';

/** The driver chosen and why, to tell the user. */
export interface DriverChoice {
  name: DriverName;
  reason: string;
}

/** Inputs of chooseDriver; the Docker probe is injected so the rule is testable. */
export interface DriverChoiceInput {
  /** --driver */
  flag?: DriverName;
  /** DRIVER from the environment (lab/config.ts). */
  env?: DriverName;
  composeRegistered: boolean;
  dockerAnswers: () => Promise<boolean>;
}

/** --driver wins, then DRIVER; otherwise compose when Docker answers and a compose driver exists, else native. */
export async function chooseDriver(input: DriverChoiceInput): Promise<DriverChoice> {
  if (input.flag) return { name: input.flag, reason: 'chosen with --driver' };
  if (input.env) return { name: input.env, reason: 'chosen with DRIVER' };
  if (!input.composeRegistered) {
    return { name: 'native', reason: 'no compose driver is available in this version' };
  }
  if (await input.dockerAnswers()) {
    return { name: 'compose', reason: 'a Docker engine answers `docker info`' };
  }
  return { name: 'native', reason: 'no Docker engine answered `docker info` within 2 s' };
}

/** True when `docker info` exits 0 within `timeoutMs` (false when docker is missing or the engine is down). */
export function dockerAnswers(timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('docker', ['info'], { timeout: timeoutMs }, (error) => resolve(error === null));
  });
}
