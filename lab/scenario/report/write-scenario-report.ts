import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartJsSource } from '../../report/render-html.ts';
import {
  type ScenarioResults,
  scenarioResultsSchema,
} from '../../report/scenario-results-schema.ts';
import { renderScenarioHtml } from './scenario-html.ts';
import { renderScenarioMarkdown } from './scenario-markdown.ts';

/** Where a scenario report went. */
export interface WrittenScenarioReport {
  dir: string;
  resultsPath: string;
  markdownPath: string;
  htmlPath: string;
}

/** Validates the results against their schema, then writes results.json, report.md and report.html into `dir`. */
export async function writeScenarioReport(
  dir: string,
  results: ScenarioResults,
): Promise<WrittenScenarioReport> {
  const valid = scenarioResultsSchema.parse(results);
  await mkdir(dir, { recursive: true });
  const resultsPath = join(dir, 'results.json');
  const markdownPath = join(dir, 'report.md');
  const htmlPath = join(dir, 'report.html');
  await writeFile(resultsPath, `${JSON.stringify(valid, null, 2)}\n`);
  await writeFile(markdownPath, renderScenarioMarkdown(valid));
  await writeFile(htmlPath, renderScenarioHtml(valid, await chartJsSource()));
  return { dir, resultsPath, markdownPath, htmlPath };
}
