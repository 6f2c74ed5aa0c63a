import { createRemoteDriver } from '../run/driver/remote/driver.ts';
import { parseRemoteTarget } from '../run/driver/remote/remote-target.ts';
import { interruptibly } from '../run/interruptibly.ts';
import { seconds } from '../text/format.ts';
import { type CompareFlags, resolveCompareSettings } from './compare-settings.ts';
import { formatSummary } from './compare-summary.ts';
import { type CompareOutput, runCompare } from './run-compare.ts';

/** Where a command prints its results (stdout by default). */
export type Print = (text: string) => void;

const stdout: Print = (text) => process.stdout.write(text);

/**
 * `cachelab compare`: compares topologies (default: the catalog, full length, native driver), prints
 * the summary table, and writes results.json, report.md and report.html.
 */
export async function compareCommand(
  flags: CompareFlags,
  print: Print = stdout,
): Promise<CompareOutput> {
  const settings = resolveCompareSettings(flags);
  const driver = settings.remote
    ? createRemoteDriver(parseRemoteTarget(settings.remote))
    : undefined;
  const out = await interruptibly('stopping after the current topology is down', (signal) =>
    runCompare({ settings, signal, ...(driver ? { driver } : {}) }),
  );
  print(formatSummary(out.results));
  print(`results: ${out.resultsPath}\nreport:  ${out.report.markdownPath}\n`);
  return out;
}

/**
 * `cachelab demo`: a quick comparison of the whole catalog under read-heavy (under 5 minutes on
 * 2 cores), ending with the path of report.html; any compare flag given wins over those two.
 */
export async function demoCommand(
  flags: CompareFlags,
  print: Print = stdout,
): Promise<CompareOutput> {
  const started = performance.now();
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  // same-az by default: on loopback every hop is tens of µs and the cache tiers cannot be told apart.
  const defaults: CompareFlags = { quick: true, workload: 'read-heavy', network: 'same-az' };
  const out = await compareCommand({ ...defaults, ...given }, print);
  const took = seconds((performance.now() - started) / 1000, 0);
  print(`demo finished in ${took}; open the report:\n${out.report.htmlPath}\n`);
  return out;
}
