import { join } from 'node:path';
import type { ConsistencyName } from '../../services/app/src/config.ts';
import { makeRunFolder, newRunId, pointLatest } from '../compare/results-store.ts';
import { type DriverName, loadLabConfig } from '../lab-config.ts';
import { LabError } from '../lab-errors.ts';
import type { ScenarioResults } from '../report/scenario-results-schema.ts';
import { createRemoteDriver } from '../run/driver/remote/driver.ts';
import { parseRemoteTarget, type RemoteTargetFlags } from '../run/driver/remote/remote-target.ts';
import { chooseDriver, dockerAnswers, getDriver } from '../run/driver/select-driver.ts';
import { interruptibly } from '../run/interruptibly.ts';
import { formatTable } from '../text/table.ts';
import type { NetworkProfile } from '../topology/network.ts';
import { describeAction } from './actions/action-registry.ts';
import type { EventListener } from './engine/timeline.ts';
import { writeScenarioReport } from './report/write-scenario-report.ts';
import { type BatchItem, catalogBatch, namedBatch, runBatch } from './run-batch.ts';
import { blockedBy, SCENARIOS } from './scenario-catalog.ts';

/** Options of `cachelab scenario run`, parsed by the CLI. */
export interface ScenarioRunFlags {
  topology?: string[];
  network?: NetworkProfile;
  consistency?: ConsistencyName;
  driver?: DriverName;
  observe?: boolean;
  /** Parent folder of the run folder; default results/scenarios. */
  resultsDir?: string;
  /** --target: run against a lab that runs elsewhere (actions it cannot do there fail, named). */
  remote?: RemoteTargetFlags;
}

/** The `cachelab scenario list` table: every scenario, its question, timeline and default topologies. */
export function scenarioTable(): string {
  const rows = SCENARIOS.map((s) => [
    s.name,
    s.defaultTopologies.join(','),
    s.timeline.map((a) => `${a.atSec}s ${describeAction(a.action)}`).join('; ') || '(cold start)',
    blockedBy(s) ? 'blocked (see notes)' : s.network ? `runs on ${s.network}` : 'runs',
    s.variants?.map((v) => v.label).join(' / ') ?? '',
    s.question,
  ]);
  const notes = SCENARIOS.flatMap((s) => {
    const why = blockedBy(s);
    return why ? [`${s.name}: ${why}`] : [];
  });
  const table = formatTable([
    ['NAME', 'TOPOLOGIES', 'TIMELINE', 'HERE', 'VARIANTS', 'QUESTION'],
    ...rows,
  ]);
  return `${table}${notes.map((n) => `\nblocked: ${n}`).join('')}\n`;
}

const printEvent: EventListener = (e) => {
  const what = e.phase === 'rollback' ? `rollback: ${e.description}` : e.description;
  process.stderr.write(
    `  ${e.startedSec.toFixed(1).padStart(5)} s  ${what} — ${e.ok ? e.detail : `FAILED: ${e.detail}`}\n`,
  );
};

async function runItems(items: BatchItem[], flags: ScenarioRunFlags): Promise<ScenarioResults> {
  const config = loadLabConfig();
  const choice = await chooseDriver({ flag: flags.driver, env: config.driver, dockerAnswers });
  // Scenarios default to native: two cores host one topology at a time either way.
  const name = flags.driver ?? config.driver ?? 'native';
  process.stderr.write(`cachelab: driver ${name}${flags.driver ? ` (${choice.reason})` : ''}\n`);
  const driver = flags.remote
    ? createRemoteDriver(parseRemoteTarget(flags.remote))
    : getDriver(name);
  return interruptibly('rolling back and taking the topology down', (signal) =>
    runBatch({
      items,
      driver,
      signal,
      observe: flags.observe,
      overrides: {
        ...(flags.network ? { network: flags.network } : {}),
        ...(flags.consistency ? { consistency: flags.consistency } : {}),
      },
      onStage: (stage) => process.stderr.write(`cachelab: ${stage}\n`),
      onEvent: printEvent,
      onRun: (r) =>
        process.stderr.write(`cachelab: ${r.scenario} on ${r.topology}: ${r.verdict}\n`),
    }),
  );
}

/**
 * `cachelab scenario run <scenario|all>`: runs it against the topologies asked for (default: the
 * scenario's own), writes results.json, report.md and report.html, and prints where.
 */
export async function runScenarioCommand(name: string, flags: ScenarioRunFlags): Promise<void> {
  const items = name === 'all' ? catalogBatch() : namedBatch(name, flags.topology);
  const results = await runItems(items, flags);
  const resultsDir = flags.resultsDir ?? join('results', 'scenarios');
  const { dir, runId } = await makeRunFolder(resultsDir, newRunId(new Date(), `scenario-${name}`));
  const written = await writeScenarioReport(dir, results);
  await pointLatest(resultsDir, runId);
  for (const n of results.notRun) {
    process.stderr.write(
      `cachelab: not run: ${n.scenario} on ${n.topology ?? 'all'}: ${n.reason}\n`,
    );
  }
  process.stdout.write(
    `${results.runs.length} run(s) in ${results.wallSec.toFixed(0)} s\n${written.markdownPath}\n${written.htmlPath}\n`,
  );
  if (results.runs.length === 0) {
    throw new LabError(
      'SCENARIO_FAILED',
      `nothing ran: ${results.notRun.map((n) => n.reason).join('; ')}`,
    );
  }
  if (results.runs.some((r) => r.status === 'failed')) process.exitCode = 7;
}
