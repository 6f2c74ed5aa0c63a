import { join } from 'node:path';
import { applySchema, seedUsers } from '../../../../services/app/src/db/setup.ts';
import { LabError } from '../../../lab-errors.ts';
import { describeRedis } from '../../../render/redis/redis-config.ts';
import { hasInvalidator } from '../../../topology/app-env.ts';
import type { Topology } from '../../../topology/model.ts';
import { describeNetwork, needsProxies } from '../../../topology/network.ts';
import { networkOf } from '../../../topology/network-proxies.ts';
import type { AppServerHandle } from '../../processes/app-server.ts';
import { waitUntil } from '../../processes/managed-process.ts';
import { httpStatus } from '../../processes/net-checks.ts';
import type { NginxHandle } from '../../processes/nginx.ts';
import { isPortFree } from '../../processes/ports.ts';
import type { PostgresHandle } from '../../processes/postgres.ts';
import type { CleanupStack } from '../cleanup-stack.ts';
import type { LabState, ObserveHook, ServiceRecord, UpOptions } from '../driver-types.ts';
import { linkLog } from '../service-record.ts';
import { startInvalidatorLayer } from './invalidator-layer.ts';
import {
  type RedisLayoutRun,
  startAppLayer,
  startNginxLayer,
  startPostgresLayer,
  startRedisLayer,
} from './layers.ts';
import {
  addAppProxies,
  appBackends,
  busAddresses,
  type NetworkRun,
  nginxUpstreams,
  startNetworkLayer,
} from './network-layer.ts';

/** Mutable state of one `up`: what has been started so far, and how to undo it. */
export interface UpContext {
  topology: Topology;
  runDir: string;
  /** Data, configs and raw logs of the native services. */
  servicesDir: string;
  /** `<service>.log` links to every log of the run. */
  logsDir: string;
  httpPort: number;
  seedUsers: number;
  appLogLevel: NonNullable<UpOptions['appLogLevel']>;
  startedAt: string;
  observe: ObserveHook | undefined;
  cleanup: CleanupStack;
  records: ServiceRecord[];
  postgres?: PostgresHandle;
  redis?: RedisLayoutRun;
  /** The fault proxy on every hop (and each app server's bus), under a profile other than loopback. */
  network?: NetworkRun;
  apps: AppServerHandle[];
  nginx?: NginxHandle;
}

/** One step of `up`, reported to the progress listener. */
export interface UpStep {
  label: string;
  run(ctx: UpContext): Promise<void>;
}

const SMOKE_TIMEOUT_MS = 15_000;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new LabError('UP_FAILED', `internal: ${what} is not started yet`);
  return value;
}

/** Throws PORT_IN_USE (naming --http-port and LAB_HTTP_PORT) when nothing can listen on `port`. */
export async function assertHttpPortFree(port: number): Promise<void> {
  if (await isPortFree(port)) return;
  throw new LabError(
    'PORT_IN_USE',
    `port ${port} on 127.0.0.1 is in use; choose another with --http-port P or LAB_HTTP_PORT=P`,
    { details: { port } },
  );
}

async function postgresStep(ctx: UpContext): Promise<void> {
  const { handle, record } = await startPostgresLayer(ctx.servicesDir);
  ctx.cleanup.push('postgres', handle.stop);
  ctx.postgres = handle;
  ctx.records.push(record);
  await linkLog(ctx.logsDir, 'postgres', handle.logPath);
}

async function seedStep(ctx: UpContext): Promise<void> {
  const postgres = need(ctx.postgres, 'postgres');
  await applySchema(postgres.url);
  await seedUsers(postgres.url, ctx.seedUsers);
}

async function redisStep(ctx: UpContext): Promise<void> {
  const redis = await startRedisLayer(ctx.topology, ctx.servicesDir);
  if (!redis) return;
  ctx.cleanup.push('redis', redis.stop);
  ctx.redis = redis;
  ctx.records.push(...redis.records);
  for (const [i, node] of redis.nodes.entries()) {
    await linkLog(ctx.logsDir, `redis-${i + 1}`, node.logPath);
  }
}

async function networkStep(ctx: UpContext): Promise<void> {
  const postgres = need(ctx.postgres, 'postgres');
  const run = await startNetworkLayer(ctx.topology, ctx.servicesDir, postgres.port, ctx.redis);
  if (!run) return;
  ctx.cleanup.push('fault proxy', run.handle.stop);
  ctx.network = run;
  ctx.records.push(run.record);
  await linkLog(ctx.logsDir, 'fault-proxy', run.handle.logPath);
}

/** Where app servers reach Postgres and Redis: through the fault proxy under a network profile. */
export function backendsOf(ctx: UpContext) {
  const direct = {
    databaseUrl: need(ctx.postgres, 'postgres').url,
    redis: ctx.redis?.endpoints ?? {},
  };
  return appBackends(direct, ctx.network);
}

