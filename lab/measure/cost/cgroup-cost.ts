import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CostProbe, CostTier } from './component-cost.ts';

/** A container whose cgroup is accounted. */
export interface CgroupComponent {
  component: string;
  tier: CostTier;
  /** Full container id (64 hex digits). */
  id: string;
}

/** Parses cgroup v2 cpu.stat: usage_usec (user + system) in ms. */
export function parseCpuStatMs(text: string): number | undefined {
  const match = /^usage_usec (\d+)$/m.exec(text);
  return match ? Number(match[1]) / 1000 : undefined;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** The sum of the named counters of a memory.stat file (absent counters count 0). */
export function memoryStatSum(text: string, keys: readonly string[]): number {
  let sum = 0;
  for (const key of keys) {
    const match = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
    if (match) sum += Number(match[1]);
  }
  return sum;
}

// Resident memory without the page cache: v1's usage_in_bytes counts every file page the
// container read (Postgres showed a gigabyte of cached table files), which is not what it holds.
const V2_RESIDENT = ['anon', 'shmem'] as const;
const V1_RESIDENT = ['total_rss', 'total_shmem'] as const;

/**
 * CPU (ms) and resident memory (bytes: anonymous + shared, no page cache) of a container from its
 * cgroup: v2 (system.slice/docker-<id>.scope with the systemd driver, docker/<id> with cgroupfs:
 * cpu.stat, memory.stat), else v1 (cpuacct/docker/<id>/cpuacct.usage in ns, memory/docker/<id>/
 * memory.stat). Undefined when the container has no readable cgroup.
 */
export async function readContainerCgroup(
  id: string,
  root = '/sys/fs/cgroup',
): Promise<{ cpuMs: number; memoryBytes: number } | undefined> {
  for (const v2 of [join(root, 'system.slice', `docker-${id}.scope`), join(root, 'docker', id)]) {
    const stat = await readText(join(v2, 'cpu.stat'));
    const cpuMs = stat === undefined ? undefined : parseCpuStatMs(stat);
    const memory = await readText(join(v2, 'memory.stat'));
    if (cpuMs !== undefined && memory !== undefined) {
      return { cpuMs, memoryBytes: memoryStatSum(memory, V2_RESIDENT) };
    }
  }
  const ns = await readText(join(root, 'cpuacct', 'docker', id, 'cpuacct.usage'));
  const memory = await readText(join(root, 'memory', 'docker', id, 'memory.stat'));
  if (ns === undefined || memory === undefined) return undefined;
  return { cpuMs: Number(ns) / 1e6, memoryBytes: memoryStatSum(memory, V1_RESIDENT) };
}

/** The tier of a compose service by its name (observers and one-shot jobs are not accounted). */
export function tierOfService(service: string): CostTier | undefined {
  if (service === 'nginx') return 'nginx';
  if (/^app(-\d+)?$/.test(service)) return 'app';
  if (/^redis(-\d+)?$/.test(service)) return 'redis';
  if (service === 'postgres') return 'postgres';
  if (/fault-proxy|toxiproxy/.test(service)) return 'fault-proxy';
  if (service === 'invalidator') return 'invalidator';
  return undefined;
}

/** The running containers of compose project `project`, with their tiers (docker ps). */
export async function composeCostComponents(project: string): Promise<CgroupComponent[]> {
  const { stdout } = await promisify(execFile)(
    'docker',
    [
      'ps',
      '--no-trunc',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--format',
      '{{.ID}} {{.Label "com.docker.compose.service"}}',
    ],
    { timeout: 15_000 },
  );
  return stdout.split('\n').flatMap((line) => {
    const [id, service] = line.trim().split(' ');
    const tier = service ? tierOfService(service) : undefined;
    return id && service && tier ? [{ component: service, tier, id }] : [];
  });
}

/** A CostProbe over containers, read from their cgroups (a container without one is left out, not 0). */
export function cgroupCostProbe(components: readonly CgroupComponent[], root?: string): CostProbe {
  return {
    source: 'cgroup',
    async read() {
      const at = performance.now();
      const read = await Promise.all(
        components.map(async (c) => {
          const got = await readContainerCgroup(c.id, root);
          return got ? [{ component: c.component, tier: c.tier, ...got }] : [];
        }),
      );
      return { at, components: read.flat() };
    },
  };
}
