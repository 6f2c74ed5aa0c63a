/** The parts `cachelab bench` can run. */
export const BENCH_PARTS = ['ladder', 'ceilings', 'peer', 'nginx-settings'] as const;
/** The parts run when none is named (`make bench`); nginx-settings is asked for by name. */
export const DEFAULT_BENCH_PARTS = ['ladder', 'ceilings', 'peer'] as const;
/** One part of the bench. */
export type BenchPart = (typeof BENCH_PARTS)[number];

/** What `cachelab bench` was asked to do. */
export interface BenchOptions {
  /** Shorter runs (fewer samples, shorter load windows): a smoke run, not figures to quote. */
  quick: boolean;
  /** Parts to run, in order. */
  parts: BenchPart[];
  /** Users seeded into the throwaway Postgres. */
  seedUsers: number;
  /** Profile the L1-hit path with --cpu-prof even when it meets its goal. */
  profile: boolean;
}

/** Users seeded when --seed-users is not given. */
export const DEFAULT_BENCH_SEED_USERS = 10_000;
