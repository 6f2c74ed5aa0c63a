import { describe, expect, it } from 'vitest';
import { COMPOSE_PATHS } from '../../../render/compose/compose-types.ts';
import { getTopology } from '../../../topology/catalog.ts';
import { withNetwork } from '../../../topology/network-proxies.ts';
import { refuseFractionalForToxiproxy } from './network-setup.ts';
import { filesOf, isProxied } from './plan.ts';

const global = getTopology('global');

describe('compose under a network profile', () => {
  it('adds the network overlay after the topology overlay, before the offline override', () => {
    expect(isProxied(global)).toBe(false);
    expect(isProxied(withNetwork(global, { profile: 'lan' }))).toBe(true);
    expect(filesOf('global', true, true)).toEqual([
      COMPOSE_PATHS.base,
      COMPOSE_PATHS.overlay('global'),
      COMPOSE_PATHS.network('global'),
      COMPOSE_PATHS.offline,
    ]);
    expect(filesOf('global', false)).not.toContain(COMPOSE_PATHS.network('global'));
  });

  it('refuses sub-millisecond latency for the real toxiproxy, naming the hops', () => {
    for (const profile of ['lan', 'same-az', 'cross-az'] as const) {
      expect(() => refuseFractionalForToxiproxy(withNetwork(global, { profile }))).toThrow(
        /whole milliseconds only/,
      );
    }
    expect(() => refuseFractionalForToxiproxy(withNetwork(global, { profile: 'same-az' }))).toThrow(
      /nginx-app 0.5 ms/,
    );
  });

  it('accepts whole-millisecond hops', () => {
    const whole = { rttMs: 2, jitterMs: 0 };
    const network = {
      profile: 'cross-az' as const,
      hops: { 'nginx-app': whole, 'app-redis': whole, 'app-postgres': { rttMs: 1, jitterMs: 1 } },
    };
    expect(() => refuseFractionalForToxiproxy(withNetwork(global, network))).not.toThrow();
    expect(() => refuseFractionalForToxiproxy(global)).not.toThrow();
  });
});
