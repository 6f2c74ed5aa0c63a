import type { ShareResult } from '../../../../loadtests/runner/share-run.ts';
import { LabError } from '../../../lab-errors.ts';

/** Prefix of the log lines a load replica prints its result on. */
export const SHARE_PREFIX = 'CACHELAB_SHARE';

/** Characters of base64 per line: well under Docker's 16 KiB log-line split. */
const CHUNK = 8_000;

/**
 * A share's result as log lines `CACHELAB_SHARE <index> <seq>/<total> <base64 chunk>`: replicas on
 * any node print them, `docker service logs` brings them back, whatever the interleaving.
 */
export function encodeShareLines(index: number, result: ShareResult): string[] {
  const data = Buffer.from(JSON.stringify(result)).toString('base64');
  const total = Math.max(1, Math.ceil(data.length / CHUNK));
  return Array.from({ length: total }, (_, seq) => {
    const chunk = data.slice(seq * CHUNK, (seq + 1) * CHUNK);
    return `${SHARE_PREFIX} ${index} ${seq + 1}/${total} ${chunk}`;
  });
}

const LINE = new RegExp(`${SHARE_PREFIX} (\\d+) (\\d+)/(\\d+) ([A-Za-z0-9+/=]*)\\s*$`);

function collect(logs: string) {
  const byIndex = new Map<number, { total: number; chunks: Map<number, string> }>();
  for (const line of logs.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [index, seq, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const entry = byIndex.get(index) ?? { total, chunks: new Map<number, string>() };
    entry.chunks.set(seq, m[4] ?? '');
    byIndex.set(index, entry);
  }
  return byIndex;
}

/**
 * The results of shares 0..count-1 found in `logs` (lines from any replica, in any order, other
 * lines ignored). LOAD_FAILED naming the shares that are missing or incomplete.
 */
export function decodeShareLines(logs: string, count: number): ShareResult[] {
  const byIndex = collect(logs);
  const results: ShareResult[] = [];
  const missing: string[] = [];
  for (let index = 0; index < count; index++) {
    const entry = byIndex.get(index);
    const parts = entry
      ? Array.from({ length: entry.total }, (_, i) => entry.chunks.get(i + 1))
      : [];
    if (!entry || parts.some((p) => p === undefined)) {
      missing.push(`share ${index}${entry ? ` (${entry.chunks.size}/${entry.total} lines)` : ''}`);
      continue;
    }
    results.push(JSON.parse(Buffer.from(parts.join(''), 'base64').toString('utf8')) as ShareResult);
  }
  if (missing.length > 0) {
    throw new LabError('LOAD_FAILED', `load replicas did not report: ${missing.join(', ')}`);
  }
  return results;
}
