import { describe, expect, it } from 'vitest';
import { CLUSTER_SLOTS, crc16, hashTagPart, keySlot } from './crc16.ts';

describe('crc16 (XMODEM, as Redis Cluster)', () => {
  it('matches the check value 0x31C3 for "123456789"', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x31c3);
    expect(keySlot('123456789')).toBe(12739);
  });

  it('gives the slots the Redis documentation shows for CLUSTER KEYSLOT', () => {
    expect(keySlot('somekey')).toBe(11058);
    expect(keySlot('foo{hash_tag}')).toBe(2515);
    expect(keySlot('bar{hash_tag}')).toBe(2515);
  });

  it('hashes only the first non-empty hash tag', () => {
    expect(hashTagPart('{user1000}.following')).toBe('user1000');
    expect(hashTagPart('foo{}{bar}')).toBe('foo{}{bar}');
    expect(hashTagPart('foo{{bar}}zap')).toBe('{bar');
    expect(hashTagPart('profile:42')).toBe('profile:42');
  });

  it('keeps every slot in 0..16383', () => {
    for (let id = 1; id <= 2000; id++) {
      const slot = keySlot(`profile:${id}`);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(slot).toBeLessThan(CLUSTER_SLOTS);
    }
  });
});
