import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CacheTier } from './cache/cache-types.ts';
import type { ConsistencyEvent, ConsistencyObserver } from './consistency/consistency-types.ts';
import type { GraceEvent } from './consistency/grace.ts';
import type { AuditObserver, AuditResult } from './consistency/staleness-audit.ts';

/** Age buckets of stale entries, 100 ms … 10 min: a race is ms, a lost DEL lasts until the TTL. */
const STALE_AGE_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** The consistency families of one registry: mode events, grace reads, the staleness audit. */
export interface ConsistencyMetrics {
  observer: ConsistencyObserver;
  grace(event: GraceEvent): void;
  audit: AuditObserver;
}

/** Registers the consistency metrics (labels bounded: mode, event, tier, result). */
export function createConsistencyMetrics(registry: Registry, mode: string): ConsistencyMetrics {
  const registers = [registry];
  const events = new Counter<'mode' | 'event'>({
    name: 'cachelab_consistency_events_total',
    help: 'Consistency events: leases granted/busy/waited, fills stored/refused, invalidations',
    labelNames: ['mode', 'event'],
    registers,
  });
  const grace = new Counter<'result'>({
    name: 'cachelab_grace_reads_total',
    help: 'Reads that met a database failure: served stale within grace, expired, or nothing kept',
    labelNames: ['result'],
    registers,
  });
  return {
    observer: { event: (event: ConsistencyEvent) => events.inc({ mode, event }) },
    grace: (result) => grace.inc({ result }),
    audit: auditMetrics(registry),
  };
}

function auditMetrics(registry: Registry): AuditObserver {
  const registers = [registry];
  const checks = new Counter<'tier' | 'result'>({
    name: 'cachelab_audit_checks_total',
    help: 'Sampled cache entries compared with Postgres, by tier and result',
    labelNames: ['tier', 'result'],
    registers,
  });
  const age = new Histogram<'tier'>({
    name: 'cachelab_audit_stale_age_seconds',
    help: 'Age of confirmed stale entries: at least this long since the newer version committed',
    labelNames: ['tier'],
    buckets: STALE_AGE_BUCKETS,
    registers,
  });
  const lastRound = new Gauge<'tier'>({
    name: 'cachelab_audit_stale_entries',
    help: 'Stale entries confirmed by the last audit round, by tier',
    labelNames: ['tier'],
    registers,
  });
  return {
    checked: (tier: CacheTier, result: AuditResult) => checks.inc({ tier, result }),
    stale: (tier: CacheTier, ageSeconds: number) => age.observe({ tier }, ageSeconds),
    round: (tier: CacheTier, staleEntries: number) => lastRound.set({ tier }, staleEntries),
  };
}
