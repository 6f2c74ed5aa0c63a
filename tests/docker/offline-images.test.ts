import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import {
  DockerScope,
  describeWithDocker,
  docker,
  dockerOk,
  probeDockerEngine,
  publishedPort,
  waitFor,
} from './docker-cli.ts';
import { pin, readPins } from './pins-file.ts';

// Needs the images of scripts/build-offline-images.sh and a running engine (scripts/start-docker-engine.sh).
const probe = await probeDockerEngine();
const pins = readPins();
const image = (name: string) => pin(pins, `CACHELAB_OFFLINE_${name}_IMAGE`);
const IMAGE_KEYS = [
  'BASE',
  'NODE',
  'REDIS',
  'POSTGRES',
  'NGINX',
  'PROMETHEUS',
  'REDIS_EXPORTER',
  'POSTGRES_EXPORTER',
  'NGINX_EXPORTER',
  'APP',
] as const;
const NGINX_DIR = fileURLToPath(new URL('../../services/nginx/', import.meta.url));

describeWithDocker('offline images', probe, () => {
  const scope = new DockerScope('offline-images');
  const run = (args: string[], timeoutMs?: number) =>
    dockerOk(['run', '--label', scope.label, ...args], timeoutMs);

  afterAll(() => scope.cleanup());

  async function network(): Promise<string> {
    const name = scope.name(`net-${Math.random().toString(36).slice(2, 8)}`);
    await dockerOk(['network', 'create', '--label', scope.label, name]);
    return name;
  }

  /** Waits for a container's HEALTHCHECK; fails fast with its logs when it exits instead. */
  async function healthy(container: string): Promise<void> {
    await waitFor(
      `${container} healthy`,
      async () => {
        const state = await dockerOk([
          'inspect',
          '-f',
          '{{.State.Status}} {{.State.Health.Status}}',
          container,
        ]);
        if (state.startsWith('exited')) {
          const logs = await docker(['logs', '--tail', '30', container]);
          throw new Error(`${container} exited: ${logs.stdout}${logs.stderr}`);
        }
        return state === 'running healthy' ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  }

  it('every offline image of the pins file exists and carries its inputs hash', async () => {
    for (const key of IMAGE_KEYS) {
      const format = '{{ index .Config.Labels "org.cachelab.inputs-hash" }}';
      const result = await docker(['image', 'inspect', '--format', format, image(key)]);
      expect(result.code, `${image(key)} missing: run scripts/build-offline-images.sh`).toBe(0);
      expect(result.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('redis answers by service name on a user-defined network and on a 127.0.0.1 port', async () => {
    const net = await network();
    const server = scope.name('redis');
    await run(
      ['-d', '--name', server, '--network', net, '--network-alias', 'cache'].concat([
        '-p',
        '127.0.0.1::6379',
        image('REDIS'),
      ]),
    );
    await waitFor('redis ready', async () =>
      (await docker(['logs', server])).stdout.includes('Ready to accept connections')
        ? true
        : undefined,
    );
    const viaDns = await run([
      '--rm',
      '--network',
      net,
      image('REDIS'),
      'redis-cli',
      '-h',
      'cache',
      'PING',
    ]);
    expect(viaDns).toBe('PONG');
    const client = new Redis({
      host: '127.0.0.1',
      port: await publishedPort(server, 6379),
      lazyConnect: true,
    });
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
    expect(await dockerOk(['exec', server, 'stat', '-c', '%U', '/proc/1'])).toBe('redis');
  });

  it('postgres initialises from POSTGRES_* and answers SELECT 1 over 127.0.0.1', async () => {
    const name = scope.name('postgres');
    const env = [
      '-e',
      'POSTGRES_PASSWORD=lab-secret',
      '-e',
      'POSTGRES_USER=lab',
      '-e',
      'POSTGRES_DB=labdb',
    ];
    await run(['-d', '--name', name, '-p', '127.0.0.1::5432', ...env, image('POSTGRES')]);
    const ready = ['exec', name, 'pg_isready', '-h', '127.0.0.1', '-U', 'lab', '-d', 'labdb'];
    await waitFor(
      'postgres ready',
      async () => ((await docker(ready)).code === 0 ? true : undefined),
      {
        timeoutMs: 90_000,
        intervalMs: 500,
      },
    );
    const port = await publishedPort(name, 5432);
    const client = new pg.Client({
      connectionString: `postgres://lab:lab-secret@127.0.0.1:${port}/labdb`,
    });
    await client.connect();
    try {
      const result = await client.query('SELECT 1 AS one, current_user AS who');
      expect(result.rows[0]).toEqual({ one: 1, who: 'lab' });
    } finally {
      await client.end();
    }
    expect(await dockerOk(['exec', name, 'stat', '-c', '%U', '/proc/1'])).toBe('postgres');
  });

  it('nginx accepts services/nginx and its exporter scrapes stub_status', async () => {
    const mounts = ['-v', `${NGINX_DIR}nginx.conf:/etc/nginx/nginx.conf:ro`];
    mounts.push('-v', `${NGINX_DIR}conf.d:/etc/nginx/conf.d:ro`);
    const check = await docker([
      'run',
      '--rm',
      '--label',
      scope.label,
      ...mounts,
      image('NGINX'),
      'nginx',
      '-t',
    ]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toContain('syntax is ok');

    const net = await network();
    await run(
      ['-d', '--name', scope.name('nginx'), '--network', net, '--network-alias', 'web'].concat(
        mounts,
        [image('NGINX')],
      ),
    );
    const exporter = scope.name('nginx-exporter');
    await run(
      [
        '-d',
        '--name',
        exporter,
        '--network',
        net,
        '-p',
        '127.0.0.1::9113',
        image('NGINX_EXPORTER'),
      ].concat(['--nginx.scrape-uri=http://web:8081/stub_status']),
    );
    const url = `http://127.0.0.1:${await publishedPort(exporter, 9113)}/metrics`;
    const metrics = await waitFor('nginx_up 1', async () => {
      const body = await fetch(url).then(
        (response) => response.text(),
        () => '',
      );
      return body.includes('nginx_up 1') ? body : undefined;
    });
    expect(metrics).toContain('nginx_connections_accepted');
  });

  it('prometheus and the three exporters run and print their versions', async () => {
    const expected: [string, RegExp][] = [
      ['PROMETHEUS', /prometheus, version 2\./],
      ['REDIS_EXPORTER', /Redis Metrics Exporter/],
      ['POSTGRES_EXPORTER', /postgres_exporter, version/],
      ['NGINX_EXPORTER', /NGINX Prometheus Exporter/],
    ];
    for (const [key, pattern] of expected) {
      const result = await docker(['run', '--rm', '--label', scope.label, image(key), '--version']);
      expect(result.code, `${key}: ${result.stderr}`).toBe(0);
      expect(result.stdout + result.stderr).toMatch(pattern);
    }
    const promtool = ['--entrypoint', 'promtool', image('PROMETHEUS'), 'check', 'config'];
    expect(await run(['--rm', ...promtool, '/etc/prometheus/prometheus.yml'])).toContain('SUCCESS');
  });

  it('the node image runs Node >= 20 and has the uid-1000 user `node`', async () => {
    const version = await run(['--rm', image('NODE'), 'node', '-p', 'process.versions.node']);
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(20);
    expect(await run(['--rm', '--user', 'node', image('NODE'), 'id', '-u'])).toBe('1000');
  });

  it('the app image runs as `node` and its HEALTHCHECK turns healthy without a database', async () => {
    const config = JSON.parse(
      await dockerOk(['image', 'inspect', '--format', '{{json .Config}}', image('APP')]),
    );
    expect(config.User).toBe('node');
    expect(config.Healthcheck?.Test?.[0]).toBe('CMD');
    const name = scope.name('app');
    await run([
      '-d',
      '--name',
      name,
      '-p',
      '127.0.0.1::3000',
      '-e',
      'CACHE_MODE=none',
      image('APP'),
    ]);
    await healthy(name);
    const response = await fetch(`http://127.0.0.1:${await publishedPort(name, 3000)}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('leaves no container, network or volume behind', async () => {
    await scope.cleanup();
    expect(await scope.leftovers()).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
