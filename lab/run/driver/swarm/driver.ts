import { join } from 'node:path';
import { COMPOSE_DIR } from '../../../render/compose/compose-folders.ts';
import { getTopology } from '../../../topology/catalog.ts';
import { dockerImageProbes, type ImageProbes } from '../compose/images.ts';
import type { Driver, LabState, RunningLab } from '../driver-types.ts';
import { refuseNetworkProfile } from '../network-support.ts';
import { swarmLifecycle } from './lifecycle.ts';
import { readSwarmRecord, type SwarmRunRecord } from './record.ts';
import { scaleSwarm } from './scale.ts';
import { downStack } from './stack-down.ts';
import { swarmLogs, swarmStatus } from './status-logs.ts';
import { type SwarmSettings, upSwarm } from './up.ts';

/** Options of createSwarmDriver (the registered driver uses the defaults). */
export interface SwarmDriverOptions {
  /** Folder of the pins (.env) and the secrets file; default the repository's compose/. */
  composeDir?: string;
  /** Git-ignored secrets file; default <composeDir>/secrets.env (created from .env.example if absent). */
  secretsFile?: string;
  /** The stack is `<prefix>-<topology>`; default `cachelab`. */
  stackPrefix?: string;
  /** Upper bound of each deployment phase and of a scale; default 300 s. */
  readyTimeoutMs?: number;
  imageProbes?: ImageProbes;
}

/** A topology running as a swarm stack. */
export interface SwarmLab extends RunningLab {
  readonly record: SwarmRunRecord;
}

/** The swarm driver, whose `up` returns a SwarmLab. */
export interface SwarmDriver extends Driver {
  up: (...args: Parameters<Driver['up']>) => Promise<SwarmLab>;
  scale(state: LabState, service: string, replicas: number): Promise<LabState>;
}

async function downRecorded(state: LabState, onProgress?: Parameters<Driver['down']>[1]) {
  const { stack } = await readSwarmRecord(state.runDir);
  await downStack(stack, state.runDir, onProgress);
}

/**
 * A driver running topologies as Docker Swarm stacks (`docker stack deploy`), rendered from the same
 * model as the compose files: replicas, limits, healthchecks, placement, dnsrr endpoints, an overlay
 * network, configs and secrets. Needs this engine to be a swarm manager.
 */
export function createSwarmDriver(options: SwarmDriverOptions = {}): SwarmDriver {
  const composeDir = options.composeDir ?? COMPOSE_DIR;
  const settings: SwarmSettings = {
    composeDir,
    secretsFile: options.secretsFile ?? join(composeDir, 'secrets.env'),
    stackPrefix: options.stackPrefix ?? 'cachelab',
    readyTimeoutMs: options.readyTimeoutMs ?? 300_000,
    imageProbes: options.imageProbes ?? dockerImageProbes,
  };
  return {
    ...swarmLifecycle,
    name: 'swarm',
    up: async (topology, upOptions) => {
      refuseNetworkProfile(topology, 'swarm');
      const { state, record } = await upSwarm(settings, topology, upOptions);
      let stopping: Promise<void> | undefined;
      const down = (): Promise<void> => {
        stopping ??= downRecorded(state);
        return stopping;
      };
      return {
        topology,
        state,
        record,
        url: state.httpUrl,
        down,
        detach: () => state,
        [Symbol.asyncDispose]: down,
      };
    },
    down: downRecorded,
    status: swarmStatus,
    logs: swarmLogs,
    scale: (state, service, replicas) =>
      scaleSwarm(getTopology(state.topology), state, service, replicas, settings.readyTimeoutMs),
  };
}

/** The swarm driver with default settings (`cachelab up --driver swarm`). */
export const swarmDriver: SwarmDriver = createSwarmDriver();
