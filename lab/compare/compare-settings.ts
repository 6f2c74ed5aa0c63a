import { isWorkloadName, type WorkloadName } from '../../loadtests/workload.ts';
import type { DriverName } from '../config.ts';
import { getTopology, topologyNames } from '../topology/catalog.ts';
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
  /** Folder of results/<run-id>/ and results/latest. */
  resultsDir: string;
  /** How each topology is brought up: native processes or Docker Compose. */
  driver: DriverName;
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
  resultsDir?: string;
  driver?: DriverName;
}

type Preset = Pick<
  CompareSettings,
  'rate' | 'warmupSec' | 'durationSec' | 'seedUsers' | 'timeoutMs' | 'maxInFlight' | 'maxLagP99Ms'
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
    resultsDir: flags.resultsDir ?? 'results',
    driver: flags.driver ?? 'native',
  };
}
