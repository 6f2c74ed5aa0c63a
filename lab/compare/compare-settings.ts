import { isWorkloadName, type WorkloadName } from '../../loadtests/workload.ts';
import type { ConsistencyName } from '../../services/app/src/config.ts';
import type { DriverName } from '../lab-config.ts';
import { DEFAULT_APP_SCRAPE_TIMEOUT_MS } from '../measure/scrape/app-metrics.ts';
import type { RemoteTargetFlags } from '../run/driver/remote/remote-target.ts';
import { getTopology, topologyNames } from '../topology/catalog.ts';
import { withConsistency } from '../topology/consistency.ts';
import type { NetworkProfile } from '../topology/network.ts';
import { CompareError } from './compare-error.ts';

/** Everything one comparison runs with (all defaults resolved). */
export interface CompareSettings {
  topologies: string[];
  workload: WorkloadName;
  quick: boolean;
  /** Offered arrival rate, requests per second, the same for every topology. */
  rate: number;
  warmupSec: number;
  durationSec: number;
  seedUsers: number;
  /** Ids the workload draws from: every seeded user. */
  keyCount: number;
  seed: number;
  timeoutMs: number;
  maxInFlight: number;
  /** Scheduling-lag p99 above which a run is marked invalid (the generator could not keep up). */
  maxLagP99Ms: number;
  /** Per app server /metrics request; a server that misses it is left out of the figures, flagged. */
  scrapeTimeoutMs: number;
  /** Folder of results/<run-id>/ and results/latest. */
  resultsDir: string;
  /** Runs per topology; above 1 each figure becomes a median with a 95 % interval. */
  repeat: number;
  /** How each topology is warmed until its hit ratio settles. */
  warmupPolicy: WarmupPolicy;
  /** How each topology is brought up: native processes or Docker Compose. */
  driver: DriverName;
  /** Network profile every topology runs under (a fault proxy on every hop unless loopback). */
  network: NetworkProfile;
  /** A lab running elsewhere (driver `remote`): its front door and scrape addresses. */
  remote?: RemoteTargetFlags;
  /** Consistency modes each topology runs with, as a product (--consistency); absent: its default. */
  consistency?: ConsistencyName[];
}

/** Flags of `cachelab compare`, as parsed (undefined = default). */
export interface CompareFlags {
  topologies?: string[];
  workload?: string;
  quick?: boolean;
  rate?: number;
  durationSec?: number;
  warmupSec?: number;
  seedUsers?: number;
  seed?: number;
  maxLagP99Ms?: number;
  scrapeTimeoutMs?: number;
  resultsDir?: string;
  driver?: DriverName;
  repeat?: number;
  network?: NetworkProfile;
  /** --target and its scrape endpoints: measure a lab that runs elsewhere instead of starting one. */
  remote?: RemoteTargetFlags;
  /** --consistency: run every topology under each of these modes. */
  consistency?: ConsistencyName[];
}

/**
 * Warming until stable: chunks of `warmupSec` at `rps` until a chunk's two halves agree on the hit
 * ratio or `maxSec` is spent; then the measured window, whose halves must agree too, else one more
 * chunk and window, at most `maxExtraWindows` times; a run that ends there is flagged. The cache
 * state depends on the requests served, not on their pace, so a faster warm-up is a shorter one.
 */
export interface WarmupPolicy {
  /** Arrival rate of the warm-up chunks (not measured). */
  rps: number;
  /** Most warm-up seconds before the first measured window. */
  maxSec: number;
  maxExtraWindows: number;
  /** Largest |second half − first half| of the hit ratio taken as stable (absolute). */
  stableWithin: number;
}

type Preset = Pick<
  CompareSettings,
  | 'rate'
  | 'warmupSec'
  | 'durationSec'
  | 'seedUsers'
  | 'timeoutMs'
  | 'maxInFlight'
  | 'maxLagP99Ms'
  | 'scrapeTimeoutMs'
  | 'warmupPolicy'
>;

/**
 * Quick: about 25 s per topology on 2 cores, up and down included (seeding dominates `up`);
 * 150 req/s is what no-cache sustains there with the load generator on the same cores.
 */
