import type { GeneratorCpu } from '../../../loadtests/result-types.ts';
import type { ServerDelta } from '../scrape/snapshot.ts';
import { procTable, treeCpuMs, treeMemoryBytes, treeOf } from './process-tree.ts';

/** The tiers a request's CPU is spent in. */
export const COST_TIERS = [
  'generator',
  'nginx',
  'fault-proxy',
  'app',
  'invalidator',
  'redis',
  'postgres',
] as const;

/** One tier. */
export type CostTier = (typeof COST_TIERS)[number];

/** A component of a running lab whose process tree is accounted. */
export interface CostComponent {
  /** Service name: nginx, app-1, redis-2, postgres, a fault proxy's name. */
  component: string;
  tier: CostTier;
  pid: number;
}

/** CPU and memory of every component at one moment. */
export interface CostReading {
  at: number;
  components: { component: string; tier: CostTier; cpuMs: number; memoryBytes: number }[];
}

/** Reads CPU and memory of components at one moment. */
export interface CostProbe {
  /** Where the figures come from: /proc per process tree, or cgroup statistics per container. */
  source: 'proc' | 'cgroup';
  read(): Promise<CostReading>;
}

/** What one component spent during a measured window. */
export interface ComponentCost {
  component: string;
  tier: CostTier;
  cpuMs: number;
  cpuUsPerRequest: number;
  /** Proportional set size of its processes at the window's end (RSS for the generator). */
  memoryMB: number;
  /** Redis INFO used_memory at the window's end. */
  redisUsedMemoryMB?: number;
  /** The app server's local tier at the window's end. */
  l1Entries?: number;
  l1MB?: number;
}

/** What a measured window cost, per component and per tier. */
export interface WindowCost {
  source: 'proc' | 'cgroup';
  seconds: number;
  /** Requests the window completed: the divisor of every per-request figure. */
  requests: number;
  components: ComponentCost[];
  tiers: { tier: CostTier; cpuUsPerRequest: number; memoryMB: number }[];
  totalCpuUsPerRequest: number;
}

const MB = 1024 * 1024;

/** A CostProbe over native process trees, read from /proc. */
export function procCostProbe(components: readonly CostComponent[]): CostProbe {
  return {
    source: 'proc',
    async read() {
      const at = performance.now();
      const table = await procTable();
      const read = components.map(async (c) => {
        const tree = treeOf(table, c.pid);
        const memoryBytes = await treeMemoryBytes(tree);
        return { component: c.component, tier: c.tier, cpuMs: treeCpuMs(table, tree), memoryBytes };
      });
      return { at, components: await Promise.all(read) };
    },
  };
}

/** Memory gauges the servers report about themselves, by component name. */
function serverGauges(delta: ServerDelta | undefined): Map<string, Partial<ComponentCost>> {
  const gauges = new Map<string, Partial<ComponentCost>>();
  for (const a of delta?.apps ?? []) {
    gauges.set(a.server, { l1Entries: a.l1Entries, l1MB: a.l1Bytes / MB });
  }
  for (const r of delta?.redis ?? []) {
    gauges.set(r.node, { redisUsedMemoryMB: r.usedMemoryBytes / MB });
  }
  return gauges;
}

function perRequest(cpuMs: number, requests: number): number {
  return requests > 0 ? (cpuMs * 1000) / requests : 0;
}

/** The window's cost from readings at its start and end, the servers' gauges and the generator. */
export function windowCost(
  source: CostProbe['source'],
  start: CostReading,
  end: CostReading,
  requests: number,
  extra: { delta?: ServerDelta; generator?: GeneratorCpu; generatorMemoryBytes?: number },
): WindowCost {
  const gauges = serverGauges(extra.delta);
  const components: ComponentCost[] = end.components.map((e) => {
    const s = start.components.find((c) => c.component === e.component);
    const cpuMs = Math.max(0, e.cpuMs - (s?.cpuMs ?? e.cpuMs));
    const base = { component: e.component, tier: e.tier, cpuMs };
    const memoryMB = e.memoryBytes / MB;
    return {
      ...base,
      cpuUsPerRequest: perRequest(cpuMs, requests),
      memoryMB,
      ...gauges.get(e.component),
    };
  });
  if (extra.generator) {
    const g = extra.generator;
    const memoryMB = (extra.generatorMemoryBytes ?? 0) / MB;
    components.unshift({
      component: 'generator',
      tier: 'generator',
      cpuMs: g.cpuMs,
      cpuUsPerRequest: perRequest(g.cpuMs, requests),
      memoryMB,
    });
  }
  const tiers = COST_TIERS.flatMap((tier) => {
    const of = components.filter((c) => c.tier === tier);
    if (of.length === 0) return [];
    const cpuMs = of.reduce((sum, c) => sum + c.cpuMs, 0);
    const memoryMB = of.reduce((sum, c) => sum + c.memoryMB, 0);
    return [{ tier, cpuUsPerRequest: perRequest(cpuMs, requests), memoryMB }];
  });
  const total = components.reduce((sum, c) => sum + c.cpuMs, 0);
  return {
    source,
    seconds: (end.at - start.at) / 1000,
    requests,
    components,
    tiers,
    totalCpuUsPerRequest: perRequest(total, requests),
  };
}
