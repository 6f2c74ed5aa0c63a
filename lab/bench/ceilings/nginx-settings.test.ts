import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNginxConfig } from '../../render/nginx/render-nginx.ts';
import { getTopology } from '../../topology/catalog.ts';
import type { PacedRun } from './nginx-cost.ts';
import { settingsRows, settingsTable, VARIANTS } from './nginx-settings.ts';

const rendered = renderNginxConfig(
  { ...getTopology('local'), appServers: 1 },
  { listenPort: 8080, upstreams: [3001] },
);

const bare = { tcp: '127.0.0.1:3999', unix: 'unix:/tmp/cachelab-bare/bare.sock' };

const directives = (config: string): string[] =>
  config
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^proxy_(buffer|http_version)/.test(l));

describe('nginx settings variants', () => {
  it('each changes the rendered config (but the first) and never repeats a directive nginx refuses twice', () => {
    const [asRendered, ...changes] = VARIANTS;
    expect(asRendered?.apply(rendered, bare)).toBe(rendered);
    for (const v of changes) {
      const config = v.apply(rendered, bare);
      expect(config, v.name).not.toBe(rendered);
      const seen = directives(config).map((d) => d.split(' ')[0]);
      expect(new Set(seen).size, `${v.name}: ${seen.join(', ')}`).toBe(seen.length);
    }
  });

  it('the 4k-buffer variant drops both buffer directives the renderer sets', () => {
    const variant = VARIANTS.find((v) => v.name === 'default 4k proxy buffers');
    expect(directives(rendered)).toContain('proxy_buffer_size 16k;');
    expect(directives(variant?.apply(rendered, bare) ?? '')).toEqual(['proxy_http_version 1.1;']);
  });

  it('turns off only the main access log, and pins the one worker without adding one', () => {
    const off =
      VARIANTS.find((v) => v.name.startsWith('access_log off'))?.apply(rendered, bare) ?? '';
    expect(off).not.toMatch(/access_log \S+ upstream/);
    expect(off.match(/access_log off;/g)).toHaveLength(2);
    const pinned =
      VARIANTS.find((v) => v.name.startsWith('worker pinned'))?.apply(rendered, bare) ?? '';
    expect(pinned).toContain('worker_processes 1;\nworker_cpu_affinity 10;');
  });

  it('points the upstream variants at the bare server, keeping the server parameters', () => {
    const servers = (name: string) =>
      (VARIANTS.find((v) => v.name.startsWith(name))?.apply(rendered, bare) ?? '')
        .split('\n')
        .filter((l) => /^\s*server \S+ max_fails/.test(l))
        .map((l) => l.trim());
    expect(servers('as rendered')).toEqual(['server 127.0.0.1:3001 max_fails=2 fail_timeout=5s;']);
    expect(servers('upstream: bare node:http, same body (TCP)')).toEqual([
      'server 127.0.0.1:3999 max_fails=2 fail_timeout=5s;',
    ]);
    expect(servers('upstream: bare node:http, same body (Unix')).toEqual([
      'server unix:/tmp/cachelab-bare/bare.sock max_fails=2 fail_timeout=5s;',
    ]);
  });

  it('every variant is a configuration nginx accepts (nginx -t)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachelab-variants-'));
    try {
      for (const sub of ['logs', 'temp']) mkdirSync(join(dir, sub));
      for (const v of VARIANTS) {
        const file = join(dir, 'nginx.conf');
        writeFileSync(file, v.apply(rendered, bare));
        expect(
          () => execFileSync('nginx', ['-t', '-q', '-p', dir, '-c', file], { stdio: 'pipe' }),
          v.name,
        ).not.toThrow();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('settingsRows', () => {
  const run = (nginxCpuUs: number, rps = 4_000): PacedRun => ({
    offeredRps: 4_000,
    rps,
    requests: rps * 4,
    nginxCpuUs,
    errors: 0,
  });

  it('gives each config its median, its multiple of the floor’s, and whether it kept the pace', () => {
    const rows = settingsRows(
      new Map([
        ['as rendered', [run(40), run(44), run(42)]],
        ['slow', [run(80, 3_000), run(90, 3_000), run(85)]],
        ['floor: return 200, same body', [run(20), run(21), run(22)]],
      ]),
    );
    expect(rows.map((r) => [r.variant, r.nginxCpuUsPerRequest, r.overFloor, r.keptPace])).toEqual([
      ['as rendered', 42, 2, true],
      ['slow', 85, 85 / 21, false],
      ['floor: return 200, same body', 21, 1, true],
    ]);
    expect(rows[1]?.offeredRps).toBe(4_000);
    expect(rows[1]?.rps).toBe(3_000);
  });

  it('marks a row whose requests failed, since its cost is not like-for-like', () => {
    const row = { offeredRps: 1000, rps: 1000, keptPace: true, nginxCpuUsPerRequest: 20 };
    const table = settingsTable([
      { ...row, variant: 'clean', overFloor: 2, errors: 0 },
      { ...row, variant: 'failing', overFloor: 2, errors: 5 },
    ]);
    const line = (name: string) => table.split('\n').find((l) => l.startsWith(name)) ?? '';
    expect(line('clean')).not.toContain('has errors');
    expect(line('failing')).toContain('2.00× (has errors)');
  });
});
