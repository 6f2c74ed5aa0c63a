import { join } from 'node:path';
import { loadLabConfig } from '../../../lab-config.ts';
import { LabError } from '../../../lab-errors.ts';
import { PROFILES } from '../../../render/compose/compose-types.ts';
import { FAULT_PROXY_SERVICE } from '../../../render/compose/fault-proxy-service.ts';
import type { Topology } from '../../../topology/model.ts';
import { describeNetwork } from '../../../topology/network.ts';
import { networkOf } from '../../../topology/network-proxies.ts';
import { validateTopology } from '../../../topology/schema.ts';
import { makeRunDir } from '../../processes/run-dir.ts';
import type { LabState, RunningLab, UpOptions } from '../driver-types.ts';
import { assertHttpPortFree } from '../native/up.ts';
import { prepareNginxConf } from './app-rotation.ts';
import { type ComposeProject, runCompose, upCommand } from './compose-binary.ts';
import { projectContainers, waitUntilReady } from './containers.ts';
import type { ImageChoice, ImageProbes } from './images.ts';
import {
  configureFaultProxy,
  faultProxyUrl,
  refuseFractionalForToxiproxy,
  waitForApi,
} from './network-setup.ts';
import { assertFilesMatchModel, type ComposePlan, isProxied, planRun } from './plan.ts';
import { writeRunRecord } from './record.ts';
import { loadSecrets } from './secrets.ts';
import { downRecorded, stateFromContainers, waitServing } from './status-logs-down.ts';
import { writeVariantFiles } from './variant-files.ts';

/** Resolved settings of a compose driver. */
export interface ComposeSettings {
  composeDir: string;
  secretsFile: string;
  projectPrefix: string;
  profiles: string[];
  readyTimeoutMs: number;
  imageProbes: ImageProbes;
  /** More compose variables (e.g. CACHELAB_PROMETHEUS_PORT). */
  extraEnv: Record<string, string>;
}

/** A topology running under compose. */
export interface ComposeLab extends RunningLab {
  readonly project: ComposeProject;
  readonly images: ImageChoice;
  readonly flavor: 'v1' | 'v2';
}

/** Everything one `up` accumulates. */
interface UpRun {
  topology: Topology;
  settings: ComposeSettings;
  options: UpOptions;
  httpPort: number;
  runDir: string;
  profiles: string[];
  plan?: ComposePlan;
  env: Record<string, string>;
  /** `compose up` was called: a failure must be cleaned up with `down`. */
  started: boolean;
}

interface Step {
  label: string;
  run: (r: UpRun) => Promise<void>;
}

const need = (r: UpRun): ComposePlan => {
  if (!r.plan) throw new LabError('UP_FAILED', 'internal: the compose run is not planned yet');
  return r.plan;
};

async function checkStep(r: UpRun): Promise<void> {
  await assertHttpPortFree(r.httpPort);
  await assertFilesMatchModel(r.topology, r.settings.composeDir);
}

async function planStep(r: UpRun): Promise<void> {
  const config = loadLabConfig();
  const { settings } = r;
  r.plan = await planRun(r.topology, {
    ...settings,
    profiles: r.profiles,
    flavor: config.composeFlavor,
    forcedOffline: config.offline,
  });
  if (isProxied(r.topology) && !r.plan.images.offline) refuseFractionalForToxiproxy(r.topology);
  r.plan.project.files.push(...(await writeVariantFiles(r.runDir, r.topology)));
  const { name } = r.plan.project;
  if ((await projectContainers(name)).length > 0) {
    const hint = 'run `cachelab down` (or `compose -p NAME down -v`) first';
    throw new LabError('ALREADY_RUNNING', `compose project ${name} already exists; ${hint}`);
  }
  const secrets = await loadSecrets(
    settings.secretsFile,
    join(settings.composeDir, '.env.example'),
  );
  r.env = {
    ...settings.extraEnv,
    ...secrets.values,
    ...(await prepareNginxConf(r.runDir, r.topology)),
    CACHELAB_HTTP_PORT: String(r.httpPort),
    CACHELAB_SEED_USERS: String(r.options.seedUsers ?? r.topology.postgres.seedUsers),
    CACHELAB_APP_LOG_LEVEL: r.options.appLogLevel ?? config.appLogLevel,
  };
}

async function upStep(r: UpRun): Promise<void> {
  const plan = need(r);
  const { cli, project } = plan;
  // Recorded first: whatever happens next, `down` of this run folder finds the project.
  await recordRun(r, plan);
  r.started = true;
  const { readyTimeoutMs: timeoutMs } = r.settings;
  const options = { env: r.env, timeoutMs, signal: r.options.signal };
  // The fault proxy first, toxics in place, so no app or nginx connection ever skips the latency.
  if (isProxied(r.topology)) {
    await runCompose(cli, project, [...upCommand(cli), FAULT_PROXY_SERVICE], options);
    const url = await faultProxyUrl(project.name);
    await waitForApi(url, r.options.signal);
    await configureFaultProxy(r.topology, url, project.name, r.runDir);
  }
  await runCompose(cli, project, upCommand(cli), options);
}

