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

/** The time source of a wait: a monotonic clock and a pause (tests drive both). */
export interface WaitClock {
  now(): number;
  pause(ms: number): Promise<void>;
}

/** performance.now() and timers. */
export const realWaitClock: WaitClock = {
  now: () => performance.now(),
  pause: async (ms) => {
    await sleep(ms);
  },
};

/** Hard cap on polls of one wait, whatever the settings say. */
const MAX_POLLS = 10_000;
/** Longest pause between two polls of a wait. */
const MAX_POLL_MS = 20;

/**
 * The pauses of a wait of `waitMs` polled from `pollMs` (doubling, at most MAX_POLL_MS): the last one
 * ends exactly at the deadline, so a wait never outlasts `waitMs` by more than one poll's round trip.
 */
export function pollPause(settings: LeaseSettings, poll: number, leftMs: number): number {
  const backoff = Math.min(settings.pollMs * 2 ** Math.min(poll, 20), MAX_POLL_MS);
  return Math.max(0, Math.min(backoff, leftMs));
}

/**
 * Memcache-style lease lookup (NSDI 2013, §3.2.1): a miss takes the key's lease under a fresh 64-bit
 * token and only that token may fill; a write deletes the key and with it the lease, so a fill from a
 * load that began before the write is refused. A miss on a key another server is filling polls for
 * that fill for at most `waitMs` (a few tens of ms), then reads through without filling: one load
 * per key across all servers while fills are quick, and a slow or dead filler costs a waiter no more
 * than `waitMs`. A filler that will not fill releases its lease, and one that died frees the key when
 * the lease expires (`leaseTtlMs`): the next poll or miss then takes the lease.
 */
export async function leaseLookup(
  ops: SharedOps,
  settings: LeaseSettings,
  observer: ConsistencyObserver,
  key: string,
  clock: WaitClock = realWaitClock,
): Promise<Lookup> {
  const token = randomBytes(8).toString('hex');
  const deadline = clock.now() + settings.waitMs;
  let waited = false;
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    const reply = await ops.leaseGet(key, token, settings.leaseTtlMs);
    if (reply.kind === 'hit') {
      if (waited) observer.event('lease_wait_hit');
      return { hit: reply.hit };
    }
    if (reply.kind === 'granted') {
      observer.event('lease_granted');
      return grantedLookup(ops, observer, key, token);
    }
    if (!waited) observer.event('lease_busy');
    waited = true;
    const left = deadline - clock.now();
    if (left <= 0) break;
    await clock.pause(pollPause(settings, poll, left));
  }
  observer.event('lease_wait_expired');
  return {};
}

function grantedLookup(
  ops: SharedOps,
  observer: ConsistencyObserver,
  key: string,
  token: string,
): Lookup {
  const release = async () => {
    if (await ops.leaseRelease(key, token)) observer.event('lease_released');
  };
  return {
    async fill(value, ttlMs) {
      const stored = await ops.leaseSet(key, token, value, ttlMs);
      observer.event(stored ? 'fill_stored' : 'fill_refused');
      // A fill vetoed on this server (not by Redis) would leave the lease to block others.
      if (!stored) await release();
      return stored;
    },
    release,
  };
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
