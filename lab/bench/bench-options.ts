import { parseArgs } from 'node:util';

/** The three parts of `make bench`. */
export const BENCH_PARTS = ['ladder', 'ceilings', 'peer'] as const;
/** One part of the bench. */
export type BenchPart = (typeof BENCH_PARTS)[number];

/** What `cachelab bench` was asked to do. */
export interface BenchOptions {
  /** Shorter runs (fewer samples, shorter load windows): a smoke run, not figures to quote. */
  quick: boolean;
  /** Parts to run, in order. */
  parts: BenchPart[];
  /** Users seeded into the throwaway Postgres. */
  seedUsers: number;
  /** Profile the L1-hit path with --cpu-prof even when it meets its goal. */
  profile: boolean;
}

/** Usage line printed with argument errors. */
export const BENCH_USAGE =
  'usage: cachelab bench [--quick] [--only ladder|ceilings|peer] [--seed-users N] [--profile]';

/** A bad command line: the message says which flag and why. */
export class BenchUsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${BENCH_USAGE}`);
    this.name = 'BenchUsageError';
  }
}

/** Parses the bench flags; `--only` may be repeated or comma-separated. */
export function parseBenchArgs(args: readonly string[]): BenchOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    quick: values.quick === true,
    parts: partsOf(values.only ?? []),
    seedUsers: positiveInt('--seed-users', values['seed-users'] ?? '10000'),
    profile: values.profile === true,
  };
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string', multiple: true },
      'seed-users': { type: 'string' },
      profile: { type: 'boolean' },
    },
  });
}

function partsOf(only: readonly string[]): BenchPart[] {
  const asked = only.flatMap((value) => value.split(',')).map((value) => value.trim());
  for (const part of asked) {
    if (!(BENCH_PARTS as readonly string[]).includes(part)) {
      throw new BenchUsageError(`--only: unknown part '${part}' (ladder, ceilings or peer)`);
    }
  }
  return asked.length === 0 ? [...BENCH_PARTS] : BENCH_PARTS.filter((p) => asked.includes(p));
}

function positiveInt(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new BenchUsageError(`${flag}: expected a positive integer, got '${text}'`);
  }
  return value;
}
