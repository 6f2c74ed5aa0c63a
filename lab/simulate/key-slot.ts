import calculateSlot from 'cluster-key-slot';

/** Number of hash slots of a Redis Cluster. */
export const CLUSTER_SLOTS = 16384;

/**
 * The cluster slot of a key, as ioredis routes it and `CLUSTER KEYSLOT` computes it: CRC16/XMODEM of the
 * first non-empty `{…}` hash tag (else of the whole key) mod 16384, by cluster-key-slot.
 */
export function keySlot(key: string): number {
  return calculateSlot(key);
}
