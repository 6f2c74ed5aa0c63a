import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LabError } from '../../lab-errors.ts';
import { CATALOG, getTopology } from '../../topology/catalog.ts';
import { withConsistency } from '../../topology/consistency.ts';
import {
  renderStack,
  renderSwarmNginx,
  type StackRenderOptions,
  stackPhases,
  stackSubset,
  stackYaml,
} from './render-stack.ts';

const options = (nodes: string[] = ['node-a']): StackRenderOptions => ({
  images: { nginx: 'img/nginx:1', app: 'img/app:1', postgres: 'img/pg:1', redis: 'img/redis:1' },
  httpPort: 18080,
  hostPorts: { postgres: 15432, redis: [16379, 16380, 16381, 16382, 16383, 16384] },
  seedUsers: 500,
  appLogLevel: 'warn',
  nodes,
  files: {
    nginxConf: '/run/nginx.conf',
    redisConf: '/repo/redis.conf',
    redisClusterConf: '/repo/redis-cluster.conf',
    clusterInit: '/repo/cluster-init.sh',
    postgresPassword: '/run/secrets/pg',
    redisPassword: '/run/secrets/redis',
  },
});

describe('renderStack', () => {
  it.each(CATALOG.map((t) => [t.name]))('%s: dnsrr, limits, and a healthcheck or a job', (name) => {
    const stack = renderStack(getTopology(name), options());
    for (const [service, s] of Object.entries(stack.services)) {
      expect(s.deploy.endpoint_mode, service).toBe('dnsrr');
      expect(Number(s.deploy.resources.limits.cpus), service).toBeGreaterThan(0);
      expect(s.deploy.resources.limits.memory, service).toMatch(/^\d+[MG]$/);
      expect(s.networks, service).toEqual(['lab']);
      const job = service === 'seed' || service === 'redis-cluster-init';
      expect(s.deploy.restart_policy.condition, service).toBe(job ? 'on-failure' : 'any');
      if (!job) expect(s.healthcheck?.test?.length ?? 0, service).toBeGreaterThan(0);
      for (const port of s.ports ?? []) expect(port.mode, service).toBe('host');
    }
    expect(stack.services.app?.deploy.replicas).toBe(getTopology(name).appServers);
    expect(stack.networks.lab).toEqual({ driver: 'overlay', attachable: true });
  });

  it('gives each app task its own SERVER_ID and keeps passwords in secrets only', () => {
    const stack = renderStack(getTopology('two-tier'), options());
    const app = stack.services.app;
    expect(app?.environment?.SERVER_ID).toBe('app-{{.Task.Slot}}');
    expect(app?.environment?.DATABASE_URL).toBeUndefined();
    expect(app?.secrets?.map((s) => s.source)).toEqual(['postgres_password', 'redis_password']);
    expect(app?.entrypoint?.[2]).toContain('$(cat /run/secrets/redis_password)');
    expect(Object.keys(stack.secrets)).toEqual(['postgres_password', 'redis_password']);
  });

  it('doubles every $ so docker stack deploy leaves the shell its variables', () => {
    const text = stackYaml(renderStack(getTopology('global'), options()));
    expect(text).not.toMatch(/(^|[^$])\$(?!\$)\(/m);
    const parsed = parse(text) as { services: { app: { entrypoint: string[] } } };
    expect(parsed.services.app.entrypoint[2]).toContain('$$(cat /run/secrets/postgres_password)');
  });

  it('announces cluster nodes by service name and creates the cluster in a job', () => {
    const stack = renderStack(getTopology('global-cluster'), options());
    expect(stack.services['redis-3']?.command).toEqual(
      expect.arrayContaining(['--cluster-announce-hostname', 'redis-3', 'hostname']),
    );
    expect(stack.services['redis-cluster-init']?.command).toEqual([
      '1',
      ...[1, 2, 3, 4, 5, 6].map((i) => `redis-${i}:6379`),
    ]);
  });

  it('spreads Redis nodes over the swarm nodes when there are several, not on one node', () => {
    const many = renderStack(getTopology('global-cluster'), options(['n1', 'n2', 'n3']));
    const nodeOf = (i: number) => many.services[`redis-${i}`]?.deploy.placement?.constraints;
    expect([1, 2, 3, 4].map(nodeOf)).toEqual([
      ['node.id == n1'],
      ['node.id == n2'],
      ['node.id == n3'],
      ['node.id == n1'],
    ]);
    const one = renderStack(getTopology('global-cluster'), options(['n1']));
    expect(one.services['redis-1']?.deploy.placement).toBeUndefined();
  });

  it('deploys the stores, then the jobs, then the app servers and nginx', () => {
    const stack = renderStack(getTopology('global-cluster'), options());
    const phases = stackPhases(stack);
    expect(phases[0]).toEqual(['postgres', ...[1, 2, 3, 4, 5, 6].map((i) => `redis-${i}`)]);
    expect(phases[1]).toEqual(['seed', 'redis-cluster-init']);
    expect(phases[2]).toEqual(['app', 'invalidator', 'nginx']);
    expect(Object.keys(stackSubset(stack, phases[0] ?? []).services)).toHaveLength(7);
  });

  it('runs the outbox invalidator only where the consistency mode has an outbox', () => {
    const outbox = renderStack(withConsistency(getTopology('global'), 'outbox+lease'), options());
    const invalidator = outbox.services.invalidator;
    expect(invalidator?.command).toEqual([
      '--enable-source-maps',
      'dist/services/invalidator/src/main.js',
    ]);
    expect(invalidator?.environment).toMatchObject({
      CONSISTENCY: 'outbox+lease',
      SERVER_ID: 'invalidator',
      PORT: '3000',
    });
    expect(invalidator?.environment).not.toHaveProperty('DATABASE_URL');
    expect(invalidator?.secrets?.map((m) => m.source)).toEqual([
      'postgres_password',
      'redis_password',
    ]);
    const lease = renderStack(withConsistency(getTopology('global'), 'lease'), options());
    expect(lease.services).not.toHaveProperty('invalidator');
    expect(stackPhases(lease)[2]).toEqual(['app', 'nginx']);
  });

  it('fails on a Redis host port short of the nodes', () => {
    const o = { ...options(), hostPorts: { postgres: 1, redis: [2] } };
    expect(() => renderStack(getTopology('global-sharded'), o)).toThrow(/no host port for redis-2/);
  });
});

describe('renderSwarmNginx', () => {
  it('re-resolves the app service through Docker DNS every second', () => {
    const variable = renderSwarmNginx(getTopology('global'), 'variable');
    expect(variable).toContain('resolver 127.0.0.11 valid=1s ipv6=off;');
    expect(variable).toContain('set $app_servers "app:3000";');
    expect(variable).toContain('proxy_pass http://$app_servers;');
    expect(variable).not.toContain('upstream app_servers');
    const resolve = renderSwarmNginx(getTopology('local-hash'), 'resolve');
    expect(resolve).toMatch(
      /upstream app_servers \{\n\s+zone app_servers 64k;\n\s+hash \$profile_id consistent;\n\s+server app:3000 resolve /,
    );
  });

  it('refuses a balancing the variable mode cannot keep, naming the fix', () => {
    expect(() => renderSwarmNginx(getTopology('local-hash'), 'variable')).toThrow(LabError);
    expect(() => renderSwarmNginx(getTopology('local-hash'), 'variable')).toThrow(
      /CACHELAB_OFFLINE=0/,
    );
  });
});
