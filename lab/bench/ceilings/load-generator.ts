import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../repo-root.ts';
import { runWrk } from './wrk-generator.ts';

/** What one load run is asked to do (the same for every target, except the URL and key count). */
export interface LoadSpec {
  url: string;
  connections: number;
  durationSec: number;
  /** Requests go to /profiles/<1..keyCount>, one chosen at random for each request. */
  keyCount: number;
  /** wrk (C, the primary) or autocannon (Node, the second opinion); default autocannon. */
  generator?: GeneratorName;
  /**
   * wrk only: send at this total rate (req/s, each thread on its own schedule) instead of as fast as
   * the target answers, so two targets can be compared at the same offered rate.
   */
  ratePerSec?: number;
}

/** The load generators the ceilings compare. */
export const GENERATORS = ['wrk', 'autocannon'] as const;
/** One load generator. */
export type GeneratorName = (typeof GENERATORS)[number];

/** What one load run reports (autocannon's figures; latency in ms). */
export interface LoadReport {
  requests: number;
  durationSec: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  errors: number;
  non2xx: number;
  /** The generator's own CPU time (user + system) during the run, µs. */
  generatorCpuUs: number;
}

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));
/** Start-up (tsx) and shutdown allowance on top of the run itself. */
const SLACK_MS = 30_000;

/** Runs the spec's generator (wrk or autocannon) and returns its report. */
export function runLoadGenerator(spec: LoadSpec): Promise<LoadReport> {
  return spec.generator === 'wrk' ? runWrk(spec) : runAutocannon(spec);
}

/**
 * Runs autocannon in a child process (its own event loop and CPU time, like any external load
 * generator) and returns its report; the child is killed if it overruns or the run fails.
 */
function runAutocannon(spec: LoadSpec): Promise<LoadReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(spec)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  return new Promise<LoadReport>((resolve, reject) => {
    // autocannon stops on its own after the run; this only catches a hung child.
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.durationSec * 1000 + SLACK_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`load generator did not start: ${error.message}`, { cause: error }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.text().trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as LoadReport);
      else
        reject(
          new Error(
            `load generator failed (${code ?? signal}) on ${spec.url}: ${stderr.text().trim()}`,
          ),
        );
    });
  });
}

/** Buffers a child's output stream as text. */
function collect(stream: NodeJS.ReadableStream): { text: () => string } {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { text: () => Buffer.concat(chunks).toString() };
}
