import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LadderRow, loadLadder } from './ladder-rows.ts';
import { chartJsSource, renderHtml } from './render-html.ts';
import { renderMarkdown } from './render-markdown.ts';
import { buildReportModel, type ReportModel } from './report-model.ts';
import type { ComparisonResults } from './results-types.ts';

/** Where the report files were written. */
export interface WrittenReport {
  markdownPath: string;
  htmlPath: string;
  model: ReportModel;
}

async function ladderInput(path: string | undefined) {
  if (!path) return {};
  try {
    const ladder: LadderRow[] | undefined = await loadLadder(path);
    if (ladder) return { ladder };
    return { ladderNote: `No latency ladder: ${path} does not exist (run \`make bench\`).` };
  } catch (error) {
    return {
      ladderNote: `Latency ladder left out: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * Writes report.md and a self-contained report.html for `results` into `dir`; the latency ladder is
 * read from `ladderPath` when given and present.
 */
export async function writeReport(
  dir: string,
  results: ComparisonResults,
  options: { ladderPath?: string } = {},
): Promise<WrittenReport> {
  const model = buildReportModel(results, await ladderInput(options.ladderPath));
  const markdownPath = join(dir, 'report.md');
  const htmlPath = join(dir, 'report.html');
  await writeFile(markdownPath, renderMarkdown(model));
  await writeFile(htmlPath, renderHtml(model, await chartJsSource()));
  return { markdownPath, htmlPath, model };
}
