import { parseArgs } from 'node:util';
import { type CompareOutput, runCompare } from './compare.ts';
import { CompareError } from './compare-error.ts';
import { type CompareFlags, resolveCompareSettings } from './compare-settings.ts';
import { formatSummary } from './summary.ts';

/** Usage of `cachelab compare`. */
export const COMPARE_USAGE = `Usage: cachelab compare [options]
  --topologies <a,b,…>   topologies to compare, in order (default: the whole catalog)
  --workload <name>      read-heavy | write-heavy | uniform | hot-key (default read-heavy)
  --quick                short run: 20,000 users, 4 s warm-up, 8 s measured (~25 s per topology)
  --rate <r>             offered requests per second (default 150)
  --duration <s>         measured seconds (default 60; quick 8)
  --warmup <s>           warm-up seconds (default 20; quick 4)
  --seed-users <n>       users to seed (default 50000; quick 20000)
  --seed <n>             seed of the request stream (default 1)
  --max-lag-ms <ms>      scheduling-lag p99 above which a run is invalid (default 20)
  --results-dir <dir>    where results/<run-id>/ and results/latest go (default results)`;

const OPTIONS = {
  topologies: { type: 'string' },
  workload: { type: 'string' },
  quick: { type: 'boolean' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  'seed-users': { type: 'string' },
  seed: { type: 'string' },
  'max-lag-ms': { type: 'string' },
  'results-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/** Parses a positive number flag (integers only when `integer`); USAGE CompareError otherwise. */
export function positiveFlag(
  flag: string,
  text: string | undefined,
  integer = false,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const ok =
    text.trim() !== '' &&
    Number.isFinite(value) &&
    value > 0 &&
    (!integer || Number.isInteger(value));
  if (!ok)
    throw new CompareError(
      'USAGE',
      `--${flag} expects a positive ${integer ? 'integer' : 'number'}, got '${text}'`,
    );
  return value;
}

function parse(args: readonly string[]): Values {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false })
      .values;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CompareError('USAGE', `${message}\n${COMPARE_USAGE}`, { cause: error });
  }
}

/** Turns parsed flags into CompareFlags (numbers checked). */
export function compareFlagsOf(v: Values): CompareFlags {
  const flags: CompareFlags = {
    topologies: v.topologies
      ?.split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
    workload: v.workload,
    quick: v.quick,
    rate: positiveFlag('rate', v.rate),
    durationSec: positiveFlag('duration', v.duration),
    warmupSec: v.warmup === '0' ? 0 : positiveFlag('warmup', v.warmup),
    seedUsers: positiveFlag('seed-users', v['seed-users'], true),
    seed: positiveFlag('seed', v.seed, true),
    maxLagP99Ms: positiveFlag('max-lag-ms', v['max-lag-ms']),
    resultsDir: v['results-dir'],
  };
  return Object.fromEntries(
    Object.entries(flags).filter(([, x]) => x !== undefined),
  ) as CompareFlags;
}

/** Runs `work` with SIGINT/SIGTERM turned into an abort (the current topology is still taken down). */
async function interruptibly<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\ncachelab: ${signal}: stopping after the current topology is down…\n`);
    controller.abort(new CompareError('INTERRUPTED', `interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function compareWith(values: Values, print: (text: string) => void): Promise<CompareOutput> {
  const settings = resolveCompareSettings(compareFlagsOf(values));
  const out = await interruptibly((signal) => runCompare({ settings, signal }));
  print(formatSummary(out.results));
  print(`results: ${out.resultsPath}\nreport:  ${out.report.markdownPath}\n`);
  return out;
}

/**
 * `cachelab compare [flags]`: compares topologies (default: the catalog, full length), prints the
 * summary table, and writes results.json, report.md and report.html. Null after printing --help.
 */
export async function runCompareCommand(
  args: readonly string[],
  print: (text: string) => void = (t) => process.stdout.write(t),
): Promise<CompareOutput | null> {
  const values = parse(args);
  if (values.help) {
    print(`${COMPARE_USAGE}\n`);
    return null;
  }
  return compareWith(values, print);
}

/**
 * `cachelab demo`: a quick comparison of the whole catalog under read-heavy (under 5 minutes on
 * 2 cores), ending with the path of report.html. Extra compare flags are accepted.
 */
export async function runDemoCommand(
  args: readonly string[],
  print: (text: string) => void = (t) => process.stdout.write(t),
): Promise<CompareOutput | null> {
  const values = parse(['--quick', '--workload', 'read-heavy', ...args]);
  if (values.help) {
    print(`Usage: cachelab demo [compare options]\n${COMPARE_USAGE}\n`);
    return null;
  }
  const started = performance.now();
  const out = await compareWith(values, print);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  print(`demo finished in ${seconds} s; open the report:\n${out.report.htmlPath}\n`);
  return out;
}
