import { z } from 'zod';
import { SIM_TOPOLOGIES } from '../simulate/scale-simulation.ts';

const ratio = z.number().min(0).max(1);
const delta = z.number().min(-1).max(1);
const simTopology = z.enum(SIM_TOPOLOGIES);

const simRatio = z.strictObject({ l1: ratio.nullable(), l2: ratio.nullable(), overall: ratio });

/** Settings a simulation ran with (the workload by name). */
export const simulationSettingsSchema = z.strictObject({
  workload: z.string().min(1),
  keyCount: z.number().int().positive(),
  warmupRequests: z.number().int().nonnegative(),
  measuredRequests: z.number().int().positive(),
  cacheEntries: z.number().int().positive(),
  globalEntries: z.number().int().positive(),
  /** L1 lifetime in requests of the local-only invalidation layout (absent in older files). */
  l1TtlRequests: z.number().int().nonnegative().optional(),
  /** First request whose writes the stale-read check knows (absent in older files: 0). */
  staleCheckFrom: z.number().int().nonnegative().optional(),
  seed: z.number().int(),
});

/** Simulated vs measured stale reads per read of one topology. */
const staleComparisonSchema = z.strictObject({
  simulated: ratio,
  measured: ratio,
  delta,
  withinTolerance: z.boolean(),
});

/**
 * The calibration check: simulated vs measured hit ratio and stale-read rate per topology at the
 * measured server count (the stale fields are absent in runs made before they were recorded).
 */
export const calibrationSchema = z.strictObject({
  servers: z.number().int().positive(),
  tolerance: ratio,
  staleTolerance: ratio.optional(),
  toleranceKind: z.literal('absolute'),
  settings: simulationSettingsSchema,
  entries: z.array(
    z.strictObject({
      topology: z.string().min(1),
      simulatedAs: simTopology.nullable(),
      simulated: simRatio.nullable(),
      measured: z.strictObject({
        overall: ratio.nullable(),
        l1: ratio.nullable(),
        l2: ratio.nullable(),
      }),
      delta: z
        .strictObject({ overall: delta.nullable(), l1: delta.nullable(), l2: delta.nullable() })
        .nullable(),
      staleReads: staleComparisonSchema.nullable().optional(),
      /** What the simulator replayed for this topology (its warm-up length and cache size). */
      replay: z
        .strictObject({
          warmupRequests: z.number().int().nonnegative(),
          measuredRequests: z.number().int().positive(),
          cacheEntries: z.number().int().positive(),
        })
        .optional(),
      withinTolerance: z.boolean(),
    }),
  ),
});

/** Scale (hit ratio vs server count) and resize (keys moved, hit-ratio dip) simulations. */
export const simulationSchema = z.strictObject({
  /** Where the figures come from: a `cachelab simulate` file, or computed by the comparison. */
  source: z.string().min(1),
  settings: simulationSettingsSchema,
  scale: z.array(
    z.strictObject({
      servers: z.number().int().positive(),
      // Partial: files written before a layout was added lack it.
      topologies: z.partialRecord(
        simTopology,
        z.strictObject({
          hitRatio: simRatio,
          dbReadsPerRequest: z.number().nonnegative(),
          staleReadRate: ratio.optional(),
        }),
      ),
    }),
  ),
  resize: z.array(
    z.strictObject({
      scheme: z.string().min(1),
      from: z.number().int().positive(),
      to: z.number().int().positive(),
      movedKeyShare: ratio,
      expectedMovedShare: ratio,
      hitRatioBefore: ratio,
      dip: delta,
    }),
  ),
});
