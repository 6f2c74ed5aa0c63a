import { NETWORK_PROFILES, type NetworkProfile } from '../../topology/network.ts';
import { calibrateNetwork, type NetCalibration } from './calibrate.ts';

/** Flags of `cachelab net calibrate`. */
export interface CalibrateFlags {
  network?: NetworkProfile;
  samples?: number;
}

const us = (ms: number): string => `${Math.round(ms * 1000)} µs`;

/** The calibration as printed lines: one per hop with its verdict, then the proxy's CPU cost. */
export function formatCalibration(c: NetCalibration): string {
  const lines = c.hops.map((h) => {
    const verdict = h.withinTolerance ? 'within' : 'OUTSIDE';
    return (
      `  ${h.hop.padEnd(13)} ${h.probe.padEnd(18)} configured ${us(h.configuredRttMs).padStart(8)}` +
      `  added p50 ${us(h.addedP50Ms).padStart(8)}  p99 ${us(h.addedP99Ms).padStart(8)}` +
      `  — ${verdict} ±${us(h.toleranceMs)}`
    );
  });
  return [
    `network ${c.profile}: added round trip per hop (${c.samplesPerHop} samples each)`,
    ...lines,
    `  fault proxy's own round trip (subtracted from each toxic): ${us(c.proxyOverheadMs)}`,
    `  fault proxy CPU: ${c.proxyCpuUsPerMessage} µs per forwarded message`,
    `  ${c.note}`,
    '',
  ].join('\n');
}

/** Where the calibration is kept; returns the path written. */
export type SaveCalibration = (fileName: string, calibration: NetCalibration) => Promise<string>;

/** `cachelab net calibrate`: measures the profile's hops, prints them, saves net-calibration-<profile>.json. */
export async function calibrateCommand(
  flags: CalibrateFlags,
  save: SaveCalibration,
  print: (text: string) => void = (text) => void process.stdout.write(text),
): Promise<NetCalibration> {
  const profile = flags.network ?? 'same-az';
  print(`calibrating ${profile} (${NETWORK_PROFILES[profile].rttMs} ms per hop) …\n`);
  const calibration = await calibrateNetwork({ profile }, flags.samples ?? 500);
  const path = await save(`net-calibration-${profile}.json`, calibration);
  print(`${formatCalibration(calibration)}saved ${path}\n`);
  return calibration;
}
