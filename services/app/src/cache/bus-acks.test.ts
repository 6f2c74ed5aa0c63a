import { describe, expect, it } from 'vitest';
import { decodeBusMessage, encodeBusMessage, PendingAcks } from './bus-acks.ts';

describe('bus messages', () => {
  it('round-trips a key with and without an acknowledgement request', () => {
    const ack = { reply: 'cachelab:invalidate:ack:abc', seq: '42' };
    expect(decodeBusMessage(encodeBusMessage({ key: 'profile:7', ack }))).toEqual({
      key: 'profile:7',
      ack,
    });
    expect(encodeBusMessage({ key: 'profile:7' })).toBe('profile:7');
    expect(decodeBusMessage('profile:7')).toEqual({ key: 'profile:7' });
  });

  it('reads a key holding spaces or colons whole, and a malformed request as a bare key', () => {
    const ack = { reply: 'r', seq: '1' };
    expect(decodeBusMessage(encodeBusMessage({ key: 'a b:c', ack })).key).toBe('a b:c');
    expect(decodeBusMessage('\u0001r\u00011')).toEqual({ key: '\u0001r\u00011' });
  });
});

describe('PendingAcks', () => {
  it('confirms once as many acknowledgements as expected arrived, counting early ones', async () => {
    const acks = new PendingAcks();
    const message = acks.open();
    acks.received(message.seq);
    const confirmed = message.confirmed(2, 1_000);
    acks.received(message.seq);
    expect(await confirmed).toBe(true);
    expect(acks.size).toBe(0);
  });

  it('gives up at the deadline, and ignores acknowledgements that come after', async () => {
    const acks = new PendingAcks();
    const message = acks.open();
    acks.received(message.seq);
    expect(await message.confirmed(3, 20)).toBe(false);
    acks.received(message.seq);
    expect(acks.size).toBe(0);
  });

  it('confirms at once when no subscriber was expected, and forgets a cancelled message', async () => {
    const acks = new PendingAcks();
    expect(await acks.open().confirmed(0, 1_000)).toBe(true);
    const cancelled = acks.open();
    cancelled.cancel();
    expect(acks.size).toBe(0);
    expect(acks.open().seq).not.toBe(cancelled.seq);
  });
});
