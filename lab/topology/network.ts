import { z } from 'zod';
import { LabError } from '../lab-errors.ts';

/** The named network profiles: how far apart the lab's services are, as round-trip time per hop. */
export const NETWORK_PROFILES = {
  /** No proxy at all: every hop is the kernel's loopback (tens of µs). */
  loopback: { rttMs: 0, jitterMs: 0 },
  /** One switch away inside a rack or LAN. */
  lan: { rttMs: 0.1, jitterMs: 0.01 },
  /** Two hosts of one availability zone. */
  'same-az': { rttMs: 0.5, jitterMs: 0.05 },
  /** Two availability zones of one region. */
  'cross-az': { rttMs: 2, jitterMs: 0.2 },
} as const satisfies Record<string, HopDelay>;

/** A profile name. */
export type NetworkProfile = keyof typeof NETWORK_PROFILES;

/** Every profile name, in order of distance. */
export const NETWORK_PROFILE_NAMES = Object.keys(NETWORK_PROFILES) as NetworkProfile[];

/** The network hops a proxy can sit on. `app-redis` covers every Redis node and the invalidation bus. */
export const HOPS = ['nginx-app', 'app-redis', 'app-postgres'] as const;

/** One hop. */
export type Hop = (typeof HOPS)[number];

/** Added round trip of one hop and its jitter (ms). */
export interface HopDelay {
  rttMs: number;
  jitterMs: number;
}

/** The network of a topology: a profile, and per-hop overrides of its round trip. */
export interface NetworkSettings {
  profile: NetworkProfile;
  hops?: Partial<Record<Hop, HopDelay>>;
}

const delay = z.object({
  rttMs: z.number().min(0).max(1_000),
  jitterMs: z.number().min(0).max(1_000),
});

/** The zod schema of NetworkSettings. */
export const networkSchema = z.object({
  profile: z.enum(NETWORK_PROFILE_NAMES as [NetworkProfile, ...NetworkProfile[]]),
  hops: z
    .object({ 'nginx-app': delay, 'app-redis': delay, 'app-postgres': delay })
    .partial()
    .optional(),
});

/** The network every catalog topology has unless told otherwise: today's loopback. */
export const LOOPBACK: NetworkSettings = { profile: 'loopback' };

/** Parses a `--network` value; USAGE listing the profiles when it is not one. */
export function parseNetworkProfile(value: string): NetworkProfile {
  if ((NETWORK_PROFILE_NAMES as string[]).includes(value)) return value as NetworkProfile;
  throw new LabError(
    'USAGE',
    `unknown network profile '${value}'; profiles: ${NETWORK_PROFILE_NAMES.join(', ')}`,
  );
}

/**
 * Parses a `--hop` override, `HOP=RTT[/JITTER]` in ms (e.g. `app-redis=1` or `nginx-app=0.3/0.03`;
 * jitter 0 when left out); USAGE naming the hops when it is not one.
 */
export function parseHopOverride(value: string): [Hop, HopDelay] {
  const match = /^([a-z-]+)=(\d+(?:\.\d+)?)(?:\/(\d+(?:\.\d+)?))?$/.exec(value.trim());
  const hop = match?.[1] as Hop | undefined;
  const parsed = delay.safeParse({ rttMs: Number(match?.[2]), jitterMs: Number(match?.[3] ?? 0) });
  if (!match || !hop || !HOPS.includes(hop) || !parsed.success) {
    throw new LabError(
      'USAGE',
      `bad hop override '${value}': expected HOP=RTT_MS[/JITTER_MS] (0–1000) with HOP one of ${HOPS.join(', ')}`,
    );
  }
  return [hop, parsed.data];
}

/** The round trip each hop adds under `settings` (the profile's, unless overridden). */
export function hopDelays(settings: NetworkSettings): Record<Hop, HopDelay> {
  const base = NETWORK_PROFILES[settings.profile];
  const of = (hop: Hop): HopDelay => ({ ...base, ...settings.hops?.[hop] });
  return {
    'nginx-app': of('nginx-app'),
    'app-redis': of('app-redis'),
    'app-postgres': of('app-postgres'),
  };
}

/** True when some hop adds delay, i.e. the drivers must put a fault proxy on the hops. */
export function needsProxies(settings: NetworkSettings): boolean {
  return Object.values(hopDelays(settings)).some((d) => d.rttMs > 0 || d.jitterMs > 0);
}

/** A toxiproxy latency toxic body. */
export interface LatencyToxic {
  name: string;
  type: 'latency';
  stream: 'upstream' | 'downstream';
  toxicity: 1;
  attributes: { latency: number; jitter: number };
}

/**
 * The latency toxic of one hop: the whole round trip on the replies (downstream). A request/response
 * exchange pays it once, as on a wire with half each way, and the proxy schedules one delay per
 * exchange instead of two; the TCP handshake is not delayed.
 */
export function latencyToxics(delayOfHop: HopDelay): LatencyToxic[] {
  return [
    {
      name: 'latency_downstream',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: delayOfHop.rttMs, jitter: delayOfHop.jitterMs },
    },
  ];
}

/** Name of the proxy in front of the fault proxy's own API, through which its own round trip is measured. */
export const OVERHEAD_PROBE_PROXY = 'overhead-probe';

/**
 * `toxic` less the fault proxy's own forwarding round trip (`overheadMs`, measured when the lab comes
 * up): the profile's value is what the hop adds in all, so the proxy's share is not paid twice.
 */
export function compensated(toxic: LatencyToxic, overheadMs: number): LatencyToxic {
  const latency = Math.max(0, toxic.attributes.latency - overheadMs);
  return {
    ...toxic,
    attributes: { ...toxic.attributes, latency: Math.round(latency * 1000) / 1000 },
  };
}

/** One line for progress and reports: "same-az (nginx→app 0.5 ms, app→redis 0.5 ms, app→postgres 0.5 ms)". */
export function describeNetwork(settings: NetworkSettings): string {
  if (!needsProxies(settings)) return settings.profile;
  const hops = Object.entries(hopDelays(settings))
    .map(([hop, d]) => `${hop.replace('-', '→')} ${d.rttMs} ms`)
    .join(', ');
  return `${settings.profile} (${hops})`;
}
