import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatRunSummary } from '../../../loadtests/result-summary.ts';
import type { RunResult } from '../../../loadtests/result-types.ts';
import { runLoad } from '../../../loadtests/runner/run-load.ts';
import type { WorkloadName } from '../../../loadtests/workload.ts';
import { loadLabConfig } from '../../lab-config.ts';
import { LabError } from '../../lab-errors.ts';
import type { LabState } from '../../run/driver/driver-types.ts';
import { remoteState } from '../../run/driver/remote/driver.ts';
import {
  parseRemoteTarget,
  type RemoteTargetFlags,
} from '../../run/driver/remote/remote-target.ts';
import { requireState } from '../../run/driver/state-file.ts';
import { readSwarmRecord } from '../../run/driver/swarm/record.ts';
import { findBinary, MissingBinaryError } from '../../run/processes/binaries.ts';
import type { NetworkProfile } from '../../topology/network.ts';
import { runSwarmLoad } from './distributed/swarm-load.ts';
import { k6ContainerFor, runK6Process } from './k6-container.ts';
import { type LoadNetwork, loadNetwork } from './load-network.ts';

/** The load generators `cachelab load` can use; auto = k6 when it can run, else the Node runner. */
export const LOAD_GENERATORS = ['auto', 'k6', 'node'] as const;

/** What `cachelab load` was asked for. */
export interface LoadFlags {
  topology?: string;
  workload: WorkloadName;
  rate: number;
  duration: number;
  warmup: number;
  keys: number;
  generator: (typeof LOAD_GENERATORS)[number];
  /** --target: load a lab that runs elsewhere (its nginx URL) instead of the recorded one. */
  remote?: RemoteTargetFlags;
  /** --replicas: on a swarm lab, run the Node runner as this many swarm tasks and merge them. */
  replicas?: number;
  /** --network: the profile the running topology must be under (checked, and recorded with the result). */
  network?: NetworkProfile;
}

interface LoadPlan {
  state: LabState;
  workload: WorkloadName;
  flags: LoadFlags;
  resultPath: string;
  /** The network the lab runs under, recorded beside the result. */
  network: LoadNetwork;
}

/** k6 when it is installed, otherwise the Node runner (k6 cannot be installed everywhere). */
function k6Binary(): string | undefined {
  try {
    return findBinary('k6', ['k6']);
  } catch (error) {
    if (error instanceof MissingBinaryError) return undefined;
    throw error;
  }
}

function serverIds(state: LabState): string {
  return state.services
    .filter((s) => s.role === 'app')
    .map((s) => s.name)
    .join(',');
}

async function runK6(k6: string, plan: LoadPlan): Promise<void> {
  const { state, flags } = plan;
  const env: Record<string, string> = {
    BASE_URL: state.httpUrl,
    WORKLOAD: plan.workload,
    RATE: String(flags.rate),
    DURATION: String(flags.duration),
    WARMUP: String(flags.warmup),
    KEYS: String(flags.keys),
    TOPOLOGY: state.topology,
    TESTID: `${state.topology}-${plan.workload}-${Date.now()}`,
    RESULT_PATH: plan.resultPath,
    SERVER_IDS: serverIds(state),
  };
  const args = ['run', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`])];
  await runK6Process({ command: k6, args: [...args, 'loadtests/k6/profile-load.ts'], env: {} });
}

async function runNode(plan: LoadPlan): Promise<void> {
  const { state, flags } = plan;
  const result: RunResult = await runLoad({
    baseUrl: state.httpUrl,
    workload: plan.workload,
    keyCount: flags.keys,
    rate: flags.rate,
    durationSec: flags.duration,
    warmupSec: flags.warmup,
    seed: 1,
    timeoutMs: 2_000,
    maxInFlight: 512,
    topology: state.topology,
    onProgress: (p) => process.stderr.write(`\r[${p.phase}] ${p.elapsedSec.toFixed(0)} s `),
  });
  process.stderr.write('\n');
  await writeFile(plan.resultPath, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(formatRunSummary(result));
}

async function stateOf(flags: LoadFlags, stateFile: string): Promise<LabState> {
  if (!flags.remote) return requireState(stateFile);
  const target = parseRemoteTarget(flags.remote);
  return remoteState(flags.topology ?? 'remote', target);
}

async function planLoad(flags: LoadFlags): Promise<LoadPlan> {
  const config = loadLabConfig();
  const state = await stateOf(flags, config.stateFile);
  if (flags.topology && flags.topology !== state.topology) {
    throw new LabError(
      'USAGE',
      `${state.topology} is running, not ${flags.topology}: run \`make up TOPOLOGY=${flags.topology}\` first`,
    );
  }
  const running = state.network ?? 'loopback';
  if (flags.network && flags.network !== running) {
    throw new LabError(
      'USAGE',
      `${state.topology} runs under network ${running}, not ${flags.network}: run \`make up TOPOLOGY=${state.topology} NETWORK=${flags.network}\` first`,
    );
  }
  // Read before the load: an unreadable calibration stops here, not after minutes of load.
  const network = await loadNetwork(running);
  const dir = join(config.labDir, 'load');
  await mkdir(dir, { recursive: true });
  const resultPath = resolve(dir, `${state.topology}-${flags.workload}-${Date.now()}.json`);
  return { state, workload: flags.workload, flags, resultPath, network };
}

