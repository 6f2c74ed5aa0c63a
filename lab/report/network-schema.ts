import { z } from 'zod';
import { HOPS, NETWORK_PROFILE_NAMES } from '../topology/network.ts';

const ms = z.number().finite();
const hop = z.enum(HOPS);

/** One hop of `cachelab net calibrate`, as results.json keeps it. */
export const hopCalibrationSchema = z.strictObject({
  hop,
  probe: z.enum(['redis PING', 'postgres SELECT 1', 'http GET /healthz']),
  configuredRttMs: ms.min(0),
  addedP50Ms: ms,
  addedP99Ms: ms,
  directP50Ms: ms.min(0),
  toleranceMs: ms.min(0),
  withinTolerance: z.boolean(),
});

/** The network a comparison ran under: profile, round trip per hop, and its calibration. */
export const networkResultSchema = z.strictObject({
  profile: z.enum(NETWORK_PROFILE_NAMES as [string, ...string[]]),
  hops: z.strictObject({
    'nginx-app': z.strictObject({ rttMs: ms.min(0), jitterMs: ms.min(0) }),
    'app-redis': z.strictObject({ rttMs: ms.min(0), jitterMs: ms.min(0) }),
    'app-postgres': z.strictObject({ rttMs: ms.min(0), jitterMs: ms.min(0) }),
  }),
  /** null under loopback (no proxy to calibrate). */
  calibration: z
    .strictObject({
      profile: z.string(),
      samplesPerHop: z.number().int().positive(),
      hops: z.array(hopCalibrationSchema),
      /** Absent in calibrations saved before the proxy's own round trip was subtracted. */
      proxyOverheadMs: ms.min(0).optional(),
      proxyCpuUsPerMessage: ms.min(0),
      note: z.string(),
    })
    .nullable(),
});

/** The `network` of results.json. */
export type NetworkResult = z.infer<typeof networkResultSchema>;
