import type { Command } from '@commander-js/extra-typings';
import { describeRedis } from '../../render/redis/redis-config.ts';
import { formatTable } from '../../text/table.ts';
import { CATALOG } from '../../topology/catalog.ts';
import type { Topology } from '../../topology/model.ts';

function cacheOf(t: Topology): string {
  return t.cache.mode === 'two-tier' && t.cache.l2Cluster ? 'two-tier (L2 cluster)' : t.cache.mode;
}

/** The `cachelab list` table: one row per catalog topology. */
export function catalogTable(topologies: readonly Topology[] = CATALOG): string {
  const header = ['NAME', 'SERVERS', 'LB', 'CACHE', 'REDIS', 'QUESTION'];
  const rows = topologies.map((t) => [
    t.name,
    String(t.appServers),
    t.loadBalancing,
    cacheOf(t),
    describeRedis(t),
    t.question,
  ]);
  return formatTable([header, ...rows]);
}

/** Registers `cachelab list [--json]`. */
export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('list the catalog of topologies and the question each answers')
    .option('--json', 'print the full models as JSON')
    .action((options) => {
      const text = options.json ? `${JSON.stringify(CATALOG, null, 2)}\n` : catalogTable();
      process.stdout.write(text);
    });
}
