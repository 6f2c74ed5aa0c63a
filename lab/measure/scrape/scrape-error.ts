/** Which server-side source a scrape failed on. */
export type ScrapeSource = 'app' | 'invalidator' | 'redis' | 'postgres' | 'version';

/** A server-side figure could not be read; `cause` keeps the underlying failure. */
export class ScrapeError extends Error {
  readonly source: ScrapeSource;

  constructor(source: ScrapeSource, message: string, cause?: unknown) {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    super(`${message}${detail}`, { cause });
    this.name = 'ScrapeError';
    this.source = source;
  }
}
