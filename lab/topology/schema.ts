import { z } from 'zod';
import {
  CACHE_MODES,
  type CacheMode,
  CONSISTENCY_MODES,
  SHARED_CACHE_MODES,
} from '../../services/app/src/config.ts';
import { LabError, type LabErrorCode } from '../lab-errors.ts';
import type { RedisLayout, Topology } from './model.ts';
import { networkSchema } from './network.ts';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

const redisLayoutSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('single') }),
  z.object({ kind: z.literal('cluster'), masters: int(3, 9), replicasPerMaster: int(0, 2) }),
  z.object({ kind: z.literal('shards'), count: int(2, 16) }),
]);

/** The zod schema of a Topology (shape only; see validateTopology for cross-field rules). */
export const topologySchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'kebab-case, at most 40 characters'),
  question: z.string().min(10).max(160),
  loadBalancing: z.enum(['round-robin', 'least-conn', 'consistent-hash']),
  appServers: int(1, 16),
  cache: z.object({
    mode: z.enum(CACHE_MODES),
    ttlMs: int(1, 86_400_000),
    ttlJitter: z.number().min(0).max(1),
    l1MaxEntries: int(1, 10_000_000),
    l1MaxBytes: int(1024, 16 * 1024 ** 3),
    diskMaxEntries: int(1, 100_000_000),
    l2Cluster: z.boolean(),
  }),
  consistency: z.object({
    mode: z.enum(CONSISTENCY_MODES),
    why: z.string().min(10).max(240),
    graceMs: int(0, 86_400_000),
    graceWhy: z.string().min(10).max(240),
  }),
  redis: redisLayoutSchema,
  postgres: z.object({ seedUsers: int(1, 10_000_000), poolSizePerServer: int(1, 200) }),
  network: networkSchema.optional(),
});

/** The Redis layout kind each cache mode needs (two-tier depends on l2Cluster). */
export function requiredRedisKind(mode: CacheMode, l2Cluster: boolean): RedisLayout['kind'] {
  switch (mode) {
    case 'none':
    case 'local':
    case 'local-disk':
      return 'none';
    case 'global':
      return 'single';
    case 'global-cluster':
      return 'cluster';
    case 'global-sharded':
      return 'shards';
    case 'two-tier':
      return l2Cluster ? 'cluster' : 'single';
  }
}

function crossFieldProblems(t: Topology): string[] {
  const problems: string[] = [];
  const needed = requiredRedisKind(t.cache.mode, t.cache.l2Cluster);
  if (t.redis.kind !== needed) {
    problems.push(
      `redis: cache mode ${t.cache.mode} needs redis.kind '${needed}', got '${t.redis.kind}'`,
    );
  }
  if (t.cache.l2Cluster && t.cache.mode !== 'two-tier') {
    problems.push('cache.l2Cluster: only meaningful for cache mode two-tier');
  }
  const { mode } = t.consistency;
  if (
    (mode === 'lease' || mode.startsWith('outbox')) &&
    !SHARED_CACHE_MODES.includes(t.cache.mode)
  ) {
    problems.push(
      `consistency.mode: ${mode} needs a shared cache (${SHARED_CACHE_MODES.join(', ')}), got cache mode ${t.cache.mode}`,
    );
  }
  return problems;
}

/**
 * Parses `input` with `schema`, then checks `crossField`; throws a LabError of `code` naming the
 * value's `kind` and listing every problem.
 */
export function validateNamed<T>(
  schema: z.ZodType<T>,
  crossField: (value: T) => string[],
  input: unknown,
  code: LabErrorCode,
  kind: string,
): T {
  const parsed = schema.safeParse(input);
  const problems = parsed.success
    ? crossField(parsed.data)
    : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (!parsed.success || problems.length > 0) {
    const name = (input as { name?: unknown } | null)?.name;
    throw new LabError(
      code,
      `invalid ${kind} ${String(name ?? '(unnamed)')}: ${problems.join('; ')}`,
      {
        details: { problems },
      },
    );
  }
  return parsed.data;
}

/** Validates shape and cross-field rules; throws TOPOLOGY_INVALID listing every problem. */
export function validateTopology(input: unknown): Topology {
  return validateNamed(topologySchema, crossFieldProblems, input, 'TOPOLOGY_INVALID', 'topology');
}
