import { waitUntil } from './managed-process.ts';
import { CLUSTER_BUS_OFFSET } from './ports.ts';
import { redisCommand } from './resp.ts';

/** A cluster node and the port of the proxy in front of it. */
export interface AnnouncedNode {
  port: number;
  proxyPort: number;
  /** False for a node that is down (killed by a scenario): it is neither set nor asked. */
  running?: boolean;
}

/** The `ip:port` every line of CLUSTER NODES gives for its node (ignoring the @busport). */
export function clusterNodeAddresses(clusterNodes: string): string[] {
  return clusterNodes
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (line.split(' ')[1] ?? '').split('@')[0] ?? '');
}

/**
 * Makes every node of a running cluster announce its proxy's address (cluster-announce-ip/port; the
 * bus stays direct), then waits until every node sees every other at its proxy: CLUSTER SLOTS, MOVED
 * and ASK then send clients through the proxies. Runtime settings: a restarted node needs it again.
 */
export async function announceThroughProxies(
  nodes: readonly AnnouncedNode[],
  timeoutMs = 20_000,
): Promise<void> {
  const running = nodes.filter((n) => n.running !== false);
  for (const node of running) {
    await redisCommand(node.port, ['CONFIG', 'SET', 'cluster-announce-ip', '127.0.0.1']);
    await redisCommand(node.port, [
      'CONFIG',
      'SET',
      'cluster-announce-port',
      String(node.proxyPort),
    ]);
    const bus = String(node.port + CLUSTER_BUS_OFFSET);
    await redisCommand(node.port, ['CONFIG', 'SET', 'cluster-announce-bus-port', bus]);
  }
  const expected = nodes.map((n) => `127.0.0.1:${n.proxyPort}`).sort();
  const allSeeProxies = async (): Promise<boolean> => {
    for (const node of running) {
      const seen = clusterNodeAddresses(await redisCommand(node.port, ['CLUSTER', 'NODES'])).sort();
      if (seen.join() !== expected.join()) return false;
    }
    return true;
  };
  await waitUntil('every cluster node to announce its proxy', allSeeProxies, {
    timeoutMs,
    intervalMs: 100,
  });
}
