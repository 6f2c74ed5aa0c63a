import { describe, expect, it } from 'vitest';
import { CLUSTER_SLOTS, keySlot } from './key-slot.ts';

describe('keySlot (CRC16/XMODEM mod 16384, as Redis Cluster)', () => {
  it('matches the CRC16 check value 0x31C3 for "123456789" (below 16384, so it is the slot)', () => {
    expect(keySlot('123456789')).toBe(0x31c3);
    expect(keySlot('123456789')).toBe(12739);
  });

  it('gives the slots the Redis documentation shows for CLUSTER KEYSLOT', () => {
    expect(keySlot('somekey')).toBe(11058);
    expect(keySlot('foo{hash_tag}')).toBe(2515);
    expect(keySlot('bar{hash_tag}')).toBe(2515);
  });

  it('hashes only the first non-empty hash tag', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot('profile:42')).not.toBe(keySlot('42'));
  });

  it('keeps every slot in 0..16383', () => {
    for (let id = 1; id <= 2000; id++) {
      const slot = keySlot(`profile:${id}`);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(slot).toBeLessThan(CLUSTER_SLOTS);
    }
  });
});
