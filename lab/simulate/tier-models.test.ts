import { describe, expect, it } from 'vitest';
import { OP_READ, OP_WRITE, type RecordedStream } from './stream.ts';
import { localModel, replay, roundRobin } from './tier-models.ts';

// Key 7 read on server 0 and 1, written through server 2, then read again on 0, 1 and 2.
const stream: RecordedStream = {
  ops: Uint8Array.from([OP_READ, OP_READ, OP_WRITE, OP_READ, OP_READ, OP_READ]),
  ids: Int32Array.from([7, 7, 7, 7, 7, 7]),
};

describe('localModel', () => {
  it('local-only: servers the write did not reach serve their old copy as a stale hit', () => {
    const c = replay(
      localModel(3, 10, roundRobin(3), { invalidation: 'local-only' }),
      stream,
      0,
      6,
    );
    // seq 3 → server 0 (stale), seq 4 → server 1 (stale), seq 5 → server 2 (miss, never held it).
    expect(c).toEqual({ reads: 5, writes: 1, l1Hits: 2, l2Hits: 0, dbReads: 3, staleReads: 2 });
  });

  it('local-only: the server that took the write refills a fresh copy', () => {
    const model = localModel(3, 10, roundRobin(3), { invalidation: 'local-only' });
    expect(model.read(0, 7)).toBe('db');
    model.write(3, 7);
    expect(model.read(6, 7)).toBe('db');
    expect(model.read(9, 7)).toBe('l1');
  });

  it('an entry expires ttlRequests after its fill, and a stale copy with it', () => {
    const model = localModel(2, 10, roundRobin(2), { invalidation: 'local-only', ttlRequests: 4 });
    expect(model.read(1, 7)).toBe('db');
    model.write(2, 7);
    expect(model.read(3, 7)).toBe('stale-l1');
    expect(model.read(5, 7)).toBe('db');
    expect(model.read(7, 7)).toBe('l1');
  });

  it('a copy made stale only by writes before staleCheckFrom is an unnoticed hit', () => {
    const options = { invalidation: 'local-only' as const, staleCheckFrom: 10 };
    const model = localModel(2, 10, roundRobin(2), options);
    expect(model.read(1, 7)).toBe('db');
    model.write(2, 7);
    expect(model.read(11, 7)).toBe('l1');
    model.write(12, 7);
    expect(model.read(13, 7)).toBe('stale-l1');
  });

  it('everywhere: every copy is dropped, so the reads after the write miss and none is stale', () => {
    const c = replay(localModel(3, 10, roundRobin(3)), stream, 0, 6);
    expect(c).toEqual({ reads: 5, writes: 1, l1Hits: 0, l2Hits: 0, dbReads: 5, staleReads: 0 });
  });
});
