import { describe, expect, it } from 'vitest';
import { annotationSamples } from './annotation-sink.ts';
import { encodeWriteRequest, snappyLiterals } from './remote-write.ts';

describe('snappyLiterals', () => {
  it('frames data as one literal per 64 KiB after the varint length', () => {
    const short = Uint8Array.from([1, 2, 3]);
    expect([...snappyLiterals(short)]).toEqual([3, 2 << 2, 1, 2, 3]);
    const mid = new Uint8Array(70).fill(7);
    expect([...snappyLiterals(mid).subarray(0, 3)]).toEqual([70, 60 << 2, 69]);
    const long = new Uint8Array(300).fill(9);
    expect([...snappyLiterals(long).subarray(0, 5)]).toEqual([0xac, 0x02, 61 << 2, 43, 1]);
    expect(snappyLiterals(long).length).toBe(2 + 3 + 300);
  });
});

describe('encodeWriteRequest', () => {
  it('encodes a WriteRequest with sorted labels, a double value and a varint timestamp', () => {
    const bytes = encodeWriteRequest([
      { labels: { b: 'y', __name__: 'm' }, value: 1, timestampMs: 300 },
    ]);
    const label = (n: string, v: string) => [
      0x0a,
      6,
      0x0a,
      1,
      n.charCodeAt(0),
      0x12,
      1,
      v.charCodeAt(0),
    ];
    const sample = [0x12, 12, 0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0xac, 0x02];
    const labels = [
      ...[0x0a, 13, 0x0a, 8, ...Buffer.from('__name__'), 0x12, 1, 'm'.charCodeAt(0)],
      ...label('b', 'y'),
    ];
    const series = [...labels, ...sample];
    expect([...bytes]).toEqual([0x0a, series.length, ...series]);
  });

  it('writes one bounded annotation series per action', () => {
    const [s] = annotationSamples({
      runId: 'global-abc',
      scenario: 'redis-kill',
      topology: 'global',
      action: 'kill',
      text: 'kill redis-1',
      atEpochMs: 1_700_000_000_123.4,
    });
    expect(s?.labels.__name__).toBe('cachelab_scenario_action');
    expect(s?.timestampMs).toBe(1_700_000_000_123);
  });
});