export const QUICK_PRESET: Readonly<Preset> = {
  rate: 150,
  warmupSec: 4,
  durationSec: 8,
  seedUsers: 20_000,
  timeoutMs: 2_000,
  maxInFlight: 256,
  maxLagP99Ms: 20,
  scrapeTimeoutMs: DEFAULT_APP_SCRAPE_TIMEOUT_MS,
  // 600 req/s is 4× the measured rate: what three L1-less app servers and Postgres still carry.
  warmupPolicy: { rps: 600, maxSec: 12, maxExtraWindows: 1, stableWithin: 0.02 },
};

/** Full length: a minute measured after a 20 s warm-up, over 50,000 users. */
export const FULL_PRESET: Readonly<Preset> = {
  rate: 150,
  warmupSec: 20,
  durationSec: 60,
  seedUsers: 50_000,
  timeoutMs: 2_000,
  maxInFlight: 256,
  maxLagP99Ms: 20,
  scrapeTimeoutMs: DEFAULT_APP_SCRAPE_TIMEOUT_MS,
  warmupPolicy: { rps: 600, maxSec: 60, maxExtraWindows: 2, stableWithin: 0.02 },
};

function checkTopologies(names: string[]): string[] {
  if (names.length === 0) throw new CompareError('USAGE', '--topologies needs at least one name');
  for (const name of names) getTopology(name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new CompareError('USAGE', `topology '${duplicate}' is listed twice`);
  return names;
}

function checkWorkload(name: string): WorkloadName {
  if (!isWorkloadName(name)) {
    throw new CompareError(
      'USAGE',
      `unknown workload '${name}'; valid: read-heavy, write-heavy, uniform, hot-key`,
    );
  }
  return name;
}

/** Most runs per topology --repeat accepts (each is a full up, load and down). */
export const MAX_REPEAT = 20;

function checkRepeat(n: number): number {
  if (Number.isInteger(n) && n >= 1 && n <= MAX_REPEAT) return n;
  throw new CompareError('USAGE', `--repeat expects an integer from 1 to ${MAX_REPEAT}, got ${n}`);
}

// A remote lab runs one topology, deployed by the user: it is compared as that one, started by nobody.
function checkRemote(flags: CompareFlags): RemoteTargetFlags {
  const remote = flags.remote as RemoteTargetFlags;
  if (flags.topologies?.length !== 1) {
    throw new CompareError(
      'USAGE',
      '--target measures one running lab: name its topology with --topologies <name>',
    );
  }
  if (flags.driver && flags.driver !== 'remote') {
    throw new CompareError(
      'USAGE',
      `--target measures a lab that runs elsewhere; --driver ${flags.driver} starts one here`,
    );
  }
  return remote;
}

/** Resolves flags over the quick or full preset; USAGE CompareError on an unknown name. */
export function resolveCompareSettings(flags: CompareFlags): CompareSettings {
  const preset = flags.quick ? QUICK_PRESET : FULL_PRESET;
  const seedUsers = flags.seedUsers ?? preset.seedUsers;
  return {
    ...preset,
    topologies: checkTopologies(flags.topologies ?? topologyNames()),
    workload: checkWorkload(flags.workload ?? 'read-heavy'),
    quick: flags.quick ?? false,
    rate: flags.rate ?? preset.rate,
    warmupSec: flags.warmupSec ?? preset.warmupSec,
    durationSec: flags.durationSec ?? preset.durationSec,
    seedUsers,
    keyCount: seedUsers,
    seed: flags.seed ?? 1,
    maxLagP99Ms: flags.maxLagP99Ms ?? preset.maxLagP99Ms,
    scrapeTimeoutMs: flags.scrapeTimeoutMs ?? preset.scrapeTimeoutMs,
    resultsDir: flags.resultsDir ?? 'results',
    repeat: checkRepeat(flags.repeat ?? 1),
    driver: flags.remote ? 'remote' : (flags.driver ?? 'native'),
    network: flags.network ?? 'loopback',
    ...(flags.remote ? { remote: checkRemote(flags) } : {}),
    ...(flags.consistency ? { consistency: checkConsistency(flags) } : {}),
  };
}

/** Every topology must accept every mode (leases and outboxes need a shared cache). */
function checkConsistency(flags: CompareFlags): ConsistencyName[] {
  const modes = flags.consistency ?? [];
  for (const name of flags.topologies ?? topologyNames()) {
    for (const mode of modes) {
      try {
        withConsistency(getTopology(name), mode);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new CompareError('USAGE', `--consistency ${mode} cannot run on ${name}: ${reason}`);
      }
    }
  }
  return modes;
}
