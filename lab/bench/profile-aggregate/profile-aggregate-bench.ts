import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import pg from 'pg';
import {
  createProfileRepository,
  type ProfileRepository,
} from '../../../services/app/src/db/profile-repository.ts';
import { applySchema, countUsers, seedUsers } from '../../../services/app/src/db/setup.ts';
import { startPostgres } from '../../run/processes/postgres.ts';
import { makeRunDir, removeRunDir } from '../../run/processes/run-dir.ts';

/** Where the stand-alone run saves its figures (repository root / results / bench). */
export const PROFILE_AGGREGATE_RESULT = fileURLToPath(
  new URL('../../../results/bench/profile-aggregate.json', import.meta.url),
);

/** Options of measureProfileAggregate. */
export interface AggregateBenchOptions {
  /** Timed aggregate runs. */
  samples: number;
  /** Untimed runs first (plan cache, page cache); default min(500, samples). */
  warmup?: number;
  /** Ids are drawn from 1..maxId; default: the number of users in the database. */
  maxId?: number;
  /** Seed of the id sequence, so two runs read the same members. */
  seed?: number;
}

/** Latency of one profile aggregate (sequential, one connection), from an HDR histogram at 1 µs. */
export interface AggregateBenchResult {
  samples: number;
  warmup: number;
  maxId: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
  /** Mean size of the JSON document, in bytes. */
  meanBytes: number;
}

/** mulberry32: a tiny deterministic PRNG in [0, 1). */
function randomIds(seed: number, maxId: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return 1 + Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * maxId);
  };
}

const ms = (micros: number): number => Math.round(micros) / 1000;

/** A percentile in ms; HDR reports the top of the value's bucket, so it is capped at the true maximum. */
function percentile(histogram: hdr.Histogram, p: number): number {
  return ms(Math.min(histogram.getValueAtPercentile(p), histogram.maxValue));
}

/** Times `samples` sequential aggregates (after `warmup` untimed ones) into a 1 µs HDR histogram. */
async function sample(
  repository: ProfileRepository,
  nextId: () => number,
  counts: { warmup: number; samples: number },
): Promise<{ histogram: hdr.Histogram; bytes: number }> {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
  let bytes = 0;
  for (let i = 0; i < counts.warmup; i++) await repository.loadProfileJson(nextId());
  for (let i = 0; i < counts.samples; i++) {
    const started = process.hrtime.bigint();
    const doc = await repository.loadProfileJson(nextId());
    histogram.recordValue(Math.max(1, Number((process.hrtime.bigint() - started) / 1000n)));
    bytes += doc?.length ?? 0;
  }
  return { histogram, bytes };
}

function summarise(histogram: hdr.Histogram, bytes: number) {
  return {
    p50Ms: percentile(histogram, 50),
    p90Ms: percentile(histogram, 90),
    p99Ms: percentile(histogram, 99),
    p999Ms: percentile(histogram, 99.9),
    maxMs: ms(histogram.maxValue),
    meanMs: ms(histogram.mean),
    meanBytes: Math.round(bytes / Math.max(1, histogram.totalCount)),
  };
}

/**
 * Runs the profile aggregate through the app's repository for random ids, warm, one at a time,
 * and returns its latency percentiles. Reused by the lab's `make bench`.
 */
export async function measureProfileAggregate(
  url: string,
  options: AggregateBenchOptions,
): Promise<AggregateBenchResult> {
  const maxId = options.maxId ?? (await countUsers(url));
  if (maxId < 1) throw new Error('measureProfileAggregate: no users in the database; seed first');
  const warmup = options.warmup ?? Math.min(500, options.samples);
  const nextId = randomIds(options.seed ?? 1, maxId);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const repository = createProfileRepository(pool);
    const { histogram, bytes } = await sample(repository, nextId, { ...options, warmup });
    const result = { samples: options.samples, warmup, maxId, ...summarise(histogram, bytes) };
    histogram.destroy();
    return result;
  } finally {
    await pool.end();
  }
}

/** What `cachelab bench-aggregate` was asked for. */
export interface AggregateRunOptions {
  /** Users seeded into the throwaway Postgres. */
  users: number;
  /** Timed aggregate runs. */
  samples: number;
  /** Untimed runs first. */
  warmup: number;
  /** Where the figures are saved (a .json file). */
  out: string;
}

/** Seeds (timed) and measures a running Postgres; returns the report that is printed and saved. */
async function benchAgainst(url: string, options: AggregateRunOptions) {
  await applySchema(url);
  const seed = await seedUsers(url, options.users);
  process.stdout.write(`seeded ${seed.added} users in ${seed.seconds.toFixed(1)} s\n`);
  const result = await measureProfileAggregate(url, options);
  const summary = `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms`;
  process.stdout.write(`profile aggregate over ${result.samples} random ids: ${summary}\n`);
  return {
    benchmark: 'profile-aggregate',
    at: new Date().toISOString(),
    users: options.users,
    seedSeconds: Math.round(seed.seconds * 10) / 10,
    machine: { cpus: cpus().length, loadavg1m: loadavg()[0], node: process.version },
    ...result,
  };
}

/**
 * `cachelab bench-aggregate`: a throwaway Postgres, seeded (timed), the aggregate measured, the
 * figures printed and saved to `out`; everything started is stopped, also on failure.
 */
export async function runProfileAggregateBench(input: AggregateRunOptions): Promise<void> {
  const options = { ...input, out: resolve(input.out) };
  const runDir = await makeRunDir('profile-aggregate-bench');
  try {
    const postgres = await startPostgres({ runDir });
    try {
      const report = await benchAgainst(postgres.url, options);
      await mkdir(dirname(options.out), { recursive: true });
      await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(`saved ${options.out}\n`);
    } finally {
      await postgres.stop();
    }
  } finally {
    await removeRunDir(runDir);
  }
}
