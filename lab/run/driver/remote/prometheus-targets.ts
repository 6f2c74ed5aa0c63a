import { LabError } from '../../../lab-errors.ts';
import type { LabEndpoints } from '../driver-types.ts';

interface TargetsJson {
  status: string;
  data?: {
    activeTargets?: { scrapeUrl: string; health: string; labels: Record<string, string> }[];
  };
}

/**
 * The app servers a Prometheus scrapes (job or service label containing `app`), as scrape endpoints:
 * the harness reads their /metrics itself, so they must be reachable from where it runs.
 */
export async function appsFromPrometheus(
  prometheusUrl: string,
  timeoutMs = 5_000,
): Promise<LabEndpoints['apps']> {
  let body: TargetsJson;
  try {
    const res = await fetch(`${prometheusUrl}/api/v1/targets?state=active`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = (await res.json()) as TargetsJson;
  } catch (error) {
    throw new LabError('LOAD_FAILED', `cannot read the targets of Prometheus ${prometheusUrl}`, {
      cause: error,
    });
  }
  const isApp = (labels: Record<string, string>) =>
    /(^|[-_/])app($|[-_/])/.test(labels.job ?? labels.service ?? '');
  return (body.data?.activeTargets ?? [])
    .filter((t) => isApp(t.labels) && t.health === 'up')
    .map((t) => ({
      server: t.labels.pod ?? t.labels.instance ?? t.scrapeUrl,
      url: t.scrapeUrl.replace(/\/metrics$/, ''),
    }))
    .sort((a, b) => a.server.localeCompare(b.server, 'en', { numeric: true }));
}
