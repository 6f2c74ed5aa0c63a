// report.html from a real short comparison (no-cache and two-tier), opened in headless Chromium:
// every chart must draw, nothing may be fetched, and the console must stay clean.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentPrinter } from '../lab/compare/compare-printer.ts';
import { resolveCompareSettings } from '../lab/compare/compare-settings.ts';
import { readResults } from '../lab/compare/results-store.ts';
import { type CompareOutput, runCompare } from '../lab/compare/run-compare.ts';

const SCREENSHOT = resolve('test-output', 'report.png');

/** A latency ladder as `make bench` writes it, to draw that chart too (labelled as a fixture). */
const LADDER_FIXTURE = {
  rows: [
    { name: 'fixture: L1 get', p50Ms: 0.002, p99Ms: 0.01, quotedMs: 0.0001 },
    { name: 'fixture: Redis GET', p50Ms: 0.15, p99Ms: 0.4, quotedMs: 0.5 },
    { name: 'fixture: profile aggregate', p50Ms: 4, p99Ms: 9, quotedMs: null },
  ],
};

const silent = silentPrinter;

let root = '';
let out: CompareOutput;
let browser: Browser | undefined;
let page: Page;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cachelab-report-test-'));
  // Postgres runs as the postgres user when we are root: it must traverse the run folders.
  await chmod(root, 0o755);
  const resultsDir = join(root, 'results');
  await mkdir(join(resultsDir, 'bench'), { recursive: true });
  await writeFile(join(resultsDir, 'bench', 'latency-ladder.json'), JSON.stringify(LADDER_FIXTURE));
  const settings = resolveCompareSettings({
    quick: true,
    topologies: ['no-cache', 'two-tier'],
    seedUsers: 1_000,
    rate: 100,
    warmupSec: 2,
    durationSec: 4,
    maxLagP99Ms: 500,
    resultsDir,
  });
  out = await runCompare({ settings, runRoot: join(root, 'runs'), printer: silent });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) foreignRequests.push(r.url());
  });
  await page.goto(pathToFileURL(out.report.htmlPath).href, { waitUntil: 'load' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** The part of a browser canvas the check reads (the test compiles without DOM types). */
interface CanvasLike {
  width: number;
  height: number;
  dataset: Record<string, string | undefined>;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}

/** Per canvas: its chart id, whether the boot script drew it, and how many pixels are not blank. */
function canvasStates(p: Page) {
  return p.$$eval('canvas', (canvases) =>
    canvases.map((c) => {
      const canvas = c as unknown as CanvasLike;
      const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 3; pixels && i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) inked++;
      return {
        id: canvas.dataset.chart,
        rendered: canvas.dataset.rendered,
        inked,
        width: canvas.width,
      };
    }),
  );
}

describe('report.html in headless Chromium', () => {
  it('comes from a results.json that matches its schema', async () => {
    expect(await readResults(out.resultsPath)).toEqual(out.results);
    expect(out.results.topologies.map((t) => t.status)).toEqual(['ok', 'ok']);
  });

  it('draws every chart, the ladder and the simulation included', async () => {
    const states = await canvasStates(page);
    expect(states.map((s) => s.id)).toEqual(out.report.model.charts.map((c) => c.id));
    expect(states.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        'latency',
        'redis-ops',
        'latency-ladder',
        'sim-scale',
        'sim-resize-dip',
      ]),
    );
    for (const s of states) {
      expect(s.rendered, s.id).toBe('true');
      expect(s.width, s.id).toBeGreaterThan(300);
      expect(s.inked, s.id).toBeGreaterThan(2_000);
    }
  });

  it('shows a verdict under every chart and the calibration table', async () => {
    const verdicts = await page.$$eval('.chart-section .verdict', (ps) =>
      ps.map((p) => p.textContent ?? ''),
    );
    expect(verdicts).toHaveLength(out.report.model.charts.length);
    for (const v of verdicts) expect(v.length).toBeGreaterThan(20);
    expect(await page.locator('#section-calibration table').count()).toBe(1);
  });

  it('fetches nothing and logs no console error', () => {
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('keeps a full-page screenshot with the test output', async () => {
    await mkdir(resolve('test-output'), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(png.length).toBeGreaterThan(50_000);
  });
});