/** Where the lab ran and under which network (with its calibration), beside the result (`<result>.lab.json`). */
async function recordWhere(plan: LoadPlan, replicas: number): Promise<void> {
  const { state } = plan;
  const where = {
    driver: state.driver,
    topology: state.topology,
    target: state.httpUrl,
    generatorReplicas: replicas,
    ...(plan.flags.remote ? { scrape: plan.flags.remote } : {}),
    network: plan.network,
  };
  await writeFile(
    plan.resultPath.replace(/\.json$/, '.lab.json'),
    `${JSON.stringify(where, null, 2)}\n`,
  );
}

async function runReplicas(plan: LoadPlan, replicas: number): Promise<void> {
  const { state, flags } = plan;
  if (state.driver !== 'swarm') {
    throw new LabError(
      'USAGE',
      `--replicas runs the load generator as swarm tasks: the running lab is ${state.driver}, not swarm`,
    );
  }
  const record = await readSwarmRecord(state.runDir);
  process.stderr.write(`cachelab: ${replicas} load replicas on swarm, starting together\n`);
  const result = await runSwarmLoad({
    stack: record.stack,
    replicas,
    image: record.appImage,
    load: {
      workload: plan.workload,
      keyCount: flags.keys,
      rate: flags.rate,
      durationSec: flags.duration,
      warmupSec: flags.warmup,
      seed: 1,
      timeoutMs: 2_000,
      maxInFlight: 512,
      topology: state.topology,
    },
  });
  await writeFile(plan.resultPath, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(formatRunSummary(result));
}

function networkLine(n: LoadNetwork): string {
  const calibrated = n.calibration
    ? `calibration ${n.calibration.path}`
    : n.profile === 'loopback'
      ? 'no proxy'
      : `not calibrated (run \`cachelab net calibrate --network ${n.profile}\`)`;
  return `network ${n.profile}: ${calibrated}`;
}

/** `cachelab load`: puts the workload on the running topology with k6 or the Node runner. */
export async function loadCommand(flags: LoadFlags): Promise<void> {
  const plan = await planLoad(flags);
  if (flags.replicas !== undefined) {
    await runReplicas(plan, flags.replicas);
    await recordWhere(plan, flags.replicas);
    process.stderr.write(`result: ${plan.resultPath}\n`);
    return;
  }
  const k6 = flags.generator === 'node' ? undefined : k6Binary();
  const container =
    flags.generator === 'node' || k6 ? undefined : await k6ContainerFor(plan.state, flags);
  if (flags.generator === 'k6' && !k6 && !container) {
    throw new LabError('USAGE', 'k6 is neither installed nor a local image: use --generator node');
  }
  const which = k6 ? `k6 (${k6})` : container ? 'k6 in its container' : 'the Node runner (no k6)';
  process.stderr.write(`cachelab: loading ${plan.state.topology} with ${which}\n`);
  process.stderr.write(`cachelab: ${networkLine(plan.network)}\n`);
  if (k6) await runK6(k6, plan);
  else if (container) await runK6Process(container);
  else await runNode(plan);
  await recordWhere(plan, 1);
  process.stderr.write(`result: ${plan.resultPath}\n`);
}
