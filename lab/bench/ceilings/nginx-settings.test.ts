import { describe, expect, it } from 'vitest';
import { renderNginxConfig } from '../../render/nginx/render-nginx.ts';
import { getTopology } from '../../topology/catalog.ts';
import { VARIANTS } from './nginx-settings.ts';

const rendered = renderNginxConfig(
  { ...getTopology('local'), appServers: 1 },
  { listenPort: 8080, upstreams: [3001] },
);

const directives = (config: string): string[] =>
  config
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^proxy_(buffer|http_version)/.test(l));

describe('nginx settings variants', () => {
  it('each changes the rendered config (but the first) and never repeats a directive nginx refuses twice', () => {
    const [asRendered, ...changes] = VARIANTS;
    expect(asRendered?.apply(rendered)).toBe(rendered);
    for (const v of changes) {
      const config = v.apply(rendered);
      expect(config, v.name).not.toBe(rendered);
      const seen = directives(config).map((d) => d.split(' ')[0]);
      expect(new Set(seen).size, `${v.name}: ${seen.join(', ')}`).toBe(seen.length);
    }
  });

  it('the 4k-buffer variant drops both buffer directives the renderer sets', () => {
    const variant = VARIANTS.find((v) => v.name === 'default 4k proxy buffers');
    expect(directives(rendered)).toContain('proxy_buffer_size 16k;');
    expect(directives(variant?.apply(rendered) ?? '')).toEqual(['proxy_http_version 1.1;']);
  });
});
