import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redisServerBin } from './binaries.ts';
import { type ManagedProcess, spawnManaged, waitUntil } from './managed-process.ts';
import { startOnFreePort } from './ports.ts';
import { redisCommand } from './resp.ts';

/** Options of startRedis. */
export interface StartRedisOptions {
  runDir: string;
  /** Fixed port; default: a free one (with its +10000 bus port free when cluster is set). */
  port?: number;
  /** cluster-enabled yes, with its own cluster-config-file. */
  cluster?: boolean;
  /** cluster-node-timeout in ms (cluster only). Default 2000. */
  nodeTimeoutMs?: number;
  /** Extra redis.conf directives, e.g. { maxmemory: '256mb', 'maxmemory-policy': 'allkeys-lru' }. */
  extraConfig?: Record<string, string | number>;
  startTimeoutMs?: number;
}

/** A running redis-server on 127.0.0.1. */
export interface RedisNode {
  host: string;
  port: number;
  /** redis://127.0.0.1:PORT */
  url: string;
  /** 127.0.0.1:PORT */
  address: string;
  /** Pid of the current process (changes on restart). */
  readonly pid: number;
  /** False after stop()/kill() (or a crash) until restart(). */
  readonly running: boolean;
  logPath: string;
  /** SIGTERM, SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL (simulates a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same port and config (after stop/kill, or stops it first); data is gone. */
  restart(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Renders redis.conf: no persistence, loopback only, logs to stdout (our log file). */
function renderConfig(port: number, dir: string, opts: StartRedisOptions): string {
  const conf: Record<string, string | number> = {
    bind: '127.0.0.1',
    port,
    'protected-mode': 'no',
    save: '""',
    appendonly: 'no',
    dir,
    logfile: '""',
    daemonize: 'no',
    ...(opts.cluster && {
      'cluster-enabled': 'yes',
      'cluster-config-file': `nodes-${port}.conf`,
      'cluster-node-timeout': opts.nodeTimeoutMs ?? 2_000,
    }),
    ...opts.extraConfig,
  };
  return `${Object.entries(conf)
    .map(([key, value]) => `${key} ${value}`)
    .join('\n')}\n`;
}

/** True when the server answers PING with PONG (not LOADING or an error). */
export async function redisPing(port: number, host = '127.0.0.1'): Promise<boolean> {
  return (await redisCommand(port, ['PING'], { host })) === 'PONG';
}

async function spawnRedis(port: number, confPath: string, opts: StartRedisOptions) {
  const proc = await spawnManaged({
    name: `redis-${port}`,
    command: redisServerBin(),
    args: [confPath],
    runDir: opts.runDir,
    stopTimeoutMs: 5_000,
  });
  try {
    const timeoutMs = opts.startTimeoutMs ?? 10_000;
    await waitUntil(`redis on port ${port}`, () => redisPing(port), { timeoutMs, proc });
  } catch (error) {
    await proc.kill();
    throw error;
  }
  return proc;
}

/** Starts a redis-server (single or cluster-enabled node) and waits until it answers PING. */
export async function startRedis(opts: StartRedisOptions): Promise<RedisNode> {
  const withBusPort = opts.cluster ?? false;
  return startOnFreePort(
    opts.port,
    async (port) => {
      const dir = join(opts.runDir, `redis-${port}`);
      await mkdir(dir, { recursive: true });
      const confPath = join(dir, 'redis.conf');
      await writeFile(confPath, renderConfig(port, dir, opts));
      return redisNode(port, await spawnRedis(port, confPath, opts), confPath, opts);
    },
    { withBusPort },
  );
}

function redisNode(
  port: number,
  first: ManagedProcess,
  confPath: string,
  opts: StartRedisOptions,
): RedisNode {
  let proc = first;
  const stop = async (): Promise<void> => void (await proc.stop());
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    address: `127.0.0.1:${port}`,
    get pid() {
      return proc.pid;
    },
    get running() {
      return proc.running;
    },
    logPath: first.logPath,
    stop,
    kill: async () => void (await proc.kill()),
    restart: async () => {
      await proc.stop();
      proc = await spawnRedis(port, confPath, opts);
    },
    [Symbol.asyncDispose]: stop,
  };
}

/** Independent (non-cluster) Redis servers, e.g. for client-side sharding. */
export interface RedisShards {
  nodes: RedisNode[];
  /** host:port of each node, in start order. */
  addresses: string[];
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Stops every node (in parallel); rethrows the first failure after trying all. */
export async function stopAll(nodes: readonly { stop(): Promise<void> }[]): Promise<void> {
  const results = await Promise.allSettled(nodes.map((n) => n.stop()));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Starts `count` independent Redis servers in parallel; on any failure the started ones are stopped. */
export async function startRedisShards(opts: {
  runDir: string;
  count?: number;
  extraConfig?: Record<string, string | number>;
}): Promise<RedisShards> {
  const count = opts.count ?? 3;
  const settled = await Promise.allSettled(
    Array.from({ length: count }, () =>
      startRedis({ runDir: opts.runDir, extraConfig: opts.extraConfig }),
    ),
  );
  const nodes = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll(nodes);
    throw failed.reason;
  }
  const stop = (): Promise<void> => stopAll(nodes);
  return { nodes, addresses: nodes.map((n) => n.address), stop, [Symbol.asyncDispose]: stop };
}
