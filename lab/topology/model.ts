import type { CacheMode, ConsistencyName } from '../../services/app/src/config.ts';
import type { NetworkSettings } from './network.ts';

/** How nginx spreads requests over the app servers. */
export type LoadBalancing = 'round-robin' | 'least-conn' | 'consistent-hash';

/** Where the shared cache lives, if anywhere. */
export type RedisLayout =
  | { kind: 'none' }
  | { kind: 'single' }
  | { kind: 'cluster'; masters: number; replicasPerMaster: number }
  | { kind: 'shards'; count: number };

/** Cache parameters handed to every app server of a topology. */
export interface CacheSettings {
  mode: CacheMode;
  ttlMs: number;
  ttlJitter: number;
  l1MaxEntries: number;
  l1MaxBytes: number;
  diskMaxEntries: number;
  /** two-tier only: put L2 on a Redis Cluster instead of a single Redis. */
  l2Cluster: boolean;
}

/** How writes reach the cache (the app's CONSISTENCY) and stale-if-error grace, each with its reason. */
export interface ConsistencySettings {
  mode: ConsistencyName;
  /** Why this mode is the topology's default. */
  why: string;
  /** Stale-if-error grace in ms beyond the TTL (0 = off: a database failure on a miss is a 503). */
  graceMs: number;
  /** Why grace is on or off here. */
  graceWhy: string;
}

/** One topology: the single source of truth every driver and generated artifact derives from. */
export interface Topology {
  name: string;
  /** The question this topology answers, in one line. */
  question: string;
  loadBalancing: LoadBalancing;
  appServers: number;
  cache: CacheSettings;
  consistency: ConsistencySettings;
  redis: RedisLayout;
  postgres: { seedUsers: number; poolSizePerServer: number };
  /** Round trip added on each hop by a fault proxy; absent means loopback (no proxy). */
  network?: NetworkSettings;
}
