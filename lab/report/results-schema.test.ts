import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESULTS_SCHEMA_PATH } from './results-schema-file.ts';
import { parseComparisonResults, ResultsInvalidError, resultsJsonSchema } from './results-types.ts';
import { measuredFixture, resultsFixture } from './test-fixtures.ts';

describe('results.json schema', () => {
  it('is in sync with the committed results.schema.json', () => {
    const committed = JSON.parse(readFileSync(RESULTS_SCHEMA_PATH, 'utf8'));
    expect(committed).toEqual(resultsJsonSchema());
  });

  it('accepts a measured and a failed topology', () => {
    const failed = {
      topology: 'global-cluster',
      question: 'q',
      appServerCount: 3,
      cacheMode: 'global-cluster',
      redisLayout: 'cluster 3+3',
      loadBalancing: 'round-robin',
      status: 'failed' as const,
      phase: 'up' as const,
      error: 'boom',
      timings: { upSec: 1, loadSec: 0, downSec: 0, totalSec: 1 },
    };
    const results = resultsFixture([measuredFixture('local'), failed]);
    expect(parseComparisonResults(JSON.parse(JSON.stringify(results)))).toEqual(results);
  });

  it('rejects unknown fields, bad ratios and node labels with addresses', () => {
    const bad = resultsFixture([
      measuredFixture('local', {
        staleReadRate: 1.5,
        redisOpsPerNode: [
          {
            node: '127.0.0.1:6379',
            role: 'master',
            ops: 1,
            opsPerSec: 1,
            keyspaceHits: 0,
            keyspaceMisses: 0,
            keys: 0,
            commands: {},
          },
        ],
      }),
    ]);
    const withExtra = { ...bad, extra: true };
    expect(() => parseComparisonResults(withExtra, 'x.json')).toThrow(ResultsInvalidError);
    try {
      parseComparisonResults(withExtra, 'x.json');
    } catch (error) {
      const problems = (error as ResultsInvalidError).problems;
      expect(problems).toContain('staleReadRate');
      expect(problems).toContain('node');
      expect(problems).toContain('extra');
    }
  });
});
