import { LabError } from '../../lab-errors.ts';
import type { LifecycleOutcome } from '../../run/driver/lifecycle-types.ts';
import { HOPS, hopDelays, latencyToxics } from '../../topology/network.ts';
import { networkOf } from '../../topology/network-proxies.ts';
import type { ActionContext, ScenarioAction } from './scenario-action.ts';

/** Toxic names of the extra latency, apart from the profile's own `latency_*` toxics. */
const EXTRA = (stream: string): string => `degrade_${stream}`;

function extraDelays(ctx: ActionContext, profile: Parameters<typeof hopDelays>[0]['profile']) {
  const now = hopDelays(networkOf(ctx.lab.topology));
  const target = hopDelays({ profile });
  return HOPS.map((hop) => ({
    hop,
    rttMs: Math.max(0, target[hop].rttMs - now[hop].rttMs),
    jitterMs: Math.max(0, target[hop].jitterMs - now[hop].jitterMs),
  }));
}

/**
 * The network turns into another profile mid-run (e.g. same-az → cross-az): the difference of round
 * trip is added as latency toxics on every hop's proxies. Rolled back by removing them.
 */
export const changeNetwork: ScenarioAction<'change-network'> = {
  kind: 'change-network',
  describe: (spec) => `network becomes ${spec.profile}`,
  run: async (ctx, spec): Promise<LifecycleOutcome> => {
    const extra = extraDelays(ctx, spec.profile).filter((d) => d.rttMs > 0);
    if (extra.length === 0) {
      throw new LabError('ACTION_FAILED', `the network is already at least ${spec.profile}`);
    }
    for (const d of extra) {
      for (const toxic of latencyToxics(d)) {
        const name = EXTRA(toxic.stream);
        await ctx.driver.applyToxic(ctx.lab, d.hop, { ...toxic, name });
      }
    }
    const added = extra.map((d) => `${d.hop} +${d.rttMs} ms`).join(', ');
    return { service: 'network', detail: `${spec.profile}: ${added}` };
  },
  rollback: (ctx) => ({
    label: 'network back to its profile',
    run: async () => {
      for (const hop of HOPS) {
        for (const stream of ['upstream', 'downstream']) {
          await ctx.driver.removeToxic(ctx.lab, hop, EXTRA(stream));
        }
      }
    },
  }),
};
