import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNginxConfig } from '../../render/nginx/render-nginx.ts';
import { getTopology } from '../../topology/catalog.ts';
import { bodyVariables, nginxFloorConfig } from './nginx-floor.ts';

const proxy = renderNginxConfig(
  { ...getTopology('local'), appServers: 1 },
  { listenPort: 18_080, upstreams: [18_081] },
);

describe('nginxFloorConfig', () => {
  it('keeps every other setting and answers the body itself instead of proxying', () => {
    const body = JSON.stringify({ id: 1, bio: 'x'.repeat(5_000) });
    const floor = nginxFloorConfig(proxy, body);
    expect(floor).not.toContain('proxy_pass');
    const joined = [1, 2, 3, 4].map((i) => `\${floor_body_${i}}`).join('');
    expect(floor).toContain(`return 200 "${joined}";`);
    for (const setting of ['worker_processes 1;', 'keepalive_requests 100000;', 'access_log']) {
      expect(floor).toContain(setting);
    }
    expect(floor).toContain('location = /nginx_status');
  });

  it('escapes quotes and backslashes, and spells a dollar through a variable', () => {
    const { lines, expression } = bodyVariables(`{"a":"it's \\ $5"}`);
    expect(lines[0]).toBe('geo $dollar { default "$"; }');
    expect(lines[1]).toBe(`map "" $floor_body_1 { default '{"a":"it\\'s \\\\ \${dollar}5"}'; }`);
    expect(expression).toBe(`\${floor_body_1}`);
  });

  it('is a configuration nginx accepts (nginx -t)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachelab-floor-'));
    try {
      for (const sub of ['logs', 'temp']) mkdirSync(join(dir, sub));
      const file = join(dir, 'nginx.conf');
      writeFileSync(file, nginxFloorConfig(proxy, `{"v":"${'y'.repeat(9_000)}$'"}`));
      expect(() =>
        execFileSync('nginx', ['-t', '-q', '-p', dir, '-c', file], { stdio: 'pipe' }),
      ).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a configuration without `location /`', () => {
    expect(() => nginxFloorConfig('events {}\nhttp {\n}\n', '{}')).toThrow(/location/);
  });
});
