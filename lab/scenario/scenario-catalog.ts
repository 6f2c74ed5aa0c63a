import { LabError } from '../lab-errors.ts';
import type { Topology } from '../topology/model.ts';
import type { Scenario, ScenarioLoad, TimedAction } from './scenario-model.ts';
import { validateScenario } from './scenario-schema.ts';

/** Shared load: 150 req/s read-heavy over 5,000 profiles (every topology keeps up on 2 cores). */
const LOAD: ScenarioLoad = {
  workload: 'read-heavy',
  rate: 150,
  keyCount: 5_000,
  warmupSec: 5,
  durationSec: 17,
};
const CACHED = ['local', 'local-disk', 'global', 'global-cluster', 'global-sharded', 'two-tier'];
const at = (atSec: number, action: TimedAction['action']): TimedAction => ({ atSec, action });
const define = (s: Scenario): Scenario => validateScenario(s);

/** Every scenario the lab can run, in the order they are listed and run. */
export const SCENARIOS: readonly Scenario[] = Object.freeze([
  define({
    name: 'cold-start',
    question: 'How long until each topology reaches 90 % of its steady hit ratio from cold?',
    appliesTo: { cacheModes: CACHED as Scenario['appliesTo']['cacheModes'] },
    defaultTopologies: ['local', 'local-hash', 'global', 'two-tier'],
    load: { ...LOAD, warmupSec: 0, durationSec: 14 },
    timeline: [],
    probes: ['cold-start'],
  }),
  define({
    name: 'scale-out',
    question: 'An app server is added: how deep and how long is the hit-ratio dip?',
    appliesTo: { minAppServers: 2 },
    defaultTopologies: ['local-hash', 'global'],
    load: LOAD,
    timeline: [at(9, { kind: 'add-app-server' })],
    probes: ['key-owners'],
  }),
  define({
    name: 'scale-in',
    question:
      'An app server is removed: how deep is the dip, and do the moved keys match simulate?',
    appliesTo: { minAppServers: 2 },
    defaultTopologies: ['local-hash', 'global'],
    load: LOAD,
    timeline: [at(9, { kind: 'remove-app-server' })],
    probes: ['key-owners'],
  }),
  define({
    name: 'flush-stampede',
    question: 'Every cache tier flushed under load: how high do database queries per second peak?',
    appliesTo: { cacheModes: ['global', 'global-cluster', 'global-sharded', 'two-tier'] },
    defaultTopologies: ['global'],
    load: LOAD,
    timeline: [at(9, { kind: 'flush-cache', tier: 'all' })],
    variants: [
      { label: 'single-flight only', consistency: 'delete' },
      { label: 'with leases', consistency: 'lease' },
    ],
  }),
  define({
    name: 'hot-key',
    question: '30 % of reads on one profile: which Redis node runs hot, and does an L1 absorb it?',
    appliesTo: { redisKinds: ['single', 'shards', 'cluster'] },
    defaultTopologies: ['global-sharded', 'two-tier'],
    load: LOAD,
    timeline: [at(9, { kind: 'change-workload', workload: 'hot-key' })],
    hypothesis: { minHitRatioFactor: 0.5 },
  }),
  define({
    name: 'app-server-kill',
    question: 'One of three app servers SIGKILLed, restarted 5 s later: do clients notice?',
    appliesTo: { minAppServers: 3 },
    defaultTopologies: ['local', 'global'],
    load: { ...LOAD, durationSec: 18 },
    timeline: [
      at(8, { kind: 'kill', service: 'app-2' }),
      at(13, { kind: 'restart', service: 'app-2' }),
    ],
  }),
  define({
    name: 'redis-kill',
    question: 'The shared Redis SIGKILLed, back (cold) 5 s later: errors, latency, database load?',
    appliesTo: { redisKinds: ['single'] },
    defaultTopologies: ['global', 'two-tier'],
    load: { ...LOAD, durationSec: 18 },
    timeline: [
      at(8, { kind: 'kill', service: 'redis-1' }),
      at(13, { kind: 'restart', service: 'redis-1' }),
    ],
  }),
  define({
    name: 'redis-restart',
    question:
      'The shared Redis restarted (graceful, data gone): how long until the hit ratio is back?',
    appliesTo: { redisKinds: ['single'] },
    defaultTopologies: ['global'],
    load: LOAD,
    timeline: [at(9, { kind: 'restart', service: 'redis-1' })],
  }),
  define({
    name: 'cluster-failover',
    question:
      'A cluster master SIGKILLed (cluster-node-timeout 2000 ms): measured unavailability vs the specification?',
    appliesTo: { redisKinds: ['cluster'] },
    defaultTopologies: ['global-cluster'],
    load: { ...LOAD, durationSec: 18 },
    timeline: [at(8, { kind: 'cluster-failover', mode: 'kill', nodeTimeoutMs: 2_000 })],
  }),
  define({
    name: 'redis-slow',
    question: '20 ms of latency on one Redis node: do command timeouts keep p99 bounded?',
    appliesTo: { redisKinds: ['single', 'shards', 'cluster'] },
    defaultTopologies: ['global', 'global-sharded'],
    load: LOAD,
    timeline: [
      at(8, {
        kind: 'apply-toxic',
        hop: 'redis-1',
        toxic: { name: 'slow', type: 'latency', attributes: { latency: 20, jitter: 0 } },
      }),
      at(13, { kind: 'remove-toxic', hop: 'redis-1', name: 'slow' }),
    ],
    network: 'lan',
  }),
  define({
    name: 'bus-partition',
    question:
      "two-tier's invalidation bus cut for one server while writes continue: how stale, and does it catch up?",
    appliesTo: { cacheModes: ['two-tier'] },
    defaultTopologies: ['two-tier'],
    load: { ...LOAD, workload: 'write-heavy' },
    // A silent blackhole on app-2's own bus hop (its L2 connection untouched): the subscriber
    // notices only by its heartbeat, so the stale window is the detection time.
    timeline: [
      at(8, {
        kind: 'apply-toxic',
        hop: 'bus-app-2',
        toxic: { name: 'cut', type: 'timeout', attributes: { timeout: 0 } },
      }),
      at(13, { kind: 'remove-toxic', hop: 'bus-app-2', name: 'cut' }),
    ],
    hypothesis: { maxStaleReadRate: 0.02 },
    network: 'lan',
    variants: [
      { label: 'outbox: catch up from the outbox', consistency: 'outbox+lease' },
      { label: 'delete: L1 cleared', consistency: 'delete' },
    ],
  }),
  define({
    name: 'postgres-down',
    question: 'The database lost for 10 s: what do clients see?',
    appliesTo: {},
    defaultTopologies: ['global'],
    load: { ...LOAD, durationSec: 22 },
    timeline: [
      at(7, { kind: 'stop', service: 'postgres' }),
      at(17, { kind: 'restart', service: 'postgres' }),
    ],
    variants: [
      { label: 'without grace', graceMs: 0 },
      { label: 'with grace', graceMs: 60_000 },
    ],
  }),
  define({
    name: 'network-degrade',
    question: 'same-az turning into cross-az mid-run: what does every extra hop cost?',
    appliesTo: { redisKinds: ['single', 'shards', 'cluster'] },
    defaultTopologies: ['global'],
    load: LOAD,
    timeline: [at(9, { kind: 'change-network', profile: 'cross-az' })],
    network: 'same-az',
  }),
]);

