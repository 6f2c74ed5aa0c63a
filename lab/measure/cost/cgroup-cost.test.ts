import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cgroupCostProbe,
  parseCpuStatMs,
  readContainerCgroup,
  tierOfService,
} from './cgroup-cost.ts';

const ID = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const CGROUPFS = 'd'.repeat(64);
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function fakeRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'cachelab-cgroup-'));
  dirs.push(root);
  const v2 = join(root, 'system.slice', `docker-${ID}.scope`);
  await mkdir(v2, { recursive: true });
  await writeFile(
    join(v2, 'cpu.stat'),
    'usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n',
  );
  await writeFile(join(v2, 'memory.current'), '99999999\n');
  await writeFile(join(v2, 'memory.stat'), 'anon 8388608\nfile 50000000\nshmem 2097152\n');
  const v2fs = join(root, 'docker', CGROUPFS);
  await mkdir(v2fs, { recursive: true });
  await writeFile(join(v2fs, 'cpu.stat'), 'usage_usec 1000\n');
  await writeFile(join(v2fs, 'memory.stat'), 'anon 4096\nfile 1\n');
  const v1cpu = join(root, 'cpuacct', 'docker', OTHER);
  const v1mem = join(root, 'memory', 'docker', OTHER);
  await mkdir(v1cpu, { recursive: true });
  await mkdir(v1mem, { recursive: true });
  await writeFile(join(v1cpu, 'cpuacct.usage'), '750000000\n');
  await writeFile(join(v1mem, 'memory.usage_in_bytes'), '999999999\n');
  await writeFile(
    join(v1mem, 'memory.stat'),
    'cache 9\nrss 1\ntotal_cache 900000000\ntotal_rss 1048576\ntotal_shmem 1048576\n',
  );
  return root;
}

describe('container cost from cgroups', () => {
  it('reads cgroup v2 (systemd and cgroupfs layouts) and v1, memory without the page cache', async () => {
    const root = await fakeRoot();
    expect(await readContainerCgroup(ID, root)).toEqual({ cpuMs: 2500, memoryBytes: 10_485_760 });
    expect(await readContainerCgroup(CGROUPFS, root)).toEqual({ cpuMs: 1, memoryBytes: 4096 });
    expect(await readContainerCgroup(OTHER, root)).toEqual({ cpuMs: 750, memoryBytes: 2_097_152 });
    expect(await readContainerCgroup('c'.repeat(64), root)).toBeUndefined();
    expect(parseCpuStatMs('user_usec 1\n')).toBeUndefined();
  });

  it('probes every container as one component each', async () => {
    const root = await fakeRoot();
    const probe = cgroupCostProbe(
      [
        { component: 'app-1', tier: 'app', id: ID },
        { component: 'redis-1', tier: 'redis', id: OTHER },
        { component: 'redis-2', tier: 'redis', id: 'c'.repeat(64) },
      ],
      root,
    );
    const reading = await probe.read();
    expect(probe.source).toBe('cgroup');
    expect(reading.components.map((c) => [c.component, c.cpuMs])).toEqual([
      ['app-1', 2500],
      ['redis-1', 750],
    ]);
    expect(reading.components.map((c) => c.component)).not.toContain('redis-2');
  });

  it('maps compose service names onto tiers and skips observers', () => {
    expect(
      ['nginx', 'app-2', 'redis-3', 'postgres', 'prometheus', 'redis-exporter'].map(tierOfService),
    ).toEqual(['nginx', 'app', 'redis', 'postgres', undefined, undefined]);
  });
});