async function appStep(ctx: UpContext): Promise<void> {
  const { databaseUrl, redis } = backendsOf(ctx);
  const servers = Array.from({ length: ctx.topology.appServers }, (_, i) => i);
  const bus = await Promise.all(
    servers.map((i) => busAddresses(ctx.topology, ctx.network, ctx.redis, i)),
  );
  const layer = await startAppLayer(ctx.topology, {
    servicesDir: ctx.servicesDir,
    databaseUrl,
    redis,
    bus,
    logLevel: ctx.appLogLevel,
  });
  ctx.cleanup.push('app servers', layer.stop);
  ctx.apps = layer.apps;
  ctx.records.push(...layer.records);
  for (const app of layer.apps) await linkLog(ctx.logsDir, app.name, app.logPath);
}

async function invalidatorStep(ctx: UpContext): Promise<void> {
  const { handle, record } = await startInvalidatorLayer(ctx.topology, {
    servicesDir: ctx.servicesDir,
    databaseUrl: need(ctx.postgres, 'postgres').url,
    redis: ctx.redis?.endpoints ?? {},
    logLevel: ctx.appLogLevel,
  });
  ctx.cleanup.push('invalidator', handle.stop);
  ctx.records.push(record);
  await linkLog(ctx.logsDir, 'invalidator', handle.logPath);
}

async function nginxStep(ctx: UpContext): Promise<void> {
  if (ctx.network) {
    await addAppProxies(
      ctx.topology,
      ctx.network,
      ctx.apps.map((a) => a.port),
    );
  }
  const ports = nginxUpstreams(ctx.apps, ctx.network);
  const { handle, record } = await startNginxLayer(
    ctx.topology,
    ctx.servicesDir,
    ctx.httpPort,
    ports,
  );
  ctx.cleanup.push('nginx', handle.stop);
  ctx.nginx = handle;
  ctx.records.push(record);
  await linkLog(ctx.logsDir, 'nginx', handle.logPath);
  await linkLog(ctx.logsDir, 'nginx-access', join(handle.prefix, 'logs', 'access.log'));
  await linkLog(ctx.logsDir, 'nginx-error', join(handle.prefix, 'logs', 'error.log'));
}

async function smokeStep(ctx: UpContext): Promise<void> {
  const url = `${need(ctx.nginx, 'nginx').url}/profiles/1`;
  await waitUntil(`GET ${url} through nginx`, async () => (await httpStatus(url)) === 200, {
    timeoutMs: SMOKE_TIMEOUT_MS,
    intervalMs: 100,
  });
}

async function observeStep(ctx: UpContext): Promise<void> {
  const hook = need(ctx.observe, 'the observe hook');
  const observers = await hook.start({ topology: ctx.topology, state: stateOf(ctx) });
  ctx.cleanup.push('observers', observers.stop);
  ctx.records.push(...observers.services);
}

/** The state-file view of what `ctx` has started so far. */
export function stateOf(ctx: UpContext): LabState {
  return {
    version: 1,
    driver: 'native',
    topology: ctx.topology.name,
    startedAt: ctx.startedAt,
    runDir: ctx.runDir,
    httpUrl: `http://127.0.0.1:${ctx.httpPort}`,
    httpPort: ctx.httpPort,
    databaseUrl: ctx.postgres?.url ?? '',
    redis: ctx.redis?.endpoints ?? {},
    services: [...ctx.records],
    network: networkOf(ctx.topology).profile,
  };
}

/** The steps that bring `topology` up, in order (Redis only when it has Redis, observers when asked). */
export function upSteps(
  topology: Topology,
  ctx: Pick<UpContext, 'httpPort' | 'seedUsers' | 'observe'>,
): UpStep[] {
  const redis: UpStep[] =
    topology.redis.kind === 'none'
      ? []
      : [{ label: `start redis (${describeRedis(topology)})`, run: redisStep }];
  const observe: UpStep[] = ctx.observe ? [{ label: 'start observers', run: observeStep }] : [];
  const invalidator: UpStep[] = hasInvalidator(topology)
    ? [{ label: 'start the outbox invalidator', run: invalidatorStep }]
    : [];
  const network = networkOf(topology);
  const proxies: UpStep[] = needsProxies(network)
    ? [{ label: `start fault proxy: ${describeNetwork(network)}`, run: networkStep }]
    : [];
  return [
    { label: 'start postgres', run: postgresStep },
    { label: `apply schema, seed ${ctx.seedUsers} users`, run: seedStep },
    ...redis,
    ...proxies,
    ...invalidator,
    { label: `start ${topology.appServers} app server(s)`, run: appStep },
    { label: `start nginx on 127.0.0.1:${ctx.httpPort}`, run: nginxStep },
    { label: 'GET /profiles/1 through nginx', run: smokeStep },
    ...observe,
  ];
}
