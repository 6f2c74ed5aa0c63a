import type { ComposeService, Healthcheck } from './compose-types.ts';

/** What a service may use on the 2-core lab box: caps (not reservations), so they may overlap. */
export const LIMITS = {
  nginx: { cpus: 1, mem_limit: '128m' },
  app: { cpus: 1, mem_limit: '768m' },
  seed: { cpus: 1, mem_limit: '512m' },
  postgres: { cpus: 1.5, mem_limit: '1g' },
  // maxmemory 256mb (lab/render/redis/redis-config.ts) plus the server's own overhead
  redis: { cpus: 0.5, mem_limit: '384m' },
  'redis-cluster-init': { cpus: 0.25, mem_limit: '64m' },
  prometheus: { cpus: 0.5, mem_limit: '512m' },
  exporter: { cpus: 0.25, mem_limit: '64m' },
  grafana: { cpus: 0.5, mem_limit: '256m' },
  k6: { cpus: 1, mem_limit: '512m' },
} as const satisfies Record<string, Pick<ComposeService, 'cpus' | 'mem_limit'>>;

/** Infrastructure answers its probe in milliseconds: poll often so `up` is quick. */
const FAST = { interval: '2s', timeout: '5s', retries: 15, start_period: '60s' };
/** The app's probe starts a Node process: poll less often, it costs CPU the benchmark needs. */
const NODE = { interval: '3s', timeout: '5s', retries: 10, start_period: '60s' };

/**
 * An HTTP GET probe that works in busybox/alpine images (wget) and in the Debian-based offline images,
 * which have no wget but have bash (/dev/tcp). Healthy when the status line says 200.
 */
export function httpProbe(port: number, path: string): Healthcheck {
  const url = `http://127.0.0.1:${port}${path}`;
  const request = `GET ${path} HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n`;
  const viaBash = `exec 3<>/dev/tcp/127.0.0.1/${port} && printf '${request}' >&3 && head -n 1 <&3 | grep -q ' 200 '`;
  const shell = `wget -q -O /dev/null ${url} 2>/dev/null || bash -c "${viaBash}"`;
  return { test: ['CMD-SHELL', shell], ...FAST };
}

/** GET /healthz of the app with the image's own Node (the app images have no wget or curl). */
export function appProbe(port: number): Healthcheck {
  const script = `fetch('http://127.0.0.1:${port}/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  return { test: ['CMD', 'node', '-e', script], ...NODE };
}

/**
 * Redis answers PING with PONG (an error reply such as LOADING or NOAUTH is not healthy); redis-cli
 * authenticates with REDISCLI_AUTH from the service's environment.
 */
export function redisProbe(port: number): Healthcheck {
  return { test: ['CMD-SHELL', `redis-cli -p ${port} ping | grep -q PONG`], ...FAST };
}

/**
 * Postgres accepts TCP connections. The entrypoints initialise over the unix socket only, so this
 * stays false until the real server is up, not while initdb and init scripts run.
 */
export function postgresProbe(user: string, db: string, port: number): Healthcheck {
  const test = [
    'CMD',
    'pg_isready',
    '-q',
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    user,
    '-d',
    db,
  ];
  return { test, ...FAST };
}

/** One-shot jobs (seed, cluster init, k6) have no health: their exit status is the signal. */
export const ONE_SHOT: Healthcheck = { disable: true };

/** A long-running service whose image has nothing to run a probe with: `running` is all it reports. */
export const NO_HEALTHCHECK: Healthcheck = { disable: true };
