// Entry of one load replica of a distributed run (a swarm task running `node --import tsx` on this
// file): runs its share of the schedule from the shared start and prints the result as log lines.
import { hostname } from 'node:os';
import { z } from 'zod';
import { type RunLoadOptions, resolveOptions } from '../../../../loadtests/runner/options.ts';
import { runShare } from '../../../../loadtests/runner/share-run.ts';
import { encodeShareLines } from './share-lines.ts';

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

/** Least time a replica needs before the start: later, its share would begin behind schedule. */
const MIN_LEAD_MS = 500;

async function main(arg: string | undefined, host: string): Promise<number> {
  const input = replicaInputSchema.parse(JSON.parse(Buffer.from(arg ?? '', 'base64').toString()));
  const slot = Number(/-(\d+)$/.exec(host)?.[1]);
  if (!Number.isInteger(slot) || slot < 1 || slot > input.count) {
    process.stderr.write(`load replica: hostname ${host} has no slot 1..${input.count}\n`);
    return 2;
  }
  const lead = input.startAtEpochMs - (performance.timeOrigin + performance.now());
  if (lead < MIN_LEAD_MS) {
    process.stderr.write(`load replica ${slot}: ready ${-lead} ms after the shared start\n`);
    return 3;
  }
  const o = resolveOptions({ ...input.options, workers: 1 } as RunLoadOptions);
  // Each replica opens its share of the connections and of the in-flight cap.
  const shareOptions = {
    ...o,
    maxInFlight: Math.max(1, Math.ceil(o.maxInFlight / input.count)),
    connections: Math.max(1, Math.ceil(o.connections / input.count)),
  };
  const share = { index: slot - 1, count: input.count, startAtEpochMs: input.startAtEpochMs };
  const result = await runShare(shareOptions, share);
  for (const line of encodeShareLines(slot - 1, result)) process.stdout.write(`${line}\n`);
  return 0;
}

process.exitCode = await main(process.argv[2], hostname());
