import { number, percent } from '../../text/format.ts';
import { renderSection, renderTable } from '../../text/table.ts';
import type { Share } from '../cpu-profile/cpu-profile.ts';
import type { ProfiledRun } from './l1-hit-cpu-profile.ts';

const shareOf = (list: readonly Share[], name: string): number =>
  list.find((entry) => entry.name === name)?.share ?? 0;

/** Share of busy time spent in the app's own code and its metrics library (self time). */
export function appOwnShare(run: ProfiledRun): number {
  return run.summary.selfByPlace
    .filter((entry) => entry.name.startsWith('app:') || entry.name === 'pkg:prom-client')
    .reduce((sum, entry) => sum + entry.share, 0);
}

const SERVER_COLUMNS = [
  { header: 'profiled server' },
  { header: 'req/s', right: true },
  { header: 'busy µs/req', right: true },
  { header: 'app code + prom-client', right: true },
];

function serverTable(runs: readonly ProfiledRun[]): string {
  const cells = runs.map((run) => [
    run.name,
    number(run.rps),
    run.busyUsPerRequest.toFixed(0),
    percent(appOwnShare(run)),
  ]);
  return renderTable(SERVER_COLUMNS, cells);
}

/** Self time by place, app and Express side by side (every place either one lists). */
function placeTable(app: ProfiledRun, express: ProfiledRun): string {
  const both = [...app.summary.selfByPlace, ...express.summary.selfByPlace];
  const cells = [...new Set(both.map((s) => s.name))].map((name) => [
    name,
    percent(shareOf(app.summary.selfByPlace, name)),
    percent(shareOf(express.summary.selfByPlace, name)),
  ]);
  const columns = [
    { header: 'self time by place (% of busy)' },
    { header: 'app', right: true },
    { header: 'Express', right: true },
  ];
  return renderTable(columns, cells);
}

/** Side-by-side self time by place, then the app's hottest functions. */
export function printProfiles(app: ProfiledRun, express: ProfiledRun): string {
  const hottest = renderTable(
    [{ header: 'app: hottest functions (self)' }, { header: '% of busy', right: true }],
    app.summary.selfByFunction.slice(0, 12).map((s) => [s.name, percent(s.share)]),
  );
  const notes = [
    `profiles: ${app.file}, ${express.file} (open in Chrome DevTools → Performance).`,
    'busy = sampled wall time the main thread was not idle; on a shared 2-core box it includes time spent descheduled.',
  ];
  const tables = [serverTable([app, express]), placeTable(app, express), hottest];
  const title = 'L1-hit path CPU profile (app vs bare Express, same load)';
  return renderSection(title, tables.join('\n\n'), notes);
}
