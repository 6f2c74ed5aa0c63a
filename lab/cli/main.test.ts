import { Command, CommanderError } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { registerBenchCommand } from './commands/register-bench.ts';
import { registerCompareCommand } from './commands/register-compare.ts';
import { registerDemoCommand } from './commands/register-demo.ts';
import { registerDiffCommand } from './commands/register-diff.ts';
import { registerSimulateCommand } from './commands/register-simulate.ts';
import { buildProgram } from './main.ts';

/** A program whose help and errors go to `out` and which throws instead of exiting. */
function quietProgram(out: string[] = []): Command {
  return new Command('cachelab')
    .exitOverride()
    .configureOutput({ writeOut: (t) => out.push(t), writeErr: (t) => out.push(t) });
}

/** Parses `args` and returns what the command's action received. */
async function parsed<T>(
  register: (program: Command, run: (value: T) => Promise<unknown>) => void,
  args: string[],
): Promise<T> {
  const program = quietProgram();
  const seen: T[] = [];
  register(program, async (value) => {
    seen.push(value);
  });
  await program.parseAsync(args, { from: 'user' });
  expect(seen).toHaveLength(1);
  return seen[0] as T;
}

/** The CommanderError (or other error) thrown by parsing `args`, and what was printed. */
async function refused(
  register: (program: Command) => void,
  args: string[],
): Promise<{ error: unknown; text: string }> {
  const out: string[] = [];
  const program = quietProgram(out);
  register(program);
  const error = await program.parseAsync(args, { from: 'user' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, text: out.join('') };
}

const COMMANDS = [
  'list',
  'up',
  'status',
  'logs',
  'down',
  'load',
  'compare',
  'demo',
  'diff',
  'bench',
  'bench-aggregate',
  'simulate',
];

describe('cachelab <command> --help', () => {
  it('every command prints its usage and each of its options, and exits 0', async () => {
    const names = buildProgram().commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(COMMANDS));
    for (const name of names) {
      const out: string[] = [];
      const program = buildProgram({ writeOut: (t) => out.push(t), writeErr: (t) => out.push(t) });
      const error = await program.parseAsync([name, '--help'], { from: 'user' }).catch((e) => e);
      expect(error, name).toBeInstanceOf(CommanderError);
      expect((error as CommanderError).exitCode, name).toBe(0);
      const text = out.join('');
      expect(text, name).toContain(`Usage: cachelab ${name}`);
      const command = program.commands.find((c) => c.name() === name);
      for (const option of command?.options ?? []) expect(text, name).toContain(option.flags);
    }
  });
});

describe('typed options', () => {
  it('compare: lists, numbers, durations and the driver, undefined where not given', async () => {
    const flags = await parsed(registerCompareCommand, [
      'compare',
      '--topologies',
      'local, global,',
      '--rate',
      '120',
      '--warmup',
      '0',
      '--duration',
      '2m',
      '--driver',
      'compose',
      '--quick',
    ]);
    expect(flags).toEqual({
      topologies: ['local', 'global'],
      rate: 120,
      warmupSec: 0,
      durationSec: 120,
      driver: 'compose',
      quick: true,
      workload: undefined,
      seedUsers: undefined,
      seed: undefined,
      maxLagP99Ms: undefined,
      resultsDir: undefined,
    });
  });

  it('demo takes the compare options', async () => {
    const flags = await parsed(registerDemoCommand, ['demo', '--workload', 'hot-key']);
    expect(flags.workload).toBe('hot-key');
  });

  it('diff: two runs and its switches', async () => {
    expect(await parsed(registerDiffCommand, ['diff', 'a', 'b', '--changed-only'])).toEqual({
      runA: 'a',
      runB: 'b',
      resultsDir: 'results',
      changedOnly: true,
      failOnRegression: false,
    });
  });

  it('bench: every part with 10,000 users by default; --only repeated or comma-separated', async () => {
    expect(await parsed(registerBenchCommand, ['bench'])).toEqual({
      quick: false,
      parts: ['ladder', 'ceilings', 'peer'],
      seedUsers: 10_000,
      profile: false,
    });
    const options = await parsed(registerBenchCommand, [
      'bench',
      '--quick',
      '--profile',
      '--seed-users',
      '500',
      '--only',
      'peer,ladder',
    ]);
    expect(options).toEqual({
      quick: true,
      parts: ['ladder', 'peer'],
      seedUsers: 500,
      profile: true,
    });
    const repeated = await parsed(registerBenchCommand, [
      'bench',
      '--only',
      'ceilings',
      '--only',
      'peer',
    ]);
    expect(repeated.parts).toEqual(['ceilings', 'peer']);
    const settings = await parsed(registerBenchCommand, ['bench', '--only', 'nginx-settings']);
    expect(settings.parts).toEqual(['nginx-settings']);
  });

  it('simulate: numbers and lists', async () => {
    const flags = await parsed(registerSimulateCommand, [
      'simulate',
      '--keys',
      '5000',
      '--servers',
      '1,3',
      '--warmup',
      '0',
      '--out',
      'x.json',
    ]);
    expect(flags).toEqual({ keys: 5000, servers: [1, 3], warmup: 0, out: 'x.json' });
  });

  it('compare --repeat and simulate --l1-ttl-requests', async () => {
    expect((await parsed(registerCompareCommand, ['compare', '--repeat', '5'])).repeat).toBe(5);
    const flags = await parsed(registerSimulateCommand, ['simulate', '--l1-ttl-requests', '0']);
    expect(flags).toEqual({ l1TtlRequests: 0 });
  });
});

describe('usage errors', () => {
  it('name the option and the bad value, before anything runs', async () => {
    const cases: [(program: Command) => void, string[], RegExp][] = [
      [registerBenchCommand, ['bench', '--only', 'disk'], /'--only <parts>' argument 'disk'/],
      [registerBenchCommand, ['bench', '--seed-users', '0'], /--seed-users/],
      [registerBenchCommand, ['bench', '--fast'], /unknown option '--fast'/],
      [registerSimulateCommand, ['simulate', '--keys', 'ten'], /--keys/],
      [registerSimulateCommand, ['simulate', '--workload', 'nope'], /unknown workload 'nope'/],
      [registerSimulateCommand, ['simulate', '--servers', '0'], /--servers/],
      [registerCompareCommand, ['compare', '--rate', '-1'], /--rate/],
      [registerCompareCommand, ['compare', '--topologies', 'nope'], /unknown topology 'nope'/],
      [registerCompareCommand, ['compare', '--driver', 'podman'], /expected one of native/],
      [registerCompareCommand, ['compare', '--repeat', '0'], /--repeat/],
      [registerDiffCommand, ['diff', 'a'], /missing required argument 'run-b'/],
      [registerDiffCommand, ['diff', 'a', 'b', 'c'], /too many arguments/],
    ];
    for (const [register, args, message] of cases) {
      const { error, text } = await refused(register, args);
      expect(error, args.join(' ')).toBeInstanceOf(CommanderError);
      expect(text, args.join(' ')).toMatch(message);
    }
  });
});
