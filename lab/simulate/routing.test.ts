import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { profileKey } from '../../services/app/src/cache/keys.ts';
import {
  createKetamaRing,
  createKeySpace,
  ketamaOwners,
  moduloOwners,
  movedShare,
  nodeNames,
} from './routing.ts';

const space = createKeySpace(50_000);

describe('key routing', () => {
  it('ketama owners agree with hashring.get()', () => {
    const HashRing = createRequire(import.meta.url)('hashring') as new (
      servers: string[],
    ) => { get(key: string): string };
    const names = nodeNames('cache', 5);
    const ring = new HashRing(names);
    const owners = ketamaOwners(space, names);
    for (let id = 1; id <= 5_000; id++) {
      expect(names[owners[id] ?? -1]).toBe(ring.get(profileKey(id)));
    }
  });

  it('keeps 160 ring points per node at N = 7, where hashring 3.2.0 alone places 156', () => {
    const HashRing = createRequire(import.meta.url)('hashring') as new (
      servers: string[],
    ) => { size: number };
    expect(new HashRing(nodeNames('cache', 7)).size).toBe(7 * 156);
    expect(createKetamaRing(nodeNames('cache', 7)).ring).toHaveLength(7 * 160);
  });

  it('modulo hashing moves N/(N+1) of keys on add and (N−1)/N on remove (±0.02)', () => {
    for (const n of [2, 3, 4, 8, 16]) {
      const owners = moduloOwners(space, n);
      expect(movedShare(owners, moduloOwners(space, n + 1))).toBeCloseTo(n / (n + 1), 1);
      expect(Math.abs(movedShare(owners, moduloOwners(space, n + 1)) - n / (n + 1))).toBeLessThan(
        0.02,
      );
      expect(Math.abs(movedShare(owners, moduloOwners(space, n - 1)) - (n - 1) / n)).toBeLessThan(
        0.02,
      );
    }
  });

  // hashring places 40 vnodes × 4 replicas = 160 points per node, so a node's share of the ring has
  // a relative standard deviation of about 1/√160 ≈ 8%: we allow 3σ, ±25% of 1/(N+1).
  it('a ketama ring moves about 1/(N+1) of keys on add (±25% relative), all to the new node', () => {
    for (const n of [2, 3, 4, 6, 7, 8, 16]) {
      const before = ketamaOwners(space, nodeNames('cache', n));
      const after = ketamaOwners(space, nodeNames('cache', n + 1));
      const share = movedShare(before, after);
      expect(Math.abs(share - 1 / (n + 1)) / (1 / (n + 1))).toBeLessThan(0.25);
      for (let id = 1; id <= space.keyCount; id++) {
        if (before[id] !== after[id]) expect(after[id]).toBe(n);
      }
    }
  });

  it('a ketama ring moves only the removed node’s keys on remove (about 1/N, ±25% relative)', () => {
    for (const n of [2, 3, 4, 8, 16]) {
      const before = ketamaOwners(space, nodeNames('cache', n));
      const after = ketamaOwners(space, nodeNames('cache', n - 1));
      expect(Math.abs(movedShare(before, after) - 1 / n) / (1 / n)).toBeLessThan(0.25);
      for (let id = 1; id <= space.keyCount; id++) {
        if (before[id] !== after[id]) expect(before[id]).toBe(n - 1);
      }
    }
  });
});
