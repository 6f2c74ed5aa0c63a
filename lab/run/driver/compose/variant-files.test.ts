import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { getTopology } from '../../../topology/catalog.ts';
import type { Topology } from '../../../topology/model.ts';
import { withNetwork } from '../../../topology/network-proxies.ts';
import { variantOverride, writeVariantFiles } from './variant-files.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const consistency = (t: Topology, mode: Topology['consistency']['mode']): Topology => ({
  ...t,
  consistency: { ...t.consistency, mode },
});

describe('variantOverride', () => {
  it('is nothing for a catalog topology, under any network profile', () => {
    expect(variantOverride(getTopology('global'))).toBeUndefined();
    const lan = withNetwork(getTopology('global-cluster'), { profile: 'lan' });
    expect(variantOverride(lan)).toBeUndefined();
  });

  it("sets only the app settings a variant changes, and turns off a service it doesn't run", () => {
    const override = variantOverride(consistency(getTopology('global'), 'delete'));
    expect(override?.services['app-1']).toEqual({ environment: { CONSISTENCY: 'delete' } });
    expect(override?.services.invalidator).toEqual({ scale: 0 });
    expect(Object.keys(override?.services ?? {}).sort()).toEqual([
      'app-1',
      'app-2',
      'app-3',
      'invalidator',
    ]);
    const graceless = getTopology('global');
    graceless.consistency.graceMs = 0;
    expect(variantOverride(graceless)?.services['app-2']).toEqual({
      environment: { GRACE_MS: '0' },
    });
  });

  it('leaves the proxied addresses of the network overlay alone', () => {
    const lan = withNetwork(consistency(getTopology('two-tier'), 'delete'), { profile: 'lan' });
    const app = variantOverride(lan)?.services['app-1'];
    expect(app).toEqual({ environment: { CONSISTENCY: 'delete' } });
  });
  it('refuses a variant that drops what an override cannot remove (another Redis layout)', () => {
    const t = getTopology('global');
    const local: Topology = { ...t, cache: { ...t.cache, mode: 'local' }, redis: { kind: 'none' } };
    expect(() => variantOverride(local)).toThrow(/drops its depends_on/);
  });
});

describe('writeVariantFiles', () => {
  it('writes the override and a prometheus.yml without the invalidator job; nothing for the catalog', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'variant-files-'));
    dirs.push(dir);
    expect(await writeVariantFiles(dir, getTopology('global'))).toEqual([]);
    const files = await writeVariantFiles(dir, consistency(getTopology('global'), 'lease'));
    expect(files).toEqual([join(dir, 'compose.variant.yaml')]);
    const override = parse(await readFile(files[0] ?? '', 'utf8'));
    expect(override.services.prometheus.volumes).toEqual([
      `${join(dir, 'prometheus.yml')}:/etc/prometheus/prometheus.yml:ro`,
    ]);
    const prometheus = await readFile(join(dir, 'prometheus.yml'), 'utf8');
    expect(prometheus).toContain('cachelab-app');
    expect(prometheus).not.toContain('invalidator');
  });

  it('refuses a variant that would need other fault proxies', async () => {
    const more = withNetwork({ ...getTopology('global'), appServers: 4 }, { profile: 'lan' });
    await expect(writeVariantFiles(tmpdir(), more)).rejects.toThrow(/other fault proxies/);
  });
});
