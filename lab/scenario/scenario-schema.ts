import { z } from 'zod';
import { WORKLOAD_NAMES } from '../../loadtests/workload.ts';
import { CACHE_MODES, CONSISTENCY_MODES } from '../../services/app/src/config.ts';
import { NETWORK_PROFILE_NAMES } from '../topology/network.ts';
import { validateNamed } from '../topology/schema.ts';
import type { Scenario } from './scenario-model.ts';

const service = z.string().regex(/^(nginx|postgres|app-\d+|redis-\d+)$/, 'a service name');
const toxic = z.object({
  name: z.string().min(1).max(40),
  type: z.string().min(1).max(40),
  stream: z.enum(['upstream', 'downstream']).optional(),
  toxicity: z.number().min(0).max(1).optional(),
  attributes: z.record(z.string(), z.number()),
});

const actionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('kill'), service }),
  z.object({ kind: z.literal('stop'), service }),
  z.object({ kind: z.literal('pause'), service }),
  z.object({ kind: z.literal('resume'), service }),
  z.object({ kind: z.literal('restart'), service }),
  z.object({ kind: z.literal('add-app-server') }),
  z.object({ kind: z.literal('remove-app-server'), service: service.optional() }),
  z.object({ kind: z.literal('flush-cache'), tier: z.enum(['l1', 'l2', 'all']) }),
  z.object({ kind: z.literal('apply-toxic'), hop: z.string().min(1), toxic }),
  z.object({ kind: z.literal('remove-toxic'), hop: z.string().min(1), name: z.string().min(1) }),
  z.object({
    kind: z.literal('cluster-failover'),
    mode: z.enum(['kill', 'cluster-failover']),
    nodeTimeoutMs: z.number().int().min(100).max(60_000),
  }),
  z.object({ kind: z.literal('change-workload'), workload: z.enum(WORKLOAD_NAMES) }),
  z.object({ kind: z.literal('change-network'), profile: z.enum(NETWORK_PROFILE_NAMES) }),
]);

/** The zod schema of a Scenario (shape; see validateScenario for the cross-field rules). */
export const scenarioSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'kebab-case, at most 40 characters'),
  question: z.string().min(10).max(160),
  appliesTo: z.object({
    cacheModes: z.array(z.enum(CACHE_MODES)).optional(),
    redisKinds: z.array(z.enum(['none', 'single', 'cluster', 'shards'])).optional(),
    minAppServers: z.number().int().min(1).optional(),
  }),
  defaultTopologies: z.array(z.string().min(1)).min(1),
  load: z.object({
    workload: z.enum(WORKLOAD_NAMES),
    rate: z.number().positive().max(5_000),
    keyCount: z.number().int().min(1).max(10_000_000),
    warmupSec: z.number().min(0).max(300),
    durationSec: z.number().positive().max(600),
  }),
  timeline: z.array(z.object({ atSec: z.number().min(0), action: actionSchema })),
  hypothesis: z
    .object({
      maxErrorRate: z.number().min(0).max(1).optional(),
      maxP99Factor: z.number().positive().optional(),
      minHitRatioFactor: z.number().min(0).max(1).optional(),
      maxStaleReadRate: z.number().min(0).max(1).optional(),
    })
    .optional(),
  probes: z.array(z.enum(['key-owners', 'cold-start'])).optional(),
  network: z.enum(NETWORK_PROFILE_NAMES).optional(),
  variants: z
    .array(
      z.object({
        label: z.string().min(1).max(40),
        consistency: z.enum(CONSISTENCY_MODES).optional(),
        graceMs: z.number().int().min(0).max(86_400_000).optional(),
      }),
    )
    .optional(),
  missingVariants: z.array(z.object({ variant: z.string(), reason: z.string() })).optional(),
});

function crossFieldProblems(s: Scenario): string[] {
  const problems: string[] = [];
  let previous = 0;
  for (const [i, step] of s.timeline.entries()) {
    if (step.atSec < previous) problems.push(`timeline.${i}: actions must be in time order`);
    if (step.atSec >= s.load.durationSec) {
      problems.push(
        `timeline.${i}: at ${step.atSec} s, after the load ends (${s.load.durationSec} s)`,
      );
    }
    if (step.atSec < s.load.warmupSec + 2) {
      problems.push(
        `timeline.${i}: at ${step.atSec} s, leaves under 2 s of baseline after warm-up`,
      );
    }
    previous = step.atSec;
  }
  return problems;
}

/** Validates shape and timeline order; a USAGE error listing every problem otherwise. */
export function validateScenario(input: unknown): Scenario {
  return validateNamed(scenarioSchema, crossFieldProblems, input, 'USAGE', 'scenario');
}
