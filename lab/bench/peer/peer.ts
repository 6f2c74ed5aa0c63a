import { silentObserver } from '../../../services/app/src/cache/cache-types.ts';
import { createLogger } from '../../../services/app/src/logger.ts';
import { createMetrics } from '../../../services/app/src/metrics.ts';
import { multiple } from '../../text/format.ts';
import type { BenchEnv } from '../bench-env.ts';
import { saveBenchResult } from '../bench-results.ts';
import { atLeast, atMost, type GoalVerdict, median, ratio } from '../bench-stats.ts';
import { type LatencySummary, opsPerSecond, sampleInterleaved } from '../ladder/sampler.ts';
import { machineInfo } from '../machine.ts';
import { bentoFactory, oursFactory, type PeerCache, type PeerFactory } from './peer-caches.ts';
import { printPeer } from './peer-print.ts';
import { type Change, measurePropagation, type PropagationSummary } from './propagation.ts';

/** In-process L1-hit figures of one library configuration. */
export interface HitRow extends LatencySummary {
  name: string;
  opsPerSec: number;
}

/** Invalidation propagation of one library, per change kind. */
export interface PropagationRow {
  name: string;
  results: PropagationSummary[];
}

/** What the peer part returns (and saves). */
export interface PeerResult {
  hits: HitRow[];
  propagation: PropagationRow[];
  goals: GoalVerdict[];
  path: string;
}

const HOT_KEYS = Array.from({ length: 100 }, (_, i) => `peer:hot:${i}`);

/** One library configuration in the comparison. */
interface Variant {
  name: string;
  factory: PeerFactory;
}

function plan(quick: boolean) {
  return quick
    ? { latency: { samples: 20_000, warmup: 2_000 }, rounds: 4, windowSec: 0.25, iterations: 50 }
    : {
        latency: { samples: 100_000, warmup: 10_000 },
        rounds: 12,
        windowSec: 0.25,
        iterations: 300,
      };
}

