import { join } from 'node:path';
import { type DriverName, type LabConfig, loadLabConfig } from '../lab-config.ts';
import { LabError } from '../lab-errors.ts';
import { getTopology } from '../topology/catalog.ts';
import type { NetworkProfile, NetworkSettings } from '../topology/network.ts';
import { needsProxies } from '../topology/network.ts';
import { networkOf, withNetwork } from '../topology/network-proxies.ts';
import { attach } from './driver/attach.ts';
import type { Driver, LabState, ObserveHook, ProgressListener } from './driver/driver-types.ts';
import { chooseDriver, dockerAnswers, getDriver } from './driver/select-driver.ts';
import { removeState, writeState } from './driver/state-file.ts';
import { interruptibly } from './interruptibly.ts';
import { createObserveHook } from './observe/observe-hook.ts';

/** What `cachelab up` was asked for (undefined = the driver's or the topology's default). */
export interface UpFlags {
  driver?: DriverName;
  seedUsers?: number;
  httpPort?: number;
  /** Also start Prometheus and the exporters. */
  observe?: boolean;
  /** Network profile: a fault proxy on every hop unless loopback. */
  network?: NetworkProfile;
  /** --hop: per-hop round trips over the profile's (needs --network). */
  hops?: NetworkSettings['hops'];
}

/** How `up` reports its steps: `onProgress` per step, `onUpEnded` once the driver is done or failed. */
export interface UpReporting {
  onProgress?: ProgressListener;
  onUpEnded?: () => void;
}

/** Refuses to start over a running topology; forgets a recorded one whose processes are all gone. */
async function checkNothingRunning(config: LabConfig): Promise<void> {
  const lab = await attach(config.stateFile);
  if (!lab) return;
  const { state } = lab;
  const status = await lab.status();
  if (status.services.some((s) => s.alive)) {
    throw new LabError(
      'ALREADY_RUNNING',
      `${state.topology} is already running (${state.httpUrl}); run \`cachelab down\` first`,
    );
  }
  process.stderr.write(
    `cachelab: forgetting ${state.topology}: none of its processes is running\n`,
  );
  await removeState(config.stateFile);
}

/** --driver, DRIVER, or detection; tells the user which driver and why. */
async function pickDriver(flag: DriverName | undefined, config: LabConfig): Promise<Driver> {
  const choice = await chooseDriver({ flag, env: config.driver, dockerAnswers });
  const driver = getDriver(choice.name);
  process.stderr.write(`cachelab: driver ${choice.name} (${choice.reason})\n`);
  return driver;
}

/** Prometheus and the exporters, sharing one TSDB across runs so Prometheus can compare them. */
function observeHook(config: LabConfig): ObserveHook {
  return createObserveHook({
    storageDir: join(config.labDir, 'prometheus'),
    onStarted: (handle) => process.stderr.write(`prometheus: ${handle.prometheusUrl}\n`),
  });
}

/**
 * `cachelab up <topology>`: starts it (Ctrl-C stops what was started), records it in the state
 * file, and leaves it running; returns the recorded state.
 */
export async function upCommand(
  name: string,
  flags: UpFlags,
  reporting: UpReporting = {},
): Promise<LabState> {
  const catalogued = getTopology(name);
  if (flags.hops && !flags.network) {
    throw new LabError('USAGE', "--hop overrides a profile's hops: give --network too");
  }
  const topology = flags.network
    ? withNetwork(catalogued, {
        profile: flags.network,
        ...(flags.hops ? { hops: flags.hops } : {}),
      })
    : catalogued;
  const config = loadLabConfig();
  await checkNothingRunning(config);
  // A network profile picks the native driver unless one was asked for: its proxy is the one
  // `net calibrate` measures, and compose on official images takes whole milliseconds only.
  const proxied = needsProxies(networkOf(topology)) && !config.driver;
  const driver = await pickDriver(flags.driver ?? (proxied ? 'native' : undefined), config);
  const lab = await interruptibly('stopping what was started', (signal) =>
    driver
      .up(topology, {
        httpPort: flags.httpPort,
        seedUsers: flags.seedUsers,
        observe: flags.observe ? observeHook(config) : undefined,
        signal,
        onProgress: reporting.onProgress,
      })
      .finally(() => reporting.onUpEnded?.()),
  );
  const state = lab.detach();
  await writeState(config.stateFile, state);
  return state;
}