/** The names of the catalog scenarios, in catalog order. */
export function scenarioNames(): string[] {
  return SCENARIOS.map((s) => s.name);
}

/** The catalog scenario called `name`; SCENARIO_UNKNOWN listing the valid names otherwise. */
export function getScenario(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) {
    throw new LabError(
      'SCENARIO_UNKNOWN',
      `unknown scenario '${name}'; valid names: ${scenarioNames().join(', ')}`,
    );
  }
  return structuredClone(found);
}

/** Why `scenario` cannot run on `topology`, or undefined when it can. */
export function notApplicable(scenario: Scenario, topology: Topology): string | undefined {
  const a = scenario.appliesTo;
  if (a.cacheModes && !a.cacheModes.includes(topology.cache.mode)) {
    return `needs cache mode ${a.cacheModes.join(' | ')}, ${topology.name} is ${topology.cache.mode}`;
  }
  if (a.redisKinds && !a.redisKinds.includes(topology.redis.kind)) {
    return `needs Redis ${a.redisKinds.join(' | ')}, ${topology.name} has ${topology.redis.kind}`;
  }
  if (a.minAppServers !== undefined && topology.appServers < a.minAppServers) {
    return `needs at least ${a.minAppServers} app servers, ${topology.name} has ${topology.appServers}`;
  }
  return undefined;
}

/** Why the whole scenario cannot run in this tree (a missing component), or undefined. */
export function blockedBy(scenario: Scenario): string | undefined {
  return scenario.missingVariants?.find((v) => v.variant === 'all')?.reason;
}
