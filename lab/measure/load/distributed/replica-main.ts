// Entry of one load replica of a distributed run (a swarm task running `node --import tsx` on this
// file): runs its share of the schedule from the shared start and prints the result as log lines.
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type RunLoadOptions, resolveOptions } from '../../../../loadtests/runner/options.ts';
import { runShare } from '../../../../loadtests/runner/share-run.ts';
import { decodeReplicaInput } from './replica-input.ts';
import { encodeShareLines } from './share-lines.ts';

/** Least time a replica needs before the start: later, its share would begin behind schedule. */
const MIN_LEAD_MS = 500;

async function main(arg: string | undefined, host: string): Promise<number> {
  const input = decodeReplicaInput(arg ?? '');
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

// Only as the entry point: importing this file runs nothing.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv[2], hostname());
}