/** Opens `count` instances of every variant; if one fails, the ones already open are closed. */
async function openAll(variants: readonly Variant[], count: number) {
  const opened: { name: string; caches: PeerCache[] }[] = [];
  try {
    for (const { name, factory } of variants) {
      const caches: PeerCache[] = [];
      opened.push({ name, caches });
      for (let i = 0; i < count; i++) caches.push(await factory());
    }
    return opened;
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
}

async function closeAll(opened: readonly { caches: PeerCache[] }[]): Promise<void> {
  await Promise.all(opened.flatMap(({ caches }) => caches.map((cache) => cache.close())));
}

/** Stores the hot keys, reads them once, and returns a getter cycling over them (all L1 hits). */
async function hotGetter(name: string, cache: PeerCache, value: Buffer) {
  for (const key of HOT_KEYS) await cache.set(key, value);
  for (const key of HOT_KEYS) await cache.get(key);
  if (!cache.holds(await cache.get(HOT_KEYS[0] as string), value))
    throw new Error(`${name}: no hit`);
  let index = 0;
  return () => cache.get(HOT_KEYS[index++ % HOT_KEYS.length] as string);
}

/**
 * L1 hits, all variants open at once and taking turns: per-get latency (interleaved samples) and
 * sequential ops/s (median of short round-robin windows).
 */
async function hitRows(variants: readonly Variant[], value: Buffer, p: ReturnType<typeof plan>) {
  const opened = await openAll(variants, 1);
  try {
    const gets: Record<string, () => Promise<unknown>> = {};
    for (const { name, caches } of opened)
      gets[name] = await hotGetter(name, caches[0] as PeerCache, value);
    const latency = await sampleInterleaved(gets, p.latency);
    const windows = new Map(variants.map((v) => [v.name, [] as number[]]));
    for (let round = 0; round < p.rounds; round++) {
      for (const [name, get] of Object.entries(gets))
        windows.get(name)?.push(await opsPerSecond(get, p.windowSec));
    }
    return variants.map(({ name }) => ({
      name,
      opsPerSec: median(windows.get(name) ?? []),
      ...(latency[name] as LatencySummary),
    }));
  } finally {
    await closeAll(opened);
  }
}

/** Invalidation propagation, an A/B pair per variant, pairs taking turns. */
async function propagationRows(variants: readonly Variant[], value: Buffer, iterations: number) {
  const opened = await openAll(variants, 2);
  try {
    const pairs = opened.map(({ name, caches }) => ({
      name,
      a: caches[0] as PeerCache,
      b: caches[1] as PeerCache,
    }));
    const fresh = Buffer.concat([value, Buffer.from(' ')]);
    const rows = new Map(variants.map((v) => [v.name, [] as PropagationSummary[]]));
    for (const change of ['delete', 'write'] as Change[]) {
      const results = await measurePropagation(pairs, { change, iterations, old: value, fresh });
      for (const [name, summary] of results) rows.get(name)?.push(summary);
    }
    return variants.map(({ name }) => ({ name, results: rows.get(name) ?? [] }));
  } finally {
    await closeAll(opened);
  }
}

/** Runs the peer comparison (ours two-tier vs bentocache) on one Redis; prints and saves peer.json. */
export async function runPeer(
  env: BenchEnv,
  options: { quick: boolean; log: (text: string) => void },
): Promise<PeerResult> {
  const [redis, { profile }] = await Promise.all([env.redis(), env.postgres()]);
  const p = plan(options.quick);
  const [ours, oursQuiet, bento, bentoRaw] = variants(redis);
  const hits = await hitRows([ours, oursQuiet, bento, bentoRaw], profile, p);
  const propagation = await propagationRows([ours, bento], profile, p.iterations);
  const goals = peerGoals(hits, propagation);
  options.log(printPeer(hits, propagation, goals, profile.length));
  const saved = {
    benchmark: 'peer',
    at: new Date().toISOString(),
    machine: machineInfo(),
    quick: options.quick,
    valueBytes: profile.length,
    ...{ hits, propagation, goals },
  };
  return { hits, propagation, goals, path: await saveBenchResult('peer.json', saved) };
}

/** The four configurations: ours with the app's metrics and without, bentocache two ways. */
function variants(redis: {
  url: string;
  host: string;
  port: number;
}): [Variant, Variant, Variant, Variant] {
  const logger = createLogger({ level: 'warn', serverId: 'bench-peer' });
  const metrics = createMetrics({ topology: 'bench', serverId: 'bench-peer' });
  return [
    { name: OURS, factory: oursFactory(redis.url, metrics.observer, logger) },
    { name: OURS_QUIET, factory: oursFactory(redis.url, silentObserver, logger) },
    { name: BENTO, factory: bentoFactory(redis, { serialize: true }) },
    { name: BENTO_RAW, factory: bentoFactory(redis, { serialize: false }) },
  ];
}

const OURS = 'ours two-tier (app metrics on)';
const OURS_QUIET = 'ours two-tier (metrics off)';
const BENTO = 'bentocache (L1 serialize: default)';
const BENTO_RAW = 'bentocache (L1 serialize: false)';

/** Parity goals: ours at least as fast on L1 hits, and no slower to propagate an invalidation. */
export function peerGoals(
  hits: readonly HitRow[],
  propagation: readonly PropagationRow[],
): GoalVerdict[] {
  const ops = (name: string) => hits.find((h) => h.name === name)?.opsPerSec ?? Number.NaN;
  const delay = (name: string, change: Change) =>
    propagation.find((row) => row.name === name)?.results.find((r) => r.change === change)?.p50Ms ??
    Number.NaN;
  const opsGoal = (name: string) =>
    atLeast(`L1-hit ops/s: ours ≥ ${name}`, ratio(ops(OURS), ops(name)), 1, multiple);
  const delayGoal = (change: Change) =>
    atMost(
      `${change} propagation p50: ours ≤ bentocache`,
      ratio(delay(OURS, change), delay(BENTO, change)),
      1,
      multiple,
    );
  return [opsGoal(BENTO), opsGoal(BENTO_RAW), delayGoal('delete'), delayGoal('write')];
}
