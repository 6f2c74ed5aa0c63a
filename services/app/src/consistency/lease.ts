import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CacheStrategy, SharedOps } from '../cache/cache-types.ts';
import type { ConsistencyMode, ConsistencyObserver, Lookup } from './consistency-types.ts';
import { deleteKey } from './delete.ts';

/** Lease timings (LEASE_TTL_MS, LEASE_WAIT_MS, LEASE_POLL_MS). */
export interface LeaseSettings {
  leaseTtlMs: number;
  waitMs: number;
  pollMs: number;
}

/** Hard cap on polls of one wait, whatever the settings say. */
const MAX_POLLS = 10_000;
/** Longest pause between two polls of a wait. */
const MAX_POLL_MS = 50;

/**
 * Memcache-style lease lookup (NSDI 2013, §3.2.1): a miss takes the key's lease under a fresh 64-bit
 * token and only that token may fill; a write deletes the key and with it the lease, so a fill from a
 * load that began before the write is refused. A miss on a key another server is filling polls for
 * that fill (backing off from `pollMs`) up to `waitMs`, then reads through without filling: one load
 * per key across all servers.
 */
export async function leaseLookup(
  ops: SharedOps,
  settings: LeaseSettings,
  observer: ConsistencyObserver,
  key: string,
): Promise<Lookup> {
  const token = randomBytes(8).toString('hex');
  const deadline = performance.now() + settings.waitMs;
  let waited = false;
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    const reply = await ops.leaseGet(key, token, settings.leaseTtlMs);
    if (reply.kind === 'hit') {
      if (waited) observer.event('lease_wait_hit');
      return { hit: reply.hit };
    }
    if (reply.kind === 'granted') {
      observer.event('lease_granted');
      return { fill: (value, ttlMs) => leaseFill(ops, observer, { key, token, value, ttlMs }) };
    }
    if (!waited) observer.event('lease_busy');
    waited = true;
    if (performance.now() >= deadline) break;
    // Backing off keeps a long wait from costing Redis a poll every few ms.
    await sleep(Math.min(settings.pollMs * 2 ** poll, MAX_POLL_MS));
  }
  observer.event('lease_wait_expired');
  return {};
}

async function leaseFill(
  ops: SharedOps,
  observer: ConsistencyObserver,
  fill: { key: string; token: string; value: Buffer; ttlMs: number },
): Promise<boolean> {
  const stored = await ops.leaseSet(fill.key, fill.token, fill.value, fill.ttlMs);
  observer.event(stored ? 'fill_stored' : 'fill_refused');
  return stored;
}

/** `lease`: lease fills, and a best-effort DEL after the commit (which also revokes the lease). */
export function createLeaseMode(
  cache: CacheStrategy,
  ops: SharedOps,
  settings: LeaseSettings,
  observer: ConsistencyObserver,
): ConsistencyMode {
  return {
    name: 'lease',
    invalidates: true,
    lookup: (key) => leaseLookup(ops, settings, observer, key),
    async recordWrite() {},
    invalidate: ({ key }) => deleteKey(cache, observer, key),
  };
}
