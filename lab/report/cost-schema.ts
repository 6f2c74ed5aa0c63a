import { z } from 'zod';
import { COST_TIERS } from '../measure/cost/component-cost.ts';

const nonNegative = z.number().nonnegative();

/** What one component spent during the measured window. */
export const componentCostSchema = z.strictObject({
  component: z.string().min(1),
  tier: z.enum(COST_TIERS),
  cpuMs: nonNegative,
  /** CPU (user + system) per request the window completed, µs. */
  cpuUsPerRequest: nonNegative,
  /** Proportional set size of its processes at the window's end (the generator: RSS). */
  memoryMB: nonNegative,
  redisUsedMemoryMB: nonNegative.optional(),
  l1Entries: nonNegative.optional(),
  l1MB: nonNegative.optional(),
});

/** CPU and memory per component and per tier over the measured window. */
export const windowCostSchema = z.strictObject({
  /** proc: /proc per process tree (native); cgroup: container statistics (compose). */
  source: z.enum(['proc', 'cgroup']),
  seconds: nonNegative,
  requests: z.number().int().nonnegative(),
  components: z.array(componentCostSchema),
  tiers: z.array(
    z.strictObject({
      tier: z.enum(COST_TIERS),
      cpuUsPerRequest: nonNegative,
      memoryMB: nonNegative,
    }),
  ),
  totalCpuUsPerRequest: nonNegative,
});
