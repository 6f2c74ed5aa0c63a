import { join } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { type DriverName, type LabConfig, loadLabConfig } from '../../config.ts';
import { LabError } from '../../errors.ts';
import { attach } from '../../run/driver/attach.ts';
import { chooseDriver, dockerAnswers, getDriver } from '../../run/driver/select-driver.ts';
import { removeState, writeState } from '../../run/driver/state-file.ts';
import type { Driver, LabState, ObserveHook, RunningLab } from '../../run/driver/types.ts';
import { createObserveHook } from '../../run/observe/observe-hook.ts';
import { getTopology } from '../../topology/catalog.ts';
import { driverName, integerInRange, positiveInteger } from '../option-parsers.ts';
import { createProgressPrinter } from '../progress.ts';

interface UpFlags {
  driver?: DriverName;
  seedUsers?: number;
  httpPort?: number;
  observe?: boolean;
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

/** Runs `up` with Ctrl-C (SIGINT/SIGTERM) turned into an abort that stops what was started. */
async function upInterruptibly(run: (signal: AbortSignal) => Promise<RunningLab>) {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\ncachelab: ${signal}: stopping what was started…\n`);
    controller.abort(new LabError('INTERRUPTED', `interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function summary(state: LabState): string {
  return [
    `cachelab: ${state.topology} is up at ${state.httpUrl} (try ${state.httpUrl}/profiles/1)`,
    `  logs:   ${state.runDir}/logs (cachelab logs [service])`,
    '  status: cachelab status    stop: cachelab down',
    '',
  ].join('\n');
}

/** --driver, DRIVER, or detection; tells the user which driver and why. */
async function pickDriver(flag: DriverName | undefined, config: LabConfig): Promise<Driver> {
  const choice = await chooseDriver({
    flag,
    env: config.driver,
    dockerAnswers,
  });
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

/** `cachelab up <topology>`: starts it, records it in the state file, and leaves it running. */
export async function upAction(name: string, flags: UpFlags): Promise<void> {
  const topology = getTopology(name);
  const config = loadLabConfig();
  await checkNothingRunning(config);
  const driver = await pickDriver(flags.driver, config);
  const progress = createProgressPrinter();
  const lab = await upInterruptibly((signal) =>
    driver
      .up(topology, {
        httpPort: flags.httpPort,
        seedUsers: flags.seedUsers,
        observe: flags.observe ? observeHook(config) : undefined,
        signal,
        onProgress: progress.listener,
      })
      .finally(() => progress.finish()),
  );
  const state = lab.detach();
  await writeState(config.stateFile, state);
  process.stderr.write(summary(state));
}

/** Registers `cachelab up <topology> [--driver] [--seed-users N] [--http-port P] [--observe]`. */
export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('bring a topology up and leave it running (see `cachelab list`)')
    .argument('<topology>', 'topology name')
    .option(
      '--driver <name>',
      'native or compose (default: compose if Docker answers, else native)',
      driverName,
    )
    .option('--seed-users <n>', "users to seed (default: the topology's)", positiveInteger)
    .option(
      '--http-port <port>',
      'nginx port on 127.0.0.1 (default LAB_HTTP_PORT or 8080)',
      integerInRange(1, 65_535),
    )
    .option('--observe', 'also start Prometheus and the Redis/Postgres/nginx exporters')
    .action(upAction);
}
