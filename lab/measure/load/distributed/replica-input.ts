import { z } from 'zod';

/** What every replica is given (the same for all); its index comes from its hostname, load-<slot>. */
export const replicaInputSchema = z.object({
  options: z.object({
    baseUrl: z.string().url(),
    workload: z.string(),
    keyCount: z.number().int().positive(),
    rate: z.number().positive(),
    durationSec: z.number().positive(),
    warmupSec: z.number().nonnegative(),
    seed: z.number().int(),
    timeoutMs: z.number().positive(),
    maxInFlight: z.number().int().positive(),
    topology: z.string(),
  }),
  count: z.number().int().positive(),
  startAtEpochMs: z.number().positive(),
});

/** The input of every replica. */
export type ReplicaInput = z.infer<typeof replicaInputSchema>;

/** The input as one command-line argument (base64 JSON: no quoting through docker and sh). */
export const encodeReplicaInput = (input: ReplicaInput): string =>
  Buffer.from(JSON.stringify(input)).toString('base64');

/** Parses the command-line argument of a replica. */
export function decodeReplicaInput(arg: string): ReplicaInput {
  return replicaInputSchema.parse(JSON.parse(Buffer.from(arg, 'base64').toString('utf8')));
}
