import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressListener } from '../run/driver/driver-types.ts';
import { seconds } from '../text/format.ts';

/** A progress listener that can be finished (restoring the terminal) once the work ends. */
export interface ProgressPrinter {
  listener: ProgressListener;
  /** Stops the bar; call in `finally`. */
  finish(): void;
}

function took(ms: number | undefined): string {
  return ms === undefined ? '' : ` (${seconds(ms / 1000)})`;
}

/** Plain lines, one per finished step: for logs, CI and any stream that is not a terminal. */
function linePrinter(stream: NodeJS.WriteStream): ProgressPrinter {
  const listener = (event: ProgressEvent): void => {
    if (event.phase === 'done') {
      stream.write(`[${event.step}/${event.total}] ${event.label}${took(event.ms)}\n`);
    }
  };
  return { listener, finish: () => {} };
}

/** A cli-progress bar naming the current step, on a terminal. */
function barPrinter(stream: NodeJS.WriteStream): ProgressPrinter {
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {value}/{total} {step}', stream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const listener = (event: ProgressEvent): void => {
    if (!started) {
      bar.start(event.total, 0, { step: event.label });
      started = true;
    }
    const value = event.phase === 'done' ? event.step : event.step - 1;
    const label = event.phase === 'done' ? `${event.label}${took(event.ms)}` : `${event.label}…`;
    bar.update(value, { step: label });
  };
  const finish = (): void => {
    if (started) bar.stop();
  };
  return { listener, finish };
}

/** A progress bar on a terminal, plain step lines otherwise; both on `stream` (stderr by default). */
export function createProgressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
): ProgressPrinter {
  return stream.isTTY ? barPrinter(stream) : linePrinter(stream);
}
