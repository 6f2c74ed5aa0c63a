import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LabError } from '../../../lab-errors.ts';
import { renderNginxConfig, upstreamServerName } from '../../../render/nginx/render-nginx.ts';
import { appServerEnv } from '../../../topology/app-env.ts';
import { startAppServer } from '../../processes/app-server.ts';
import { startNginx } from '../../processes/nginx.ts';
import { postgresOsUser } from '../../processes/os-user.ts';
import { spawnPostgres, waitPostgresReady } from '../../processes/postgres-server.ts';
import type { ServiceRecord, ServiceRole } from '../driver-types.ts';
import { recordOf } from '../service-record.ts';
import { announceCluster, busAddresses, nginxUpstreams } from './network-layer.ts';
import { backendsOf, type UpContext } from './up.ts';

/** One native service as the lifecycle operations see it. */
export interface NativeService {
  name: string;
  role: Exclude<ServiceRole, 'observer' | 'network'>;
  pid(): number;
  running(): boolean;
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** Starts it again on the same port and settings; returns its new record. */
  start(): Promise<ServiceRecord>;
}

/** Which app servers nginx sends requests to, and which processes are paused, per running lab. */
export interface NativeExtras {
  outOfRotation: Set<string>;
  paused: Set<string>;
}

const extras = new WeakMap<UpContext, NativeExtras>();

/** The lifecycle bookkeeping of `ctx`, created on first use. */
export function extrasOf(ctx: UpContext): NativeExtras {
  let found = extras.get(ctx);
  if (!found) {
    found = { outOfRotation: new Set(), paused: new Set() };
    extras.set(ctx, found);
  }
  return found;
}

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new LabError('ACTION_FAILED', `internal: no ${what}`);
  return value;
};

/** nginx.conf of the app servers currently in rotation. */
export function nginxConfigOf(ctx: UpContext): string {
  const { outOfRotation } = extrasOf(ctx);
  const inRotation = ctx.apps.filter((a) => !outOfRotation.has(a.name));
  const upstreams = nginxUpstreams(inRotation, ctx.network);
  return renderNginxConfig(ctx.topology, { listenPort: ctx.httpPort, upstreams });
}

/** App server `name`'s `server` name in nginx's upstream (its proxy's port under a network profile). */
export function upstreamNameOf(ctx: UpContext, name: string): string | undefined {
  const app = ctx.apps.find((a) => a.name === name);
  const port = app && nginxUpstreams([app], ctx.network)[0];
  return port === undefined ? undefined : upstreamServerName(port);
}

/**
 * Starts app server `index` (0-based) of ctx, on `port` when given (a restart keeps its port), with
 * its own bus proxies under a network profile (created for a server added after `up`).
 */
export async function startApp(ctx: UpContext, index: number, port?: number) {
  const env = appServerEnv(ctx.topology, {
    index,
    ...(port === undefined ? {} : { port }),
    ...backendsOf(ctx),
    bus: await busAddresses(ctx.topology, ctx.network, ctx.redis, index),
    diskCacheDir: join(ctx.servicesDir, 'disk-cache'),
    logLevel: ctx.appLogLevel,
  });
  return startAppServer({ runDir: ctx.servicesDir, env, name: `app-${index + 1}` });
}

function appService(ctx: UpContext, index: number): NativeService {
  const current = () => need(ctx.apps[index], `app-${index + 1}`);
  return {
    name: current().name,
    role: 'app',
    pid: () => current().pid,
    running: () => processAlive(current().pid),
    kill: () => current().kill(),
    stop: () => current().stop(),
    start: async () => {
      const old = current();
      if (ctx.topology.cache.mode === 'local-disk') {
        await rm(join(ctx.servicesDir, 'disk-cache', old.serverId), {
          recursive: true,
          force: true,
        });
      }
      const app = await startApp(ctx, index, old.port);
      ctx.apps[index] = app; // the same array the app layer's stop() walks
      return recordOf(app.name, 'app', app, [app.port]);
    },
  };
}

function redisService(ctx: UpContext, index: number): NativeService {
  const node = need(ctx.redis?.nodes[index], `redis-${index + 1}`);
  const ports = need(ctx.redis, 'redis').records[index]?.ports ?? [node.port];
  return {
    name: `redis-${index + 1}`,
    role: 'redis',
    pid: () => node.pid,
    running: () => node.running,
    kill: () => node.kill(),
    stop: () => node.stop(),
    start: async () => {
      await node.restart();
      const { network, redis } = ctx;
      if (network && redis) await announceCluster(network, redis);
      return recordOf(`redis-${index + 1}`, 'redis', node, ports);
    },
  };
}

function postgresService(ctx: UpContext): NativeService {
  const current = () => need(ctx.postgres, 'postgres');
  return {
    name: 'postgres',
    role: 'postgres',
    pid: () => current().pid,
    running: () => processAlive(current().pid),
    kill: () => current().kill(),
    stop: () => current().stop(),
    start: async () => {
      const pg = current();
      const dir = dirname(pg.dataDir);
      const base = { name: 'postgres', runDir: ctx.servicesDir, dataDir: pg.dataDir };
      const user = postgresOsUser();
      const proc = await spawnPostgres({ ...base, socketDir: dir, port: pg.port, user });
      ctx.cleanup.push('postgres (restarted)', async () => void (await proc.stop()));
      await waitPostgresReady(proc, { connectionString: pg.url });
      const stop = async (): Promise<void> => void (await proc.stop());
      const kill = async (): Promise<void> => void (await proc.kill());
      ctx.postgres = { ...pg, pid: proc.pid, stop, kill, [Symbol.asyncDispose]: stop };
      return recordOf('postgres', 'postgres', proc, [pg.port], 'SIGINT');
    },
  };
}

function nginxService(ctx: UpContext): NativeService {
  const current = () => need(ctx.nginx, 'nginx');
  return {
    name: 'nginx',
    role: 'nginx',
    pid: () => current().pid,
    running: () => processAlive(current().pid),
    kill: () => current().kill(),
    stop: () => current().stop(),
    start: async () => {
      const port = ctx.httpPort;
      const handle = await startNginx({
        runDir: ctx.servicesDir,
        config: nginxConfigOf(ctx),
        port,
      });
      ctx.cleanup.push('nginx (restarted)', handle.stop);
      ctx.nginx = handle;
      return recordOf('nginx', 'nginx', handle, [port]);
    },
  };
}

/** True while `pid` exists (a zombie of ours is reaped by the process layer). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every service of a running native lab, in stop order reversed (postgres first). */
export function nativeServices(ctx: UpContext): NativeService[] {
  return [
    ...(ctx.postgres ? [postgresService(ctx)] : []),
    ...(ctx.redis?.nodes ?? []).map((_, i) => redisService(ctx, i)),
    ...ctx.apps.map((_, i) => appService(ctx, i)),
    ...(ctx.nginx ? [nginxService(ctx)] : []),
  ];
}

/** The service called `name`; ACTION_FAILED listing the names otherwise. */
export function nativeService(ctx: UpContext, name: string): NativeService {
  const all = nativeServices(ctx);
  const found = all.find((s) => s.name === name);
  if (!found) {
    const names = all.map((s) => s.name).join(', ');
    throw new LabError('ACTION_FAILED', `no service '${name}' in this lab; services: ${names}`);
  }
  return found;
}
