import type { CacheStrategy, CacheTier } from '../cache/cache-types.ts';
import { readProfileVersion } from '../cache/profile-version.ts';
import type { VersionRow } from '../db/profile-repository.ts';
import type { Logger } from '../logger.ts';

/** An audited entry: as new as Postgres, stale (confirmed a round later), healed meanwhile, or without a version. */
export type AuditResult = 'fresh' | 'stale' | 'healed' | 'unversioned';

/** Where the audit reports; metrics.ts implements it. */
export interface AuditObserver {
  checked(tier: CacheTier, result: AuditResult): void;
  /** A confirmed stale entry and how long it has been stale at least. */
  stale(tier: CacheTier, ageSeconds: number): void;
  /** Stale entries confirmed in the last round. */
  round(tier: CacheTier, staleEntries: number): void;
}

/** What the audit needs. */
export interface StalenessAuditOptions {
  cache: CacheStrategy;
  versions: (ids: number[]) => Promise<Map<number, VersionRow>>;
  keyOf: (id: number) => string;
  /** Keys compared per round (AUDIT_SAMPLE). */
  sample: number;
  /** Round period (AUDIT_INTERVAL_MS). */
  intervalMs: number;
  observer: AuditObserver;
  logger?: Logger;
  random?: () => number;
  now?: () => number;
}

/** The audit of one server: it samples the profiles this server read recently. */
export interface StalenessAudit {
  noteRead(id: number): void;
  /** One round: confirm last round's suspects, then sample new keys. */
  runRound(): Promise<void>;
  start(): void;
  stop(): void;
}

interface Suspect {
  id: number;
  tier: CacheTier;
  version: number;
  staleSinceMs: number;
}

/** Ids of recent reads kept for sampling. */
const RECENT_READS = 1_024;

/**
 * A sampled staleness audit on the server side: compares the versions cached in every tier with
 * Postgres. An older cached version is only a suspect (a write may be committing right now); it is
 * counted stale when the next round still finds it, with its age measured from the commit of the
 * newer version Postgres showed (a lower bound).
 */
export function createStalenessAudit(options: StalenessAuditOptions): StalenessAudit {
  const recent: number[] = [];
  let cursor = 0;
  let suspects: Suspect[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  const audit: StalenessAudit = {
    noteRead(id) {
      if (recent.length < RECENT_READS) recent.push(id);
      else recent[cursor] = id;
      cursor = (cursor + 1) % RECENT_READS;
    },
    async runRound() {
      const confirmed = await confirm(options, suspects);
      suspects = await sampleRound(options, pick(recent, options.sample, options.random));
      for (const tier of ['l1', 'l2'] as const) {
        options.observer.round(tier, confirmed.filter((s) => s === tier).length);
      }
    },
    start() {
      timer ??= setInterval(() => {
        if (running) return;
        running = true;
        audit
          .runRound()
          .catch((error: unknown) => options.logger?.warn({ err: error }, 'staleness audit failed'))
          .finally(() => {
            running = false;
          });
      }, options.intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
  return audit;
}

/** Up to `count` distinct ids from the recent reads. */
function pick(recent: number[], count: number, random = Math.random): number[] {
  const chosen = new Set<number>();
  for (let draw = 0; draw < count * 4 && chosen.size < count && recent.length > 0; draw++) {
    chosen.add(recent[Math.floor(random() * recent.length)] ?? 0);
  }
  return [...chosen].filter((id) => id > 0);
}

/** Peeks every tier, reads Postgres, counts fresh entries and returns the suspects. */
async function sampleRound(options: StalenessAuditOptions, ids: number[]): Promise<Suspect[]> {
  if (ids.length === 0 || options.cache.peek === undefined) return [];
  const peek = options.cache.peek.bind(options.cache);
  const copies = await Promise.all(
    ids.map(async (id) => ({ id, hits: await peek(options.keyOf(id)) })),
  );
  const rows = await options.versions(ids);
  const suspects: Suspect[] = [];
  for (const { id, hits } of copies) {
    const row = rows.get(id);
    if (row === undefined) continue;
    for (const hit of hits) {
      const version = readProfileVersion(hit.value);
      if (version === undefined) options.observer.checked(hit.tier, 'unversioned');
      else if (version >= row.version) options.observer.checked(hit.tier, 'fresh');
      else suspects.push({ id, tier: hit.tier, version, staleSinceMs: row.updatedAtMs });
    }
  }
  return suspects;
}

/** Counts each suspect still holding its old version as stale, the others as healed. */
async function confirm(options: StalenessAuditOptions, suspects: Suspect[]): Promise<CacheTier[]> {
  const confirmed: CacheTier[] = [];
  const now = options.now ?? Date.now;
  for (const suspect of suspects) {
    const hits = (await options.cache.peek?.(options.keyOf(suspect.id))) ?? [];
    const held = hits.find((hit) => hit.tier === suspect.tier);
    const version = held === undefined ? undefined : readProfileVersion(held.value);
    if (version !== undefined && version <= suspect.version) {
      options.observer.checked(suspect.tier, 'stale');
      options.observer.stale(suspect.tier, Math.max(0, now() - suspect.staleSinceMs) / 1000);
      confirmed.push(suspect.tier);
    } else {
      options.observer.checked(suspect.tier, 'healed');
    }
  }
  return confirmed;
}
