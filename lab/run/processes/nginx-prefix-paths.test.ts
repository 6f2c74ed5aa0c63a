import { describe, expect, it } from 'vitest';
import { containNginxConfig, nginxGlobalDirectives } from './nginx-prefix-paths.ts';

const BARE = 'events {}\nhttp {\n  server { listen 127.0.0.1:8080; }\n}\n';

describe('containNginxConfig', () => {
  it('adds temp paths and the access log inside http {} when absent', () => {
    const out = containNginxConfig(BARE);
    expect(out).toMatch(
      /http \{\n {2}# added by lab\/run\/processes\/nginx.ts\n {2}client_body_temp_path temp\/body;/,
    );
    expect(out).toContain('access_log logs/access.log;');
  });

  it('keeps directives the config already has', () => {
    const config = BARE.replace('http {', 'http {\n  access_log off;');
    const out = containNginxConfig(config);
    expect(out.match(/access_log/g)).toHaveLength(1);
  });

  it('rejects a daemonizing config', () => {
    expect(() => containNginxConfig(`daemon on;\n${BARE}`)).toThrow(/daemon on/);
  });
});

describe('nginxGlobalDirectives', () => {
  it('adds daemon off and a pid file only when the config lacks them', () => {
    expect(nginxGlobalDirectives(BARE)).toBe('daemon off; pid nginx.pid;');
    expect(nginxGlobalDirectives(`pid run/n.pid;\ndaemon off;\n${BARE}`)).toBe('');
  });
});
