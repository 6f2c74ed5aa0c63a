import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LabError } from '../errors.ts';
import { formatResizeTable, formatScaleTable } from './format.ts';
import { type ResizeOptions, type ResizeResult, simulateResize } from './resize.ts';
import { type ScaleOptions, type ScaleResult, simulateScale } from './scale.ts';
import { parseWorkload } from './stream.ts';

/** Usage of `cachelab simulate`. */
export const SIMULATE_USAGE = `Usage: cachelab simulate [options]
  --workload <name>        read-heavy | write-heavy | uniform | hot-key (default read-heavy)
  --keys <n>               key count (default 100000)
  --requests <n>           measured requests (default 300000); warm-up is the same unless --warmup
  --warmup <n>             warm-up requests
  --servers <list>         app server counts (default 1,2,3,4,8,16,32,64)
  --cache-entries <n>      entries per server LRU / two-tier L1 / cache node (default 10000)
  --global-entries <n>     entries of the global LRU / two-tier L2 (default 30000)
  --resize-nodes <list>    node counts N to resize to N±1 (default 2,3,4,8)
  --window <n>             requests per resize measuring window (default 10000)
  --seed <n>               stream seed (default 42)
  --out <path>             output folder (default results/simulate), or a .json file`;

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

const OPTIONS = {
  workload: { type: 'string' },
  keys: { type: 'string' },
  requests: { type: 'string' },
  warmup: { type: 'string' },
  servers: { type: 'string' },
  'cache-entries': { type: 'string' },
  'global-entries': { type: 'string' },
  'resize-nodes': { type: 'string' },
  window: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function int(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) {
    throw new LabError('USAGE', `--${flag} expects a whole number, got "${text}"`);
  }
  return Number(text);
}

function intList(flag: string, text: string): number[] {
  return text.split(',').map((part) => int(flag, part.trim()));
}

function optional<T>(value: string | undefined, parse: (text: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}

/** Turns parsed flags into options for both simulations (undefined = default). */
function toOptions(v: Values): { scale: ScaleOptions; resize: ResizeOptions } {
  const measured = optional(v.requests, (t) => int('requests', t));
  const common = definedOnly({
    workload: optional(v.workload, parseWorkload),
    keyCount: optional(v.keys, (t) => int('keys', t)),
    warmupRequests: optional(v.warmup, (t) => int('warmup', t)) ?? measured,
    seed: optional(v.seed, (t) => int('seed', t)),
  });
  const entries = optional(v['cache-entries'], (t) => int('cache-entries', t));
  const scale: ScaleOptions = definedOnly({
    ...common,
    measuredRequests: measured,
    servers: optional(v.servers, (t) => intList('servers', t)),
    cacheEntries: entries,
    globalEntries: optional(v['global-entries'], (t) => int('global-entries', t)),
  });
  const resize: ResizeOptions = definedOnly({
    ...common,
    nodes: optional(v['resize-nodes'], (t) => intList('resize-nodes', t)),
    nodeEntries: entries,
    windowRequests: optional(v.window, (t) => int('window', t)),
  });
  return { scale, resize };
}

function parse(args: readonly string[]): Values {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false })
      .values;
  } catch (error) {
    throw new LabError(
      'USAGE',
      `${error instanceof Error ? error.message : String(error)}\n${SIMULATE_USAGE}`,
      { cause: error },
    );
  }
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
 * `cachelab simulate [flags]`: runs the scale and resize simulations, prints both tables, and writes
 * results/simulate/<timestamp>.json and latest.json. Returns null after printing --help.
 */
export async function runSimulateCommand(
  args: readonly string[],
  io: SimulateCommandIo = {},
): Promise<SimulateCommandOutput | null> {
  const print = io.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  const values = parse(args);
  if (values.help) {
    print(SIMULATE_USAGE);
    return null;
  }
  const options = toOptions(values);
  const createdAt = (io.now ?? (() => new Date()))().toISOString();
  const started = performance.now();
  const scale = simulateScale(options.scale);
  print(`${formatScaleTable(scale)}\n`);
  const resize = simulateResize(options.resize);
  print(`${formatResizeTable(resize)}\n`);
  const elapsedMs = Math.round(performance.now() - started);
  const report: SimulateReport = { kind: 'cachelab-simulate', createdAt, elapsedMs, scale, resize };
  const output = await writeReport(report, values.out ?? join('results', 'simulate'));
  print(`simulated in ${(elapsedMs / 1000).toFixed(1)} s; wrote ${output.jsonPath}`);
  return output;
}
