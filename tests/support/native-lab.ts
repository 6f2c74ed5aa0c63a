import { expect } from 'vitest';
import { type NativeLab, upTopology } from '../../lab/run/driver/native/driver.ts';
import { findLeftovers } from '../../lab/run/driver/pid-control.ts';
import { freePort } from '../../lab/run/processes/ports.ts';
import { makeRunDir, removeRunDir } from '../../lab/run/processes/run-dir.ts';
import { getTopology } from '../../lab/topology/catalog.ts';

/** Options of withNativeLab. */
export interface WithLabOptions {
  seedUsers: number;
  /** Runs once the topology is down and proven clean (e.g. to read the flushed logs). */
  afterDown?: (lab: NativeLab) => Promise<void>;
}

/**
 * Brings catalog topology `name` up natively on free ports, runs `check`, brings it down, proves no
 * process or port is left, runs `afterDown`, and removes the run folder.
 */
export async function withNativeLab(
  name: string,
  options: WithLabOptions,
  check: (lab: NativeLab) => Promise<void>,
): Promise<void> {
  const runDir = await makeRunDir(`lab-${name}`);
  try {
    const lab = await upTopology(getTopology(name), {
      runDir,
      httpPort: await freePort(),
      seedUsers: options.seedUsers,
      appLogLevel: 'warn',
    });
    try {
      await check(lab);
    } finally {
      await lab.down();
    }
    expect(await findLeftovers(lab.state.services)).toEqual({ alive: [], busyPorts: [] });
    await options.afterDown?.(lab);
  } finally {
    await removeRunDir(runDir);
  }
}
