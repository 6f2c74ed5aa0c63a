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

async function readNumber(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/**
 * CPU (ms) and memory (bytes) of a container from its cgroup: v2 (system.slice/docker-<id>.scope:
 * cpu.stat, memory.current), else v1 (cpuacct/docker/<id>/cpuacct.usage in ns, memory/…/usage_in_bytes).
 */
export async function readContainerCgroup(
  id: string,
  root = '/sys/fs/cgroup',
): Promise<{ cpuMs: number; memoryBytes: number } | undefined> {
  const v2 = join(root, 'system.slice', `docker-${id}.scope`);
  const stat = await readNumber(join(v2, 'cpu.stat'));
  const v2Cpu = stat === undefined ? undefined : parseCpuStatMs(stat);
  if (v2Cpu !== undefined) {
    return {
      cpuMs: v2Cpu,
      memoryBytes: Number((await readNumber(join(v2, 'memory.current'))) ?? 0),
    };
  }
  const ns = await readNumber(join(root, 'cpuacct', 'docker', id, 'cpuacct.usage'));
  if (ns === undefined) return undefined;
  const memory = await readNumber(join(root, 'memory', 'docker', id, 'memory.usage_in_bytes'));
  return { cpuMs: Number(ns) / 1e6, memoryBytes: Number(memory ?? 0) };
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

/** A CostProbe over containers, read from their cgroups. */
export function cgroupCostProbe(components: readonly CgroupComponent[], root?: string): CostProbe {
  return {
    source: 'cgroup',
    async read() {
      const at = performance.now();
      const read = components.map(async (c) => {
        const got = await readContainerCgroup(c.id, root);
        return {
          component: c.component,
          tier: c.tier,
          cpuMs: got?.cpuMs ?? 0,
          memoryBytes: got?.memoryBytes ?? 0,
        };
      });
      return { at, components: await Promise.all(read) };
    },
  };
}
