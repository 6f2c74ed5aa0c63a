// Loaded into a profiled server process (`--import` after tsx, or imported first by an entry):
// SIGUSR2 starts the V8 CPU profiler, the next SIGUSR2 stops it and writes the profile to
// $BENCH_CPU_PROFILE, so the profile covers the load window only (not start-up and compilation).
// `<path>.started` is written once profiling runs. Does nothing when BENCH_CPU_PROFILE is unset.
import { rename, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

const target = process.env.BENCH_CPU_PROFILE;
/** Sampling interval in µs: fine enough for µs-scale middleware at ~10k req/s. */
const INTERVAL_US = 200;

async function start(session: Session, path: string): Promise<void> {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: INTERVAL_US });
  await session.post('Profiler.start');
  await writeFile(`${path}.started`, '');
}

async function stop(session: Session, path: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  await writeFile(`${path}.tmp`, JSON.stringify(profile));
  await rename(`${path}.tmp`, path);
}

if (target !== undefined && target !== '') {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    const step = running ? stop(session, target) : start(session, target);
    running = !running;
    step.catch((error: unknown) => process.stderr.write(`profiler-toggle: ${String(error)}\n`));
  });
}
