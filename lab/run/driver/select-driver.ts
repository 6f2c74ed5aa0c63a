import { execFile } from 'node:child_process';
import type { DriverName } from '../../lab-config.ts';
import { composeDriver } from './compose/driver.ts';
import type { Driver } from './driver-types.ts';
import { nativeDriver } from './native/driver.ts';
import { unconfiguredRemoteDriver } from './remote/driver.ts';
import { swarmDriver } from './swarm/driver.ts';

const DRIVERS: Readonly<Record<DriverName, Driver>> = {
  native: nativeDriver,
  compose: composeDriver,
  swarm: swarmDriver,
  remote: unconfiguredRemoteDriver,
};

/** The driver called `name`. */
export function getDriver(name: DriverName): Driver {
  return DRIVERS[name];
}

/** The driver chosen and why, to tell the user. */
export interface DriverChoice {
  name: DriverName;
  reason: string;
}

/** Inputs of chooseDriver; the Docker probe is injected so the rule is testable. */
export interface DriverChoiceInput {
  /** --driver */
  flag?: DriverName;
  /** DRIVER from the environment (lab/lab-config.ts). */
  env?: DriverName;
  dockerAnswers: () => Promise<boolean>;
}

/** --driver wins, then DRIVER; otherwise compose when a Docker engine answers, else native. */
export async function chooseDriver(input: DriverChoiceInput): Promise<DriverChoice> {
  if (input.flag) return { name: input.flag, reason: 'chosen with --driver' };
  if (input.env) return { name: input.env, reason: 'chosen with DRIVER' };
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
