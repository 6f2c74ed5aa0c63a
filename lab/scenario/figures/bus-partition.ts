import type { SecondPoint } from '../../../loadtests/runner/run-load.ts';
import type { ScenarioFigures } from '../../report/scenario-results-schema.ts';
import type { Scenario } from '../scenario-model.ts';
import type { ServerSample } from './server-sample.ts';

/** The bus-partition figure of a run (schema in lab/report/scenario-results-schema.ts). */
export type BusPartitionFigure = NonNullable<ScenarioFigures['busPartition']>;
type PhaseCounts = BusPartitionFigure['cutServer']['before'];

/** The cut of one server's bus in a timeline: its server, when it is cut and when it comes back. */
export interface BusCut {
  server: string;
  cutSec: number;
  restoredSec: number;
}

const BUS_HOP = /^bus-(app-\d+)$/;

/** The bus cut of `scenario` (a toxic on `bus-app-N`, then its removal), or undefined. */
export function busCutOf(scenario: Scenario): BusCut | undefined {
  const steps = scenario.timeline;
  const cut = steps.find((s) => s.action.kind === 'apply-toxic' && BUS_HOP.test(s.action.hop));
  if (cut?.action.kind !== 'apply-toxic') return undefined;
  const { hop, toxic } = cut.action;
  const back = steps.find(
    (s) => s.action.kind === 'remove-toxic' && s.action.hop === hop && s.action.name === toxic.name,
  );
  const server = BUS_HOP.exec(hop)?.[1];
  if (server === undefined || back === undefined) return undefined;
  return { server, cutSec: cut.atSec, restoredSec: back.atSec };
}

/** Reads, stale reads and the L1's share of the reads of `servers` over `points`. */
function countsOf(points: readonly SecondPoint[], servers: (name: string) => boolean): PhaseCounts {
  let reads = 0;
  let stale = 0;
  let l1 = 0;
  for (const p of points) {
    for (const [name, s] of Object.entries(p.servers)) {
      if (!servers(name)) continue;
      reads += Object.values(s.cache).reduce((a, b) => a + (b ?? 0), 0);
      l1 += s.cache['HIT-L1'] ?? 0;
      stale += s.staleReads;
    }
  }
  return { reads, staleReads: stale, l1Share: reads === 0 ? null : l1 / reads };
}

function phasesOf(
  points: readonly SecondPoint[],
  cut: BusCut,
  warmupSec: number,
  servers: (name: string) => boolean,
) {
  const within = (from: number, to: number) => points.filter((p) => p.t >= from && p.t < to);
  return {
    before: countsOf(within(warmupSec, cut.cutSec), servers),
    during: countsOf(within(cut.cutSec, cut.restoredSec), servers),
    after: countsOf(within(cut.restoredSec, Number.POSITIVE_INFINITY), servers),
  };
}

/** Seconds from `from` until the cut server's L1 share reaches `share` (null if it never does). */
function secondsUntilL1(
  points: readonly SecondPoint[],
  cut: BusCut,
  from: number,
  reached: (l1Share: number) => boolean,
): number | null {
  for (const p of points.filter((x) => x.t >= from)) {
    const { l1Share } = countsOf([p], (name) => name === cut.server);
    if (l1Share !== null && reached(l1Share)) return p.t - from;
  }
  return null;
}

const rate = (c: PhaseCounts): number => (c.reads === 0 ? 0 : c.staleReads / c.reads);

/** Mean bus messages received per second per server of `servers` over [from, to); null if unread. */
function receivedRate(
  samples: readonly ServerSample[],
  servers: (name: string) => boolean,
  from: number,
  to: number,
): number | null {
  const values = samples
    .filter((s) => s.t >= from && s.t < to)
    .flatMap((s) => Object.entries(s.apps).filter(([name]) => servers(name)))
    .flatMap(([, a]) => (a.receivedPerSec === null ? [] : [a.receivedPerSec]));
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function receivedOf(
  samples: readonly ServerSample[],
  cut: BusCut,
  warmupSec: number,
  servers: (name: string) => boolean,
) {
  return {
    before: receivedRate(samples, servers, warmupSec, cut.cutSec),
    during: receivedRate(samples, servers, cut.cutSec, cut.restoredSec),
    after: receivedRate(samples, servers, cut.restoredSec, Number.POSITIVE_INFINITY),
  };
}

function l1EntriesOf(samples: readonly ServerSample[], cut: BusCut) {
  const at = (t: number | undefined) =>
    samples.find((s) => s.t === t)?.apps[cut.server]?.l1Entries ?? null;
  return { beforeCut: at(cut.cutSec), atReturn: at(cut.restoredSec), end: at(samples.at(-1)?.t) };
}

/**
 * What one server's bus cut did. From the generator's per-server counts: the stale reads of the cut
 * server and of the others before, during and after the cut; how soon the cut server stopped
 * answering from its L1 (it noticed the cut); how soon after the bus returned its L1 answered at half
 * its baseline share again. From the servers' /metrics: its L1 entries (kept under outbox, cleared
 * under delete) and the bus messages each side received. It caught up when it hears the bus again
 * (when sampled), is back on its L1, and is no more stale than the others (or itself before).
 */
export function busPartitionFigure(
  run: { points: readonly SecondPoint[]; samples: readonly ServerSample[] },
  cut: BusCut,
  warmupSec: number,
): BusPartitionFigure {
  const { points, samples } = run;
  const isCut = (name: string) => name === cut.server;
  const isOther = (name: string) => name !== cut.server;
  const cutServer = phasesOf(points, cut, warmupSec, isCut);
  const otherServers = phasesOf(points, cut, warmupSec, isOther);
  const baseShare = cutServer.before.l1Share ?? 0;
  const l1OffAfterSec = secondsUntilL1(points, cut, cut.cutSec, (share) => share === 0);
  const l1BackAfterSec =
    baseShare === 0
      ? null
      : secondsUntilL1(points, cut, cut.restoredSec, (s) => s >= baseShare / 2);
  const received = {
    cutServer: receivedOf(samples, cut, warmupSec, isCut),
    otherServers: receivedOf(samples, cut, warmupSec, isOther),
  };
  const hears = received.cutServer.after === null || received.cutServer.after > 0;
  const staleBound = Math.max(rate(otherServers.after), rate(cutServer.before));
  return {
    ...cut,
    cutServer,
    otherServers,
    l1OffAfterSec,
    l1BackAfterSec,
    l1Entries: l1EntriesOf(samples, cut),
    received,
    caughtUp: hears && l1BackAfterSec !== null && rate(cutServer.after) <= staleBound,
  };
}
