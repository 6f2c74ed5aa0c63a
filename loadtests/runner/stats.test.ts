import { describe, expect, it } from 'vitest';
import { cacheLabelOf, MAX_SERVER_IDS, RunStats } from './stats.ts';

const response = (servedBy: string) =>
  ({ op: 'read', cache: 'HIT-L1', servedBy, status: 200, latencyUs: 100 }) as const;

describe('RunStats', () => {
  it('counts each server under one key however its name arrives, folding the excess into other', () => {
    const stats = new RunStats();
    for (let i = 0; i < MAX_SERVER_IDS + 6; i++) stats.recordResponse(response(`app-${i}`));
    // Names built afresh, as a parser hands them over: equal text, distinct strings.
    for (const name of ['app-0', `app-${MAX_SERVER_IDS - 1}`, `app-${MAX_SERVER_IDS + 2}`]) {
      stats.recordResponse(response(['app', name.slice(4)].join('-')));
    }
    expect(Object.keys(stats.servedBy)).toHaveLength(MAX_SERVER_IDS + 1);
    expect(stats.servedBy['app-0']).toBe(2);
    expect(stats.servedBy[`app-${MAX_SERVER_IDS - 1}`]).toBe(2);
    expect(stats.servedBy.other).toBe(7);
    expect(stats.requests.completed).toBe(MAX_SERVER_IDS + 9);
  });

  it('maps X-Cache values onto the bounded labels', () => {
    expect(['HIT-L1', 'MISS', '', undefined, 'hit-l1', 'SURPRISE'].map(cacheLabelOf)).toEqual([
      'HIT-L1',
      'MISS',
      'NONE',
      'NONE',
      'OTHER',
      'OTHER',
    ]);
  });
});
