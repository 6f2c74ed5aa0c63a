import { request } from 'undici';
import { parsePrometheusText, type Sample } from './prometheus-text.ts';
import { ScrapeError, type ScrapeSource } from './scrape-error.ts';

/** GETs `<url>/metrics` of `server` and parses it; a failure or a non-200 is a ScrapeError of `source`. */
export async function fetchMetrics(
  source: ScrapeSource,
  server: string,
  url: string,
  timeoutMs: number,
): Promise<Sample[]> {
  try {
    const response = await request(`${url}/metrics`, {
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const body = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
    return parsePrometheusText(body);
  } catch (error) {
    throw new ScrapeError(
      source,
      `could not scrape ${server} (${url}/metrics, timeout ${timeoutMs} ms)`,
      error,
    );
  }
}
