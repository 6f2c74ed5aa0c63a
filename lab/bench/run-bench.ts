import { type BenchEnv, createBenchEnv } from './bench-env.ts';
import type { BenchOptions, BenchPart } from './bench-options.ts';
import type { GoalVerdict } from './bench-stats.ts';
import { runCeilings } from './ceilings/ceilings.ts';
import { runNginxSettings } from './ceilings/nginx-settings.ts';
import { runLadder } from './ladder/ladder.ts';
import { describeMachine, machineInfo } from './machine.ts';
import { runPeer } from './peer/peer.ts';

/** What one part printed and saved. */
interface PartOutcome {
  path: string;
  goals: GoalVerdict[];
}

const log = (text: string): void => void process.stdout.write(`${text}\n`);

function runPart(part: BenchPart, env: BenchEnv, options: BenchOptions): Promise<PartOutcome> {
  const common = { quick: options.quick, log };
  switch (part) {
    case 'ladder':
      return runLadder(env, common);
    case 'ceilings':
      return runCeilings(env, { ...common, profile: options.profile });
    case 'peer':
      return runPeer(env, common);
    case 'nginx-settings':
      return runNginxSettings(env, common);
  }
}

/** Stops everything the run started; a cleanup failure never hides the error that ended the run. */
async function closeAfter(env: BenchEnv, failed: boolean): Promise<void> {
  try {
    await env.close();
  } catch (error) {
    if (!failed) throw error;
    process.stderr.write(`bench: cleanup after the failure also failed: ${String(error)}\n`);
  }
}

function printSummary(outcomes: readonly PartOutcome[]): void {
  log('\n== Goals ==');
  for (const goal of outcomes.flatMap((o) => o.goals)) {
    log(`${goal.pass ? 'PASS' : 'FAIL'}  ${goal.goal}: ${goal.detail}`);
  }
  log(`saved: ${outcomes.map((o) => o.path).join(', ')}`);
}

/**
 * `cachelab bench`: the latency ladder, the throughput ceilings and the bentocache comparison,
 * measured on this machine in one run. Starts every process it needs and stops them all, also on
 * failure; prints the tables and saves JSON under results/bench/.
 */
export async function runBenchCommand(options: BenchOptions): Promise<void> {
  const mode = options.quick ? ' (quick: smoke figures, not for quoting)' : '';
  log(`cachelab bench: ${options.parts.join(', ')}${mode}`);
  log(`machine: ${describeMachine(machineInfo())}`);
  const env = await createBenchEnv({ seedUsers: options.seedUsers, log });
  const outcomes: PartOutcome[] = [];
  let failed = true;
  try {
    for (const part of options.parts) outcomes.push(await runPart(part, env, options));
    failed = false;
  } finally {
    await closeAfter(env, failed);
  }
  printSummary(outcomes);
}
