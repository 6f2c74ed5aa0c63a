import { InvalidArgumentError } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { resolveCompareSettings } from '../compare/compare-settings.ts';
import { consistencyList } from './option-parsers.ts';

describe('--consistency', () => {
  it('parses a list of modes and refuses an unknown one as a usage error naming the valid ones', () => {
    expect(consistencyList('ttl, delete,lease,outbox+lease')).toEqual([
      'ttl',
      'delete',
      'lease',
      'outbox+lease',
    ]);
    expect(() => consistencyList('ttl,eventual')).toThrow(InvalidArgumentError);
    expect(() => consistencyList('ttl,eventual')).toThrow(
      /unknown mode 'eventual'; valid: ttl, delete, lease, outbox, outbox\+lease/,
    );
  });

  it('is refused for a topology that cannot run a mode (lease needs a shared cache)', () => {
    const settings = resolveCompareSettings({
      topologies: ['global', 'two-tier'],
      consistency: ['delete', 'lease'],
    });
    expect(settings.consistency).toEqual(['delete', 'lease']);
    expect(() => resolveCompareSettings({ topologies: ['local'], consistency: ['lease'] })).toThrow(
      /--consistency lease cannot run on local/,
    );
  });
});
