import type { WorkloadName } from '../../loadtests/workload.ts';
import type { ConsistencyName } from '../../services/app/src/config.ts';
import type { CacheTier, FailoverMode, ToxicSpec } from '../run/driver/lifecycle-types.ts';
import type { CacheSettings, RedisLayout } from '../topology/model.ts';
import type { NetworkProfile } from '../topology/network.ts';

/** One change a scenario makes to the running topology (or to its load). */
export type ActionSpec =
  | { kind: 'kill'; service: string }
  | { kind: 'stop'; service: string }
  | { kind: 'pause'; service: string }
  | { kind: 'resume'; service: string }
  | { kind: 'restart'; service: string }
  | { kind: 'add-app-server' }
  | { kind: 'remove-app-server'; service?: string }
  | { kind: 'flush-cache'; tier: CacheTier }
  | { kind: 'apply-toxic'; hop: string; toxic: ToxicSpec }
  | { kind: 'remove-toxic'; hop: string; name: string }
  | { kind: 'cluster-failover'; mode: FailoverMode; nodeTimeoutMs: number }
  | { kind: 'change-workload'; workload: WorkloadName }
  | { kind: 'change-network'; profile: NetworkProfile };

/** The kinds of action, one module each (lab/scenario/actions). */
export type ActionKind = ActionSpec['kind'];

/** An action at an offset from the start of the load. */
export interface TimedAction {
  atSec: number;
  action: ActionSpec;
}

/** Tolerances of the steady-state hypothesis, relative to the measured baseline. */
export interface HypothesisTolerances {
  /** Largest share of requests failed (5xx or transport error) per second. */
  maxErrorRate: number;
  /** Largest p99 as a multiple of the baseline p99. */
  maxP99Factor: number;
  /** Smallest hit ratio as a multiple of the baseline hit ratio (ignored without a cache). */
  minHitRatioFactor: number;
  /** Largest share of a second's reads that may be stale; unchecked when absent. */
  maxStaleReadRate?: number;
}

/** The constant-rate load a scenario runs under; the baseline is [warmupSec, first action). */
export interface ScenarioLoad {
  workload: WorkloadName;
  rate: number;
  keyCount: number;
  warmupSec: number;
  durationSec: number;
}

/** Which topologies a scenario applies to (every listed condition must hold). */
export interface Applicability {
  cacheModes?: CacheSettings['mode'][];
  redisKinds?: RedisLayout['kind'][];
  minAppServers?: number;
}

/** Extra measurements some scenarios need. */
export type ScenarioProbe = 'key-owners' | 'cold-start';

/** One scenario: a typed value of the catalog, like a topology. */
export interface Scenario {
  name: string;
  /** The question it answers, in one line. */
  question: string;
  appliesTo: Applicability;
  /** The topologies `make scenarios` runs it against. */
  defaultTopologies: string[];
  load: ScenarioLoad;
  timeline: TimedAction[];
  /** Overrides of the default tolerances. */
  hypothesis?: Partial<HypothesisTolerances>;
  probes?: ScenarioProbe[];
  /** The network profile the scenario needs (its actions act on fault proxies), unless one is chosen. */
  network?: NetworkProfile;
  /** Runs of the scenario that differ in one setting, e.g. with and without grace. */
  variants?: ScenarioVariant[];
  /** What a variant of the scenario would need that this tree does not have yet. */
  missingVariants?: { variant: string; reason: string }[];
}

/** One variant of a scenario: a label and the topology settings it changes. */
export interface ScenarioVariant {
  label: string;
  consistency?: ConsistencyName;
  graceMs?: number;
}
