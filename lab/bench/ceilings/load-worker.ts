// Child process of the ceilings bench (not imported): one closed-loop autocannon run, so the load
// generator never shares an event loop with the bench driver. Prints one JSON line on stdout.
//   node --import tsx lab/bench/ceilings/load-worker.ts '<LoadSpec JSON>'
import autocannon from 'autocannon';
import type { LoadReport, LoadSpec } from './load-generator.ts';

/** One request definition whose path is drawn at random for every request. */
function randomProfileRequest(keyCount: number): autocannon.Request {
  return {
    method: 'GET',
    setupRequest: (request) => ({
      ...request,
      path: `/profiles/${1 + Math.floor(Math.random() * keyCount)}`,
    }),
  };
}

async function run(spec: LoadSpec): Promise<LoadReport> {
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSec,
    requests: [randomProfileRequest(spec.keyCount)],
  });
  return {
    requests: result.requests.total,
    durationSec: result.duration,
    rps: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: result.latency.mean,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    // The run's own CPU (this process hosts nothing else), without tsx's start-up.
    generatorCpuUs: ((cpu) => cpu.user + cpu.system)(process.cpuUsage(cpuBefore)),
  };
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
run(spec)
  .then((report) => process.stdout.write(`${JSON.stringify(report)}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`load-worker: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
