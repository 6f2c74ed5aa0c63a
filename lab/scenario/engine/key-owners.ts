import type { Driver, RunningLab } from '../../run/driver/driver-types.ts';
import { nginxChashMovedShare } from '../../simulate/nginx-chash.ts';
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

/** Who served each probed profile, and the upstream nginx balanced over when it was asked. */
export interface OwnerProbe {
  owners: Map<number, string>;
  /** nginx's `server` names of the app servers in rotation (undefined: the driver does not say). */
  upstreams: string[] | undefined;
}

/** The upstream names of the app servers in rotation, when every one of them has one. */
async function upstreamsOf(driver: Driver, lab: RunningLab): Promise<string[] | undefined> {
  const apps = (await driver.services(lab)).filter((s) => s.role === 'app' && s.inRotation);
  const names = apps.flatMap((s) => (s.upstream ? [s.upstream] : []));
  return names.length === apps.length && names.length > 0 ? names : undefined;
}

/** keyOwners through the front door, with the upstream list it was balanced over. */
export async function probeKeyOwners(driver: Driver, lab: RunningLab): Promise<OwnerProbe> {
  const upstreams = await upstreamsOf(driver, lab);
  return { owners: await keyOwners(lab.url), upstreams };
}

/** The probed ids both probes got an answer for: the keys movement is measured and modelled on. */
export const answeredBoth = (before: OwnerProbe, after: OwnerProbe): number[] =>
  [...before.owners.keys()].filter((id) => after.owners.has(id));

/** Share of the keys answered both times whose server changed. */
export function movedShare(before: OwnerProbe, after: OwnerProbe): number {
  const both = answeredBoth(before, after);
  if (both.length === 0) return 0;
  const moved = both.filter((id) => before.owners.get(id) !== after.owners.get(id));
  return moved.length / both.length;
}

/**
 * simulate's model of nginx's consistent-hash ring over the upstreams nginx actually had, asked about
 * the keys answered both times: the share it says moves. Undefined when a probe lacks its upstreams.
 */
export function modelledMovedShare(before: OwnerProbe, after: OwnerProbe): number | undefined {
  if (!before.upstreams || !after.upstreams) return undefined;
  const keys = answeredBoth(before, after).map(String);
  return nginxChashMovedShare(keys, before.upstreams, after.upstreams);
}

/** simulate's prediction of the share moved by a generic ketama ring (hashring) from `from` to `to` nodes. */
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
