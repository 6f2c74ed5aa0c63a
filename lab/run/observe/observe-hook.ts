import { basename, join } from 'node:path';
import { LabError } from '../../lab-errors.ts';
import type { LabState, ObserveHook, ServiceRecord, ServiceRole } from '../driver/driver-types.ts';
import { linkLog, recordOf } from '../driver/service-record.ts';
import {
  type ObservabilityHandle,
  type ObservedEndpoints,
  startObservability,
} from './start-observability.ts';

/** The endpoints Prometheus scrapes, read from the state of a running native topology. */
export function endpointsFromState(state: LabState): ObservedEndpoints {
  const byRole = (role: ServiceRole) =>
    state.services
      .filter((s) => s.role === role)
      .map((s) => {
        const port = s.ports[0];
        if (port === undefined) throw new LabError('STATE_INVALID', `${s.name} records no port`);
        return { name: s.name, port };
      });
  return {
    apps: byRole('app'),
    redisNodes: byRole('redis'),
    invalidators: byRole('invalidator'),
    postgresUrl: state.databaseUrl,
    nginxStatusUrl: `${state.httpUrl}/nginx_status`,
  };
}

/** The run id of a run folder: its unique name, e.g. `two-tier-Ab12Cd`. */
export function runIdOf(runDir: string): string {
  return basename(runDir);
}

/** Options of createObserveHook. */
export interface ObserveHookOptions {
  /** TSDB shared by successive runs (to compare them); default one per run folder. */
  storageDir?: string;
  scrapeIntervalSec?: number;
  /** Called once everything is up, e.g. to print the Prometheus URL. */
  onStarted?: (handle: ObservabilityHandle) => void;
}

async function recordsOf(handle: ObservabilityHandle, logsDir: string): Promise<ServiceRecord[]> {
  const records = handle.processes.map((p) => recordOf(p.name, 'observer', p, [p.port]));
  for (const p of handle.processes) await linkLog(logsDir, p.name, p.logPath);
  return records;
}

/**
 * The driver's `--observe` hook: starts Prometheus and the exporters for the running topology in
 * `<runDir>/observe` (run_id = the run folder's name) and returns their records and stop().
 */
export function createObserveHook(options: ObserveHookOptions = {}): ObserveHook {
  return {
    async start({ topology, state }) {
      const handle = await startObservability({
        topology,
        endpoints: endpointsFromState(state),
        runDir: join(state.runDir, 'observe'),
        runId: runIdOf(state.runDir),
        storageDir: options.storageDir,
        scrapeIntervalSec: options.scrapeIntervalSec,
      });
      try {
        const services = await recordsOf(handle, join(state.runDir, 'logs'));
        options.onStarted?.(handle);
        return { services, stop: handle.stop, prometheusUrl: handle.prometheusUrl };
      } catch (error) {
        await handle.stop();
        throw error;
      }
    },
  };
}
