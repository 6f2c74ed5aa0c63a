import { redisCliBin } from './binaries.ts';
import { waitUntil } from './managed-process.ts';
import { NativeServiceError } from './process-errors.ts';
import { type RedisNode, startRedis, stopAll } from './redis.ts';
import { redisCommand } from './resp.ts';
import { runCommand } from './run-command.ts';

/** Number of hash slots in Redis Cluster. */
export const CLUSTER_SLOTS = 16_384;

/** Options of startRedisCluster. */
export interface StartRedisClusterOptions {
  runDir: string;
  /** At least 3. Default 3. */
  masters?: number;
  /** Default 1. */
  replicasPerMaster?: number;
  /** cluster-node-timeout: how long before a silent master is failed over. Default 2000. */
  nodeTimeoutMs?: number;
  extraConfig?: Record<string, string | number>;
  /** Deadline for cluster_state:ok on every node after creation. Default 30 s. */
  readyTimeoutMs?: number;
}

/** A running Redis Cluster on 127.0.0.1. */
export interface RedisCluster {
  /** Every node; the first `masters` were created as masters, but failovers change roles. */
  nodes: RedisNode[];
  /** host:port of every node, for a cluster client's startup nodes. */
  seeds: string[];
  /** host:port of the current masters that own slots (asks the first node that answers). */
  masters(): Promise<string[]>;
  /** Waits until every running node reports cluster_state:ok with all slots (e.g. after a failover). */
  waitOk(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts masters × (1 + replicas) cluster-enabled nodes, joins them with `redis-cli --cluster create`. */
export async function startRedisCluster(opts: StartRedisClusterOptions): Promise<RedisCluster> {
  const masters = opts.masters ?? 3;
  const replicas = opts.replicasPerMaster ?? 1;
  if (masters < 3) throw new NativeServiceError('START_FAILED', 'Redis Cluster needs >= 3 masters');
  const nodes = await startNodes(masters * (1 + replicas), opts);
  const seeds = nodes.map((n) => n.address);
  try {
    const args = ['--cluster', 'create', ...seeds, '--cluster-replicas', String(replicas)];
    await runCommand(redisCliBin(), [...args, '--cluster-yes'], { timeoutMs: 60_000 });
    await waitClusterOk(nodes, opts.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stopAll(nodes);
    throw error;
  }
  const stop = (): Promise<void> => stopAll(nodes);
  return {
    nodes,
    seeds,
    masters: () => clusterMasters(nodes),
    waitOk: (timeoutMs = 30_000) =>
      waitClusterOk(
        nodes.filter((n) => n.running),
        timeoutMs,
        nodes.length,
      ),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

async function startNodes(count: number, opts: StartRedisClusterOptions): Promise<RedisNode[]> {
  // No 5 s wait before the first full sync of each replica (Redis' default, to batch replicas).
  const extraConfig = { 'repl-diskless-sync-delay': 0, ...opts.extraConfig };
  const base = { runDir: opts.runDir, cluster: true, extraConfig };
  const node = { ...base, nodeTimeoutMs: opts.nodeTimeoutMs ?? 2_000 };
  const settled = await Promise.allSettled(Array.from({ length: count }, () => startRedis(node)));
  const nodes = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll(nodes);
    throw failed.reason;
  }
  return nodes;
}

/** Parses CLUSTER INFO / INFO text into a key → value map. */
export function parseClusterInfo(text: string): Map<string, string> {
  const entries = text
    .split(/\r?\n/)
    .map((line) => line.split(':'))
    .filter((kv): kv is [string, string] => kv.length === 2);
  return new Map(entries.map(([k, v]) => [k.trim(), v.trim()]));
}

/**
 * The slot-owning masters a node sees, or undefined unless it reports cluster_state:ok with every slot ok,
 * knows `knownNodes` nodes and (if a replica) has its master link up: a replica that never finished its
 * first sync cannot be promoted.
 */
async function healthyView(
  node: RedisNode,
  knownNodes: number,
): Promise<{ self: string; masters: string[] } | undefined> {
  const info = parseClusterInfo(await redisCommand(node.port, ['CLUSTER', 'INFO']));
  if (info.get('cluster_state') !== 'ok') return undefined;
  if (info.get('cluster_slots_ok') !== String(CLUSTER_SLOTS)) return undefined;
  if (Number(info.get('cluster_known_nodes')) < knownNodes) return undefined;
  const replication = parseClusterInfo(await redisCommand(node.port, ['INFO', 'replication']));
  if (replication.get('role') === 'slave' && replication.get('master_link_status') !== 'up') {
    return undefined;
  }
  const text = await redisCommand(node.port, ['CLUSTER', 'NODES']);
  return { self: selfAddress(text), masters: parseMasters(text) };
}

/** The address a node announces for itself: its `myself` line of CLUSTER NODES. */
export function selfAddress(clusterNodes: string): string {
  const line = clusterNodes.split('\n').find((l) => l.split(' ')[2]?.split(',').includes('myself'));
  return (line?.split(' ')[1] ?? '').split('@')[0] ?? '';
}

/**
 * Waits until every node in `nodes` (the running ones) is healthy and all agree on the same masters, each
 * of them running. Right after a master is killed the others still say ok until cluster-node-timeout
 * passes, and a restarted old master claims its slots until it learns the new config: cluster_state alone
 * would end a failover wait too early.
 */
export async function waitClusterOk(
  nodes: readonly RedisNode[],
  timeoutMs: number,
  knownNodes = nodes.length,
): Promise<void> {
  const check = async (): Promise<boolean> => {
    const views = await Promise.all(nodes.map((n) => healthyView(n, knownNodes)));
    // What the running nodes announce (their proxies' addresses behind a fault proxy).
    const running = new Set(views.map((v) => v?.self));
    const first = views[0]?.masters.join(',');
    return views.every(
      (v) =>
        v !== undefined && v.masters.join(',') === first && v.masters.every((a) => running.has(a)),
    );
  };
  await waitUntil(`redis cluster (${nodes.length} nodes) cluster_state:ok`, check, {
    timeoutMs,
    intervalMs: 50,
  });
}

/** host:port of masters owning slots, from one CLUSTER NODES line per node. */
export function parseMasters(clusterNodes: string): string[] {
  return clusterNodes
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((f) => {
      const flags = (f[2] ?? '').split(',');
      return flags.includes('master') && !flags.some((x) => x.startsWith('fail')) && f.length > 8;
    })
    .map((f) => (f[1] ?? '').split('@')[0] ?? '')
    .sort();
}

async function clusterMasters(nodes: readonly RedisNode[]): Promise<string[]> {
  let lastError: unknown;
  for (const node of nodes) {
    try {
      return parseMasters(await redisCommand(node.port, ['CLUSTER', 'NODES']));
    } catch (error) {
      lastError = error; // that node is down (killed for a failover test): ask the next one
    }
  }
  throw new NativeServiceError('COMMAND_FAILED', 'no cluster node answered CLUSTER NODES', {
    cause: lastError,
  });
}
