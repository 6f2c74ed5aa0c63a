import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { WorkloadName } from '../../loadtests/workload.ts';
import { seconds } from '../text/format.ts';
import { type ResizeOptions, type ResizeResult, simulateResize } from './resize.ts';
import { type ScaleOptions, type ScaleResult, simulateScale } from './scale-simulation.ts';
import { formatResizeTable, formatScaleTable } from './simulate-tables.ts';

/** What `cachelab simulate` was asked for; undefined = the simulation's default. */
export interface SimulateFlags {
  workload?: WorkloadName;
  /** Key count. */
  keys?: number;
  /** Measured requests; warm-up is the same unless `warmup` is given. */
  requests?: number;
  /** Warm-up requests. */
  warmup?: number;
  /** App server counts. */
  servers?: number[];
  /** Entries per server LRU / two-tier L1 / cache node. */
  cacheEntries?: number;
  /** Entries of the global LRU / two-tier L2. */
  globalEntries?: number;
  /** L1 lifetime in requests for the local-only invalidation layout (0 = never expires). */
  l1TtlRequests?: number;
  /** Node counts N to resize to N±1. */
  resizeNodes?: number[];
  /** Requests per resize measuring window. */
  window?: number;
  /** Stream seed. */
  seed?: number;
  /** Output folder (default results/simulate), or a .json file. */
  out?: string;
}

/** What `cachelab simulate` writes: both simulations and how long they took. */
export interface SimulateReport {
  kind: 'cachelab-simulate';
  createdAt: string;
  elapsedMs: number;
  scale: ScaleResult;
  resize: ResizeResult;
}

/** Where the command wrote its JSON, and what it contained. */
export interface SimulateCommandOutput {
  jsonPath: string;
  /** results/simulate/latest.json, or null when --out named a file. */
  latestPath: string | null;
  report: SimulateReport;
}

/** Output and clock hooks, so tests can capture the tables and fix the timestamp. */
export interface SimulateCommandIo {
  print?: (text: string) => void;
  now?: () => Date;
}

function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}

/** Turns the flags into options for both simulations (undefined = default). */
function toOptions(f: SimulateFlags): { scale: ScaleOptions; resize: ResizeOptions } {
  const common = definedOnly({
    workload: f.workload,
    keyCount: f.keys,
    warmupRequests: f.warmup ?? f.requests,
    seed: f.seed,
  });
  const scale: ScaleOptions = definedOnly({
    ...common,
    measuredRequests: f.requests,
    servers: f.servers,
    cacheEntries: f.cacheEntries,
    globalEntries: f.globalEntries,
    l1TtlRequests: f.l1TtlRequests,
  });
  const resize: ResizeOptions = definedOnly({
    ...common,
    nodes: f.resizeNodes,
    nodeEntries: f.cacheEntries,
    windowRequests: f.window,
  });
  return { scale, resize };
}

async function writeReport(report: SimulateReport, out: string): Promise<SimulateCommandOutput> {
  const target = resolve(out);
  if (target.endsWith('.json')) {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${JSON.stringify(report, null, 2)}\n`);
    return { jsonPath: target, latestPath: null, report };
  }
  await mkdir(target, { recursive: true });
  const jsonPath = join(target, `${report.createdAt.replace(/[:.]/g, '-')}.json`);
  const latestPath = join(target, 'latest.json');
  const text = `${JSON.stringify(report, null, 2)}\n`;
  await writeFile(jsonPath, text);
  await writeFile(latestPath, text);
  return { jsonPath, latestPath, report };
}

/**
 * `cachelab simulate`: runs the scale and resize simulations, prints both tables, and writes
 * results/simulate/<timestamp>.json and latest.json (or exactly `out` when it ends in .json).
 */
export async function runSimulateCommand(
  flags: SimulateFlags,
  io: SimulateCommandIo = {},
): Promise<SimulateCommandOutput> {
  const print = io.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const options = toOptions(flags);
  const createdAt = (io.now ?? (() => new Date()))().toISOString();
  const started = performance.now();
  const scale = simulateScale(options.scale);
  print(`${formatScaleTable(scale)}\n`);
  const resize = simulateResize(options.resize);
  print(`${formatResizeTable(resize)}\n`);
  const elapsedMs = Math.round(performance.now() - started);
  const report: SimulateReport = { kind: 'cachelab-simulate', createdAt, elapsedMs, scale, resize };
  const output = await writeReport(report, flags.out ?? join('results', 'simulate'));
  print(`simulated in ${seconds(elapsedMs / 1000)}; wrote ${output.jsonPath}`);
  return output;
}
