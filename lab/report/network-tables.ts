import { millis } from '../text/format.ts';
import type { NetworkResult } from './network-schema.ts';
import type { ReportTable } from './report-model.ts';
import { type ComparisonResults, type MeasuredTopology, measuredOf } from './results-types.ts';

type Rung = 'HIT-L1' | 'HIT-L2' | 'MISS';
const RUNGS: readonly Rung[] = ['HIT-L1', 'HIT-L2', 'MISS'];
const RUNG_NAME: Record<Rung, string> = { 'HIT-L1': 'L1 hit', 'HIT-L2': 'L2 hit', MISS: 'miss' };

function p50Of(t: MeasuredTopology, rung: Rung): number | undefined {
  return t.latencyMsByCacheResult[rung]?.p50;
}

/**
 * The seed's ladder for one topology, from the rungs it has: "L1 hit 0.9 ms < L2 hit 1.6 ms (+0.7 ms)
 * < miss 3.2 ms (+1.6 ms)"; a rung slower than the next is called out.
 */
export function ladderVerdict(t: MeasuredTopology): { text: string; holds: boolean } {
  const present = RUNGS.flatMap((rung) => {
    const p50 = p50Of(t, rung);
    return p50 === undefined ? [] : [{ rung, p50 }];
  });
  if (present.length < 2) return { text: 'fewer than two cache results to compare', holds: true };
  let holds = true;
  const parts = present.map(({ rung, p50 }, i) => {
    const before = present[i - 1];
    if (!before) return `${RUNG_NAME[rung]} ${millis(p50)}`;
    const gap = p50 - before.p50;
    if (gap <= 0) holds = false;
    const sign = gap > 0 ? '<' : '≥';
    return `${sign} ${RUNG_NAME[rung]} ${millis(p50)} (${gap >= 0 ? '+' : '−'}${millis(Math.abs(gap))})`;
  });
  return { text: parts.join(' '), holds };
}

function calibrationTable(network: NetworkResult): ReportTable | undefined {
  const c = network.calibration;
  if (!c) return undefined;
  const within = c.hops.filter((h) => h.withinTolerance).length;
  const overhead =
    c.proxyOverheadMs === undefined
      ? ''
      : ` Its own round trip, ${Math.round(c.proxyOverheadMs * 1000)} µs, was subtracted from each latency toxic.`;
  return {
    id: 'network-calibration',
    title: `Network ${network.profile}: added round trip per hop, configured vs measured`,
    text:
      `${within} of ${c.hops.length} hops measured within tolerance (10 % or 50 µs) at p50; the ` +
      `fault proxy used ${c.proxyCpuUsPerMessage} µs of CPU per forwarded message.${overhead} ${c.note}`,
    table: {
      header: ['hop', 'probe', 'configured', 'added p50', 'added p99', 'direct p50', 'verdict'],
      rows: c.hops.map((h) => [
        h.hop,
        h.probe,
        millis(h.configuredRttMs),
        millis(h.addedP50Ms),
        millis(h.addedP99Ms),
        millis(h.directP50Ms),
        h.withinTolerance
          ? `within ±${millis(h.toleranceMs)}`
          : `outside ±${millis(h.toleranceMs)}`,
      ]),
    },
  };
}

function ladderTable(r: ComparisonResults, network: NetworkResult): ReportTable {
  const measured = measuredOf(r);
  const verdicts = measured.map((t) => ({ t, ...ladderVerdict(t) }));
  const held = verdicts.filter((v) => v.holds).length;
  const hops = network.hops;
  return {
    id: 'network-ladder',
    title: `Latency by cache result under ${network.profile}`,
    text:
      `Each hop adds nginx→app ${millis(hops['nginx-app'].rttMs)}, app→Redis ` +
      `${millis(hops['app-redis'].rttMs)}, app→Postgres ${millis(hops['app-postgres'].rttMs)} of ` +
      `round trip. The ladder L1 hit < L2 hit < miss holds in ${held} of ${measured.length} topologies.`,
    table: {
      header: ['topology', ...RUNGS.map((r) => `${RUNG_NAME[r]} p50`), 'verdict'],
      rows: verdicts.map(({ t, text }) => [
        t.topology,
        ...RUNGS.map((rung) => millis(p50Of(t, rung))),
        text,
      ]),
    },
  };
}

/** The report's network sections: the calibration (under a proxy profile) and the latency ladder. */
export function networkTables(r: ComparisonResults): ReportTable[] {
  if (!r.network) return [];
  const calibration = calibrationTable(r.network);
  return [...(calibration ? [calibration] : []), ladderTable(r, r.network)];
}
