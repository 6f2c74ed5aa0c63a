import { simulateResize } from '../../simulate/resize.ts';

/** How many profiles the key-owner probe asks for, and how many at once. */
export const PROBED_KEYS = 300;
const CONCURRENCY = 8;

/** X-Served-By of GET /profiles/1..PROBED_KEYS through the front door (bounded: 300 requests, 3 s each). */
export async function keyOwners(baseUrl: string): Promise<Map<number, string>> {
  const owners = new Map<number, string>();
  let next = 1;
  const worker = async (): Promise<void> => {
    for (let id = next++; id <= PROBED_KEYS; id = next++) {
      try {
        const res = await fetch(`${baseUrl}/profiles/${id}`, {
          signal: AbortSignal.timeout(3_000),
        });
        await res.arrayBuffer();
        const server = res.headers.get('x-served-by');
        if (res.status === 200 && server) owners.set(id, server);
      } catch {
        // an unanswered probe leaves the key out of the comparison
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return owners;
}

/** Share of the keys answered both times whose server changed. */
export function movedShare(before: Map<number, string>, after: Map<number, string>): number {
  const both = [...before.keys()].filter((id) => after.has(id));
  if (both.length === 0) return 0;
  return both.filter((id) => before.get(id) !== after.get(id)).length / both.length;
}

/** simulate's prediction of the share of keys moved by a ketama ring going from `from` to `to` nodes. */
export function predictedMovedShare(from: number, to: number, keyCount: number): number {
  const result = simulateResize({
    nodes: [from],
    keyCount,
    warmupRequests: 0,
    windowRequests: 1_000,
    recoveryWindows: 1,
  });
  const change = result.changes.find((c) => c.scheme === 'ketama' && c.to === to);
  if (!change) throw new Error(`simulate gave no ketama change ${from} → ${to}`);
  return change.movedKeyShare;
}
