import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import { profileKey } from '../../services/app/src/cache/keys.ts';
import { keySlot } from './key-slot.ts';

/** The subset of the `hashring` package (ketama-compatible ring) the simulator uses. */
export interface HashRingInstance {
  ring: { value: number; server: string }[];
  find(hashValue: number): number;
  hashValue(key: string): number;
}
type HashRingConstructor = new (
  servers: string[] | Record<string, { vnodes: number }>,
  algorithm?: string,
  options?: Record<string, number>,
) => HashRingInstance;

// hashring ships no types and @types/hashring is not installed: load it untyped and narrow here.
const HashRing = createRequire(import.meta.url)('hashring') as HashRingConstructor;

/** libketama's 40 vnodes per node (× 4 replicas = 160 ring points), hashring's default. */
export const KETAMA_VNODES = 40;

/**
 * A hashring ring over the named nodes with exactly 40 vnodes each. hashring 3.2.0 computes
 * floor(1/N · 40 · N), which is 39 for N = 7, 14, 28, 49, 56 (3rd-Eden/node-hashring#43), so keys
 * would move between surviving nodes; explicit vnodes with the default set to 0 keep 40 for every N,
 * at the same ring points as an unaffected ring.
 */
export function createKetamaRing(nodes: readonly string[]): HashRingInstance {
  const servers = Object.fromEntries(nodes.map((name) => [name, { vnodes: KETAMA_VNODES }]));
  return new HashRing(servers, 'md5', { 'vnode count': 0 });
}

/** Per-id hashes of the cache key `profile:<id>` for ids 1..keyCount (index 0 unused). */
export interface KeySpace {
  keyCount: number;
  /** hashring's ketama point of the key (first 4 bytes of MD5, little-endian). */
  ketama: Uint32Array;
  /** CRC32 of the key, the hash nginx's non-consistent `hash $key` takes modulo the servers. */
  crc32: Uint32Array;
  /** Redis Cluster slot of the key. */
  slot: Uint16Array;
}

let lastSpace: KeySpace | undefined;

/** Hashes every key of 1..keyCount once (reusing the last result), so routing tables are cheap. */
export function createKeySpace(keyCount: number): KeySpace {
  if (lastSpace?.keyCount === keyCount) return lastSpace;
  const probe = new HashRing(['probe']);
  const space: KeySpace = {
    keyCount,
    ketama: new Uint32Array(keyCount + 1),
    crc32: new Uint32Array(keyCount + 1),
    slot: new Uint16Array(keyCount + 1),
  };
  for (let id = 1; id <= keyCount; id++) {
    const key = profileKey(id);
    space.ketama[id] = probe.hashValue(key);
    space.crc32[id] = crc32(key);
    space.slot[id] = keySlot(key);
  }
  lastSpace = space;
  return space;
}

/** Owner node index (0-based) of every id for a ketama ring over the named nodes. */
export function ketamaOwners(space: KeySpace, nodeNames: readonly string[]): Int32Array {
  const ring = createKetamaRing(nodeNames);
  const index = new Map(nodeNames.map((name, i) => [name, i]));
  const owners = new Int32Array(space.keyCount + 1);
  for (let id = 1; id <= space.keyCount; id++) {
    const point = ring.ring[ring.find(space.ketama[id] ?? 0)];
    owners[id] = index.get(point?.server ?? '') ?? 0;
  }
  return owners;
}

/** Owner node index of every id under modulo hashing: crc32(key) mod nodes. */
export function moduloOwners(space: KeySpace, nodes: number): Int32Array {
  const owners = new Int32Array(space.keyCount + 1);
  for (let id = 1; id <= space.keyCount; id++) owners[id] = (space.crc32[id] ?? 0) % nodes;
  return owners;
}

/** Owner node index of every id given a slot → node table. */
export function slotOwners(space: KeySpace, slotTable: Int32Array): Int32Array {
  const owners = new Int32Array(space.keyCount + 1);
  for (let id = 1; id <= space.keyCount; id++) owners[id] = slotTable[space.slot[id] ?? 0] ?? 0;
  return owners;
}

/** Names of n nodes with a prefix: prefix-1 … prefix-n. */
export function nodeNames(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
}

/** Share of ids 1..keyCount whose owner differs between two tables. */
export function movedShare(before: Int32Array, after: Int32Array): number {
  let moved = 0;
  for (let id = 1; id < before.length; id++) if (before[id] !== after[id]) moved++;
  return moved / (before.length - 1);
}
