import { Command } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import type { CapacityFlags } from '../../capacity/capacity-command.ts';
import type { PlanFlags } from '../../plan/plan-command.ts';
import { registerCapacityCommand } from './register-capacity.ts';
import { registerPlanCommand } from './register-plan.ts';

function program(out: string[]): Command {
  return new Command('cachelab')
    .exitOverride()
    .configureOutput({ writeOut: (t) => out.push(t), writeErr: (t) => out.push(t) });
}

async function parse<T>(
  register: (p: Command, run: (f: T) => Promise<unknown>) => void,
  args: string[],
) {
  const out: string[] = [];
  const seen: T[] = [];
  const p = program(out);
  register(p, async (f) => {
    seen.push(f);
  });
  const error = await p.parseAsync(args, { from: 'user' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { flags: seen[0], error, text: out.join('') };
}

describe('capacity and plan options', () => {
  it('parses the SLO, the network and the search bounds', async () => {
    const { flags } = await parse<CapacityFlags>(registerCapacityCommand, [
      'capacity',
      '--topologies',
      'local,global',
      '--slo',
      'p99=20ms,errors=1%',
      '--network',
      'same-az',
      '--max-steps',
      '6',
      '--repeat',
      '3',
    ]);
    expect(flags).toMatchObject({
      topologies: ['local', 'global'],
      slo: { latencyMs: { p99: 20 }, errorRate: 0.01 },
      network: 'same-az',
      maxSteps: 6,
      repeat: 3,
    });
  });

  it.each([
    [['capacity', '--slo', 'p99=soon'], /duration like 50ms/],
    [['capacity', '--network', 'moon'], /loopback, lan, same-az, cross-az/],
    [['capacity', '--topologies', 'nope'], /nope/],
    [['capacity', '--repeat', '0'], /1/],
    [['capacity', '--repeat', '21'], /20/],
    [['plan'], /--rps/],
    [['plan', '--rps', '-5'], /positive number/],
  ])('refuses %j with a usage message', async (args, message) => {
    const register = args[0] === 'plan' ? registerPlanCommand : registerCapacityCommand;
    const { flags, error, text } = await parse<unknown>(register as never, args);
    expect(flags).toBeUndefined();
    expect(error).toBeDefined();
    expect(text).toMatch(message);
  });

  it('passes the target rate and fleet sizes to plan', async () => {
    const { flags } = await parse<PlanFlags>(registerPlanCommand, [
      'plan',
      '--rps',
      '100000',
      '--servers',
      '3,16',
    ]);
    expect(flags).toMatchObject({ rps: 100_000, servers: [3, 16] });
  });
});