async function waitStep(r: UpRun): Promise<void> {
  const { signal } = r.options;
  await waitUntilReady(need(r).project.name, { timeoutMs: r.settings.readyTimeoutMs, signal });
}

async function servingStep(r: UpRun): Promise<void> {
  await waitServing(`http://127.0.0.1:${r.httpPort}`, r.options.signal);
}

function stepsOf(r: UpRun): Step[] {
  const proxied = isProxied(r.topology)
    ? `, fault proxy first: ${describeNetwork(networkOf(r.topology))}`
    : '';
  return [
    { label: 'check the compose files against the model', run: checkStep },
    { label: 'choose the compose CLI and the images', run: planStep },
    {
      label: `compose up ${r.topology.name} (nginx on 127.0.0.1:${r.httpPort}${proxied})`,
      run: upStep,
    },
    { label: 'wait for every healthcheck', run: waitStep },
    { label: 'GET /healthz through nginx', run: servingStep },
  ];
}

async function runSteps(r: UpRun): Promise<void> {
  const steps = stepsOf(r);
  for (const [i, step] of steps.entries()) {
    r.options.signal?.throwIfAborted();
    const base = { step: i + 1, total: steps.length, label: step.label };
    r.options.onProgress?.({ ...base, phase: 'start' });
    const started = performance.now();
    await step.run(r);
    r.options.onProgress?.({ ...base, phase: 'done', ms: performance.now() - started });
  }
}

function upError(error: unknown, cleanup: unknown, aborted: boolean): LabError {
  const stopped =
    cleanup === undefined ? 'everything started was removed' : `CLEANUP FAILED: ${String(cleanup)}`;
  if (aborted) return new LabError('INTERRUPTED', `interrupted; ${stopped}`, { cause: error });
  if (error instanceof LabError && cleanup === undefined) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new LabError('UP_FAILED', `compose up failed (${stopped}): ${message}`, { cause: error });
}

async function newRun(settings: ComposeSettings, input: Topology, options: UpOptions) {
  const topology = validateTopology(input);
  const config = loadLabConfig();
  const profiles = [...settings.profiles];
  if (isProxied(topology) && !profiles.includes(PROFILES.network)) profiles.push(PROFILES.network);
  if (options.observe && !profiles.includes(PROFILES.observability)) {
    profiles.push(PROFILES.observability);
  }
  const base = join(config.labDir, 'runs');
  const runDir = options.runDir ?? (await makeRunDir(`${topology.name}-compose`, { base }));
  const httpPort = options.httpPort ?? config.httpPort;
  const run: UpRun = {
    topology,
    settings,
    options,
    httpPort,
    runDir,
    profiles,
    env: {},
    started: false,
  };
  return run;
}

/**
 * Brings `topology` up with compose and waits until every container is healthy (or, for one-shot jobs,
 * exited 0) and nginx serves. A failure or an abort removes whatever was created before it throws.
 */
export async function upCompose(
  settings: ComposeSettings,
  input: Topology,
  options: UpOptions,
): Promise<ComposeLab> {
  const r = await newRun(settings, input, options);
  try {
    await runSteps(r);
    const plan = need(r);
    const containers = await projectContainers(plan.project.name);
    const run = { runDir: r.runDir, httpPort: r.httpPort };
    const state = {
      ...stateFromContainers(r.topology, run, containers),
      network: networkOf(r.topology).profile,
    };
    return composeLab(r.topology, state, plan);
  } catch (error) {
    throw upError(error, await cleanUp(r), options.signal?.aborted ?? false);
  }
}

function recordRun(r: UpRun, plan: ComposePlan): Promise<void> {
  const { cli, project, images } = plan;
  const { secretsFile } = r.settings;
  return writeRunRecord(r.runDir, {
    flavor: cli.flavor,
    project,
    offline: images.offline,
    secretsFile,
  });
}

/** Removes what a failed `up` created; returns the cleanup failure, if any (reported, not thrown). */
async function cleanUp(r: UpRun): Promise<unknown> {
  if (!r.started || !r.plan) return undefined;
  try {
    await downRecorded(r.runDir);
    return undefined;
  } catch (error) {
    return error;
  }
}

function composeLab(topology: Topology, state: LabState, plan: ComposePlan): ComposeLab {
  let stopping: Promise<void> | undefined;
  const down = (): Promise<void> => {
    stopping ??= downRecorded(state.runDir);
    return stopping;
  };
  return {
    topology,
    state,
    url: state.httpUrl,
    project: plan.project,
    images: plan.images,
    flavor: plan.cli.flavor,
    down,
    detach: () => state,
    [Symbol.asyncDispose]: down,
  };
}
