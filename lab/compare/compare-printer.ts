import cliProgress from 'cli-progress';
import type { RunProgress } from '../../loadtests/runner/options.ts';
import type { TopologyOutcome } from '../report/results-types.ts';
import type { ProgressEvent } from '../run/driver/driver-types.ts';
import { millis, number, percent } from '../text/format.ts';

/** Shows where a comparison is: which topology, which phase, and a line per finished topology. */
export interface ComparePrinter {
  topologyStart(index: number, count: number, name: string): void;
  phase(phase: 'up' | 'load' | 'down'): void;
  upStep(event: ProgressEvent): void;
  load(progress: RunProgress, totalSec: number): void;
  topologyDone(outcome: TopologyOutcome): void;
  /** A line outside the bar (warnings, notes). */
  line(text: string): void;
  finish(): void;
}

/** A printer that prints nothing (tests, embedding). */
export const silentPrinter: ComparePrinter = {
  topologyStart() {},
  phase() {},
  upStep() {},
  load() {},
  topologyDone() {},
  line() {},
  finish() {},
};

/** One line summing up a finished topology. */
export function outcomeLine(o: TopologyOutcome): string {
  const took = `${number(o.timings.totalSec, 1)} s`;
  if (o.status === 'failed') return `${o.topology}: FAILED in ${o.phase} after ${took}: ${o.error}`;
  const valid = o.valid ? '' : ' INVALID';
  return (
    `${o.topology}:${valid} ${number(o.achievedRps, 1)}/${number(o.offeredRps, 0)} req/s, ` +
    `p99 ${millis(o.latencyMs.p99)}, hit ${percent(o.hitRatio.overall)}, ` +
    `${number(o.dbQueriesPerRequest, 3)} DB q/req (up ${number(o.timings.upSec, 1)} s, ` +
    `load ${number(o.timings.loadSec, 1)} s, total ${took})`
  );
}

// Share of a topology's progress given to each phase: seeding dominates `up`.
const UP_SHARE = 40;
const LOAD_SHARE = 55;

/** A cli-progress bar (0–100 per topology) with finished topologies logged above it. */
function barPrinter(stream: NodeJS.WriteStream): ComparePrinter {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: '{bar} {topology} [{index}/{count}] {detail}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  let base = 0;
  let stopped = false;
  const update = (value: number, detail: string) => bar?.update(base + value, { detail });
  return {
    topologyStart(index, count, name) {
      bar ??= multi.create(count * 100, 0, { topology: name, index: index + 1, count, detail: '' });
      base = index * 100;
      bar.update(base, { topology: name, index: index + 1, detail: 'starting' });
    },
    phase: (phase) =>
      update(phase === 'down' ? UP_SHARE + LOAD_SHARE : phase === 'load' ? UP_SHARE : 0, phase),
    upStep: (e) => update(Math.round((UP_SHARE * (e.step - 1)) / e.total), `up: ${e.label}`),
    load(p, totalSec) {
      const share = Math.min(1, p.elapsedSec / totalSec);
      update(
        UP_SHARE + Math.round(LOAD_SHARE * share),
        `${p.phase} ${number(p.elapsedSec, 0)}/${totalSec} s, ${p.inFlight} in flight`,
      );
    },
    topologyDone: (o) => multi.log(`${outcomeLine(o)}\n`),
    line: (text) => (stopped ? stream.write(`${text}\n`) : multi.log(`${text}\n`)),
    finish: () => {
      stopped = true;
      // Flush lines logged since the last redraw (the last topology's) before the bar goes.
      multi.update();
      multi.stop();
      stream.write('\n');
    },
  };
}

/** Plain lines for logs and CI: one per phase and one per finished topology. */
function linePrinter(stream: NodeJS.WritableStream): ComparePrinter {
  let prefix = '';
  return {
    topologyStart(index, count, name) {
      prefix = `[${index + 1}/${count}] ${name}`;
    },
    phase: (phase) => stream.write(`${prefix}: ${phase}…\n`),
    upStep: () => {},
    load: () => {},
    topologyDone: (o) => stream.write(`${prefix.split(']')[0]}] ${outcomeLine(o)}\n`),
    line: (text) => stream.write(`${text}\n`),
    finish: () => {},
  };
}

/** A progress bar on a terminal, plain lines otherwise (stderr by default). */
export function createComparePrinter(stream: NodeJS.WriteStream = process.stderr): ComparePrinter {
  return stream.isTTY ? barPrinter(stream) : linePrinter(stream);
}
