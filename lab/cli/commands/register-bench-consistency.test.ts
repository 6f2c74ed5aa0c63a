import { Command } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import type { ConsistencyBenchOptions } from '../../bench/consistency/consistency-bench-plan.ts';
import { registerBenchConsistencyCommand } from './register-bench-consistency.ts';

function program(out: string[], seen: ConsistencyBenchOptions[]): Command {
  const p = new Command('cachelab')
    .exitOverride()
    .configureOutput({ writeOut: (t) => out.push(t), writeErr: (t) => out.push(t) });
  registerBenchConsistencyCommand(p, async (options) => void seen.push(options));
  return p;
}

describe('bench-consistency options', () => {
  it('defaults to 100,000 reads at 400 req/s, every shared-cache topology, outbox+lease and delete', async () => {
    const seen: ConsistencyBenchOptions[] = [];
    await program([], seen).parseAsync(['bench-consistency'], { from: 'user' });
    expect(seen).toEqual([
      {
        reads: 100_000,
        rate: 400,
        topologies: ['global', 'global-cluster', 'global-sharded', 'two-tier'],
        modes: ['outbox+lease', 'delete'],
        failures: ['redis-kill', 'redis-restart', 'cluster-failover'],
        driver: undefined,
        out: undefined,
      },
    ]);
  });

  it('takes a shortened run, and refuses an unknown failure kind naming the valid ones', async () => {
    const seen: ConsistencyBenchOptions[] = [];
    const args = [
      'bench-consistency',
      '--reads',
      '5000',
      '--rate',
      '300',
      '--topologies',
      'global',
    ];
    await program([], seen).parseAsync([...args, '--failures', 'redis-kill'], { from: 'user' });
    expect(seen[0]).toMatchObject({
      reads: 5_000,
      rate: 300,
      topologies: ['global'],
      failures: ['redis-kill'],
    });
    const out: string[] = [];
    await expect(
      program(out, []).parseAsync(['bench-consistency', '--failures', 'meteor'], { from: 'user' }),
    ).rejects.toThrow();
    expect(out.join('')).toContain('redis-kill');
  });
});
