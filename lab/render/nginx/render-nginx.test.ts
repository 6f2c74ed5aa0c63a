import { describe, expect, it } from 'vitest';
import { getTopology } from '../../topology/catalog.ts';
import type { Topology } from '../../topology/model.ts';
import { renderNginxConfig } from './render-nginx.ts';

const ports = (n: number): number[] => Array.from({ length: n }, (_, i) => 20_001 + i);
const render = (t: Topology, upstreams = ports(t.appServers)): string =>
  renderNginxConfig(t, { listenPort: 20_000, upstreams, prefix: '/run/x' });
const serverLines = (conf: string): string[] =>
  conf.split('\n').filter((l) => /^\s+server 127/.test(l));

describe('renderNginxConfig', () => {
  it('has one upstream server per app server, from the model', () => {
    const local = getTopology('local');
    expect(serverLines(render(local))).toHaveLength(3);
    expect(serverLines(render({ ...local, appServers: 5 }))).toHaveLength(5);
    expect(serverLines(render(getTopology('local-single')))).toHaveLength(1);
    expect(render(local)).toContain('server 127.0.0.1:20002 max_fails=2 fail_timeout=5s;');
  });

  it('derives the balancing algorithm from the model', () => {
    const local = getTopology('local');
    const rr = render(local);
    expect(rr).not.toMatch(/least_conn|hash \$/);
    expect(render({ ...local, loadBalancing: 'least-conn' })).toContain('least_conn;');
    const hash = render(getTopology('local-hash'));
    expect(hash).toContain('hash $profile_id consistent;');
    expect(hash).toContain('map $uri $profile_id {');
    expect(hash).not.toContain('$request_uri');
  });

  it('retries only idempotent requests, shares state, keeps connections alive', () => {
    const conf = render(getTopology('global'));
    expect(conf).toContain('proxy_next_upstream error timeout;');
    expect(conf).not.toMatch(/proxy_next_upstream[^;]*http_503/);
    expect(conf).not.toContain('non_idempotent');
    for (const directive of ['zone app_servers 64k;', 'keepalive 64;', 'proxy_http_version 1.1;']) {
      expect(conf).toContain(directive);
    }
    expect(conf).toContain('proxy_set_header Connection "";');
    expect(conf).toContain('client_max_body_size 16k;');
    expect(conf).toMatch(/"code":"PAYLOAD_TOO_LARGE"/);
    expect(conf).toMatch(/location = \/nginx_status \{\n\s+stub_status;[\s\S]*allow 127\.0\.0\.1;/);
    expect(conf).toContain('server_tokens off;');
    expect(conf).toContain('listen 127.0.0.1:20000;');
  });
});
