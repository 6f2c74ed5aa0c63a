import { Command } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import type { CalibrateFlags } from '../../measure/network/calibrate-command.ts';
import { registerNetCommand } from './register-net.ts';
import { registerUpCommand } from './register-up.ts';

function quietProgram(out: string[]): Command {
  return new Command('cachelab')
    .exitOverride()
    .configureOutput({ writeOut: (t) => out.push(t), writeErr: (t) => out.push(t) });
}

describe('--network options', () => {
  it('net calibrate takes a profile and a sample count', async () => {
    const seen: CalibrateFlags[] = [];
    const program = quietProgram([]);
    registerNetCommand(program, async (flags) => void seen.push(flags));
    await program.parseAsync(['net', 'calibrate', '--network', 'lan', '--samples', '50'], {
      from: 'user',
    });
    expect(seen).toEqual([{ network: 'lan', samples: 50 }]);
  });

  it('up takes repeatable --hop overrides; a bad one is a usage error naming the hops', async () => {
    const seen: unknown[] = [];
    const program = quietProgram([]);
    registerUpCommand(program, async (_name, flags) => void seen.push(flags.hops));
    const args = ['up', 'global', '--network', 'same-az', '--hop', 'app-redis=1'];
    await program.parseAsync([...args, '--hop', 'nginx-app=0.3/0.03'], { from: 'user' });
    expect(seen).toEqual([
      { 'app-redis': { rttMs: 1, jitterMs: 0 }, 'nginx-app': { rttMs: 0.3, jitterMs: 0.03 } },
    ]);
    const out: string[] = [];
    const refusing = quietProgram(out);
    registerUpCommand(refusing, async () => undefined);
    await expect(
      refusing.parseAsync(['up', 'global', '--hop', 'redis=1'], { from: 'user' }),
    ).rejects.toThrow();
    expect(out.join('')).toContain('nginx-app, app-redis, app-postgres');
  });

  it('up takes --network; an unknown profile is a usage error naming the profiles', async () => {
    const seen: unknown[] = [];
    const program = quietProgram([]);
    registerUpCommand(program, async (name, flags) => void seen.push([name, flags.network]));
    await program.parseAsync(['up', 'global', '--network', 'cross-az'], { from: 'user' });
    expect(seen).toEqual([['global', 'cross-az']]);
    const out: string[] = [];
    const refusing = quietProgram(out);
    registerNetCommand(refusing, async () => undefined);
    await expect(
      refusing.parseAsync(['net', 'calibrate', '--network', 'moon'], { from: 'user' }),
    ).rejects.toThrow();
    expect(out.join('')).toContain('expected one of loopback, lan, same-az, cross-az');
  });
});
