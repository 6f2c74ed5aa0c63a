import { LabError } from '../../../lab-errors.ts';
import type { Topology } from '../../../topology/model.ts';
import { httpStatus } from '../../processes/net-checks.ts';
import type { Driver, LabEndpoints, LabState, RunningLab } from '../driver-types.ts';
import type { LifecycleOperations } from '../lifecycle-types.ts';
import { appsFromPrometheus } from './prometheus-targets.ts';
import type { RemoteTarget } from './remote-target.ts';

const notHere = (what: string) => async (): Promise<never> => {
  throw new LabError(
    'ACTION_UNSUPPORTED',
    `${what}: the lab runs elsewhere; use its own tools (docker service, kubectl)`,
  );
};

const lifecycle: LifecycleOperations = {
  services: async () => [],
  kill: notHere('kill'),
  stop: notHere('stop'),
  pause: notHere('pause'),
  resume: notHere('resume'),
  restart: notHere('restart'),
  addAppServer: notHere('adding an app server'),
  removeAppServer: notHere('removing an app server'),
  flushCache: notHere('flushing a cache'),
  applyToxic: notHere('a fault proxy'),
  removeToxic: notHere('a fault proxy'),
  failoverRedisMaster: notHere('a Redis failover'),
};

/** The state of a remote lab: its front door, and the addresses the user gave for the rest. */
export function remoteState(topology: string, target: RemoteTarget): LabState {
  const url = new URL(target.url);
  return {
    version: 1,
    driver: 'remote',
    topology,
    startedAt: new Date().toISOString(),
    runDir: '',
    httpUrl: target.url,
    httpPort: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    databaseUrl: target.postgresUrl ?? '',
    redis: {},
    services: [],
  };
}

async function waitServing(url: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if ((await httpStatus(`${url}/healthz`, 3_000).catch(() => 0)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new LabError(
    'UP_FAILED',
    `the remote lab at ${url} did not answer GET /healthz with 200 in 30 s`,
  );
}

/**
 * A driver for a lab that runs elsewhere (a swarm, a Kubernetes cluster): `up` checks it serves and
 * starts nothing, `down` stops nothing, `endpoints` are the scrape addresses the user gave (or the app
 * servers a Prometheus scrapes). The topology must be the one deployed there.
 */
export function createRemoteDriver(target: RemoteTarget): Driver {
  const endpoints = async (): Promise<LabEndpoints> => {
    const apps =
      target.apps.length > 0 || !target.prometheusUrl
        ? target.apps
        : await appsFromPrometheus(target.prometheusUrl);
    if (!target.postgresUrl || apps.length === 0) {
      throw new LabError(
        'USAGE',
        'measuring a remote lab needs --scrape-postgres and the app servers (--scrape-app or --prometheus)',
      );
    }
    return { apps, redis: target.redis, postgresUrl: target.postgresUrl };
  };
  return {
    ...lifecycle,
    name: 'remote',
    up: async (topology: Topology, options): Promise<RunningLab> => {
      await waitServing(target.url, options.signal);
      const state = remoteState(topology.name, target);
      const nothing = async () => {};
      return {
        topology,
        state,
        url: target.url,
        down: nothing,
        detach: () => state,
        [Symbol.asyncDispose]: nothing,
      };
    },
    down: async () => {},
    status: async (state) => ({
      state,
      services: [],
      serving: (await httpStatus(`${state.httpUrl}/healthz`, 3_000).catch(() => 0)) === 200,
    }),
    logs: notHere('logs'),
    endpoints,
  };
}

/** `--driver remote` without a target: every operation says how to name the lab. */
export const unconfiguredRemoteDriver: Driver = {
  ...lifecycle,
  name: 'remote',
  up: notHere('the remote driver needs --target URL (cachelab load|compare|scenario --target …)'),
  down: async () => {},
  status: notHere('status of a remote lab'),
  logs: notHere('logs'),
};
