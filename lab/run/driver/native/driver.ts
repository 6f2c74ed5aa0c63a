import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadLabConfig } from '../../../lab-config.ts';
import { LabError } from '../../../lab-errors.ts';
import type { Topology } from '../../../topology/model.ts';
import { validateTopology } from '../../../topology/schema.ts';
import { makeRunDir } from '../../processes/run-dir.ts';
import { type CleanupFailure, CleanupStack } from '../cleanup-stack.ts';
import { releaseOnExit } from '../detach.ts';
import type { Driver, LabState, RunningLab, UpOptions } from '../driver-types.ts';
import { assertPortsFree, stopRecorded } from '../pid-control.ts';
import { removeRunData } from '../service-record.ts';
import { nativeEndpoints } from './endpoints.ts';
import { rememberContext } from './lab-context.ts';
import { nativeLifecycle } from './lifecycle.ts';
import { probeStatus, readLogs } from './status.ts';
import { assertHttpPortFree, stateOf, type UpContext, upSteps } from './up.ts';

/** A topology running as native processes of this process; `services` exposes them to tests. */
export interface NativeLab extends RunningLab {
  readonly services: Readonly<
    Pick<UpContext, 'postgres' | 'redis' | 'network' | 'apps' | 'nginx' | 'runDir' | 'logsDir'>
  >;
}

function failureError(error: unknown, failures: CleanupFailure[], aborted: boolean): LabError {
  const details = { cleanupFailures: failures.map((f) => `${f.name}: ${String(f.error)}`) };
  const stopped =
    failures.length === 0 ? 'everything started was stopped' : 'CLEANUP FAILED, see details';
  if (aborted)
    return new LabError('INTERRUPTED', `interrupted; ${stopped}`, { cause: error, details });
  if (error instanceof LabError && failures.length === 0) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new LabError('UP_FAILED', `up failed (${stopped}): ${message}`, { cause: error, details });
}

async function newContext(topology: Topology, options: UpOptions): Promise<UpContext> {
  const config = loadLabConfig();
  const httpPort = options.httpPort ?? config.httpPort;
  await assertHttpPortFree(httpPort); // before anything is created: a busy port leaves nothing behind
  const runDir =
    options.runDir ?? (await makeRunDir(topology.name, { base: join(config.labDir, 'runs') }));
  const servicesDir = join(runDir, 'services');
  const logsDir = join(runDir, 'logs');
  await mkdir(servicesDir, { recursive: true });
  await mkdir(logsDir, { recursive: true });
  return {
    topology,
    runDir,
    servicesDir,
    logsDir,
    httpPort,
    seedUsers: options.seedUsers ?? topology.postgres.seedUsers,
    appLogLevel: options.appLogLevel ?? config.appLogLevel,
    startedAt: new Date().toISOString(),
    observe: options.observe,
    cleanup: new CleanupStack(),
    records: [],
    apps: [],
  };
}

async function runSteps(ctx: UpContext, options: UpOptions): Promise<void> {
  const steps = upSteps(ctx.topology, ctx);
  for (const [i, step] of steps.entries()) {
    options.signal?.throwIfAborted();
    const base = { step: i + 1, total: steps.length, label: step.label };
    options.onProgress?.({ ...base, phase: 'start' });
    const started = performance.now();
    await step.run(ctx);
    options.onProgress?.({ ...base, phase: 'done', ms: performance.now() - started });
  }
  options.signal?.throwIfAborted();
}

/**
 * Brings `topology` up as native processes on 127.0.0.1 and waits until it serves through nginx.
 * A failure (or an abort) half-way stops whatever was started before the error is thrown.
 */
export async function upTopology(topology: Topology, options: UpOptions = {}): Promise<NativeLab> {
  const valid = validateTopology(topology);
  const ctx = await newContext(valid, options);
  try {
    await runSteps(ctx, options);
  } catch (error) {
    const failures = await ctx.cleanup.unwind();
    throw failureError(error, failures, options.signal?.aborted ?? false);
  }
  return createNativeLab(ctx);
}

function createNativeLab(ctx: UpContext): NativeLab {
  const state = stateOf(ctx);
  let stopping: Promise<void> | undefined;
  const down = (): Promise<void> => {
    stopping ??= stopInProcess(ctx, state);
    return stopping;
  };
  const lab: NativeLab = {
    topology: ctx.topology,
    state,
    url: state.httpUrl,
    services: ctx,
    down,
    detach: () => {
      releaseOnExit();
      return state;
    },
    [Symbol.asyncDispose]: down,
  };
  rememberContext(lab, ctx);
  return lab;
}

async function stopInProcess(ctx: UpContext, state: LabState): Promise<void> {
  const failures = await ctx.cleanup.unwind();
  if (failures.length > 0) {
    throw new LabError('STOP_FAILED', `could not stop: ${failures.map((f) => f.name).join(', ')}`, {
      cause: new AggregateError(failures.map((f) => f.error)),
    });
  }
  await assertPortsFree(state.services);
  await removeRunData(state.runDir);
}

/** The native driver: real processes on 127.0.0.1, recorded by pid so another process can stop them. */
export const nativeDriver: Driver = {
  name: 'native',
  up: upTopology,
  down: async (state, onProgress) => {
    await stopRecorded(state.services, onProgress);
    await removeRunData(state.runDir);
  },
  status: probeStatus,
  logs: readLogs,
  endpoints: nativeEndpoints,
  ...nativeLifecycle,
};
