import pg from 'pg';
import { createProfileRepository } from '../../services/app/src/db/profile-repository.ts';
import { applySchema, seedUsers } from '../../services/app/src/db/setup.ts';
import { loadLabConfig } from '../lab-config.ts';
import { CleanupStack } from '../run/driver/cleanup-stack.ts';
import { type PostgresHandle, startPostgres } from '../run/processes/postgres.ts';
import { type RedisNode, startRedis } from '../run/processes/redis.ts';
import { type RedisCluster, startRedisCluster } from '../run/processes/redis-cluster-nodes.ts';
import { makeRunDir, removeRunDir } from '../run/processes/run-dir.ts';

/** A seeded Postgres and one real profile document from it (the value every bench stores). */
export interface SeededPostgres {
  handle: PostgresHandle;
  users: number;
  /** Wire bytes of profile 1: the "profile-sized value" cached and served everywhere. */
  profile: Buffer;
}

/**
 * The processes a bench run needs, started on first use and shared by the parts; `close()` stops
 * everything it started (last started, first stopped) and removes the run folder.
 */
export interface BenchEnv {
  readonly runDir: string;
  readonly cleanup: CleanupStack;
  postgres(): Promise<SeededPostgres>;
  redis(): Promise<RedisNode>;
  cluster(): Promise<RedisCluster>;
  close(): Promise<void>;
}

/** Creates the run folder under the lab folder (.lab/bench-XXXXXX); nothing is started yet. */
export async function createBenchEnv(options: {
  seedUsers: number;
  log: (line: string) => void;
}): Promise<BenchEnv> {
  const runDir = await makeRunDir('bench', { base: loadLabConfig().labDir });
  const cleanup = new CleanupStack();
  const once = <T>(start: () => Promise<T>): (() => Promise<T>) => {
    let started: Promise<T> | undefined;
    return () => {
      started ??= start();
      return started;
    };
  };
  return {
    runDir,
    cleanup,
    postgres: once(() => seededPostgres(runDir, cleanup, options)),
    redis: once(async () => stopLater(cleanup, 'redis', await startRedis({ runDir }))),
    cluster: once(async () =>
      stopLater(cleanup, 'redis cluster', await startRedisCluster({ runDir })),
    ),
    close: () => closeEnv(runDir, cleanup),
  };
}

function stopLater<T extends { stop(): Promise<void> }>(
  cleanup: CleanupStack,
  name: string,
  it: T,
): T {
  cleanup.push(name, () => it.stop());
  return it;
}

async function seededPostgres(
  runDir: string,
  cleanup: CleanupStack,
  options: { seedUsers: number; log: (line: string) => void },
): Promise<SeededPostgres> {
  const handle = stopLater(cleanup, 'postgres', await startPostgres({ runDir }));
  await applySchema(handle.url);
  const seed = await seedUsers(handle.url, options.seedUsers);
  options.log(`seeded ${options.seedUsers} users in ${seed.seconds.toFixed(1)} s`);
  return { handle, users: options.seedUsers, profile: await loadProfile(handle.url, 1) };
}

async function loadProfile(url: string, id: number): Promise<Buffer> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const body = await createProfileRepository(pool).loadProfileJson(id);
    if (body === undefined) throw new Error(`bench: profile ${id} missing after seeding`);
    return body;
  } finally {
    await pool.end();
  }
}

async function closeEnv(runDir: string, cleanup: CleanupStack): Promise<void> {
  const failures = await cleanup.unwind();
  await removeRunDir(runDir);
  if (failures.length > 0) {
    const names = failures.map((f) => f.name).join(', ');
    throw new AggregateError(
      failures.map((f) => f.error),
      `bench: could not stop ${names}`,
    );
  }
}
