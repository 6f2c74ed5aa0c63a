import { LabError } from '../../../lab-errors.ts';
import { compensated, hopDelays, latencyToxics } from '../../../topology/network.ts';
import { networkOf } from '../../../topology/network-proxies.ts';
import { faultProxyApi, listenPort } from '../../processes/fault-proxy-api.ts';
import type { RunningLab } from '../driver-types.ts';
import type { LifecycleOutcome } from '../lifecycle-types.ts';
import { recordOf } from '../service-record.ts';
import { contextOf, updateRecord } from './lab-context.ts';
import type { NetworkRun } from './network-layer.ts';
import { extrasOf, nginxConfigOf, startApp } from './service-handles.ts';
import type { UpContext } from './up.ts';

/** Reloads nginx with the servers in rotation; with `drain`, until the old workers have exited. */
async function reloadNginx(ctx: UpContext, drain = false): Promise<void> {
  const nginx = ctx.nginx;
  if (!nginx) throw new LabError('ACTION_FAILED', 'internal: nginx is not running');
  await nginx.reload(nginxConfigOf(ctx), { drain });
}

/** A fault proxy in front of a new app server, with its hop's latency, so nginx reaches it like the others. */
async function addAppProxy(ctx: UpContext, run: NetworkRun, app: { name: string; port: number }) {
  const api = faultProxyApi(run.handle.url);
  const [proxy] = await api.populate([
    { name: app.name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${app.port}` },
  ]);
  if (!proxy) throw new LabError('ACTION_FAILED', `the fault proxy did not create ${app.name}`);
  run.ports.set(app.name, listenPort(proxy.listen));
  const delay = hopDelays(networkOf(ctx.topology))['nginx-app'];
  for (const toxic of latencyToxics(delay)) {
    await api.addToxic(app.name, compensated(toxic, run.overheadMs));
  }
}

/**
 * Starts app server N+1 (or brings back one taken out of rotation), waits until it answers /healthz,
 * then reloads nginx with it in the upstream list.
 */
export async function addNativeApp(lab: RunningLab): Promise<LifecycleOutcome> {
  const ctx = contextOf(lab);
  const { outOfRotation } = extrasOf(ctx);
  const index = ctx.apps.findIndex((a) => outOfRotation.has(a.name));
  const app =
    index >= 0
      ? await startApp(ctx, index, ctx.apps[index]?.port)
      : await startApp(ctx, ctx.apps.length);
  if (index >= 0) ctx.apps[index] = app;
  else {
    ctx.apps.push(app); // the app layer's stop() walks this array
    if (ctx.network) await addAppProxy(ctx, ctx.network, app);
  }
  outOfRotation.delete(app.name);
  updateRecord(lab, recordOf(app.name, 'app', app, [app.port]));
  await reloadNginx(ctx);
  return { service: app.name, detail: `started ${app.name} on :${app.port}, nginx reloaded` };
}

/**
 * Takes `name` (default: the last app server in rotation) out of nginx, waits until the workers that
 * could still send it requests have exited, then stops it gracefully.
 */
export async function removeNativeApp(lab: RunningLab, name?: string): Promise<LifecycleOutcome> {
  const ctx = contextOf(lab);
  const { outOfRotation } = extrasOf(ctx);
  const inRotation = ctx.apps.filter((a) => !outOfRotation.has(a.name));
  const app = name ? inRotation.find((a) => a.name === name) : inRotation.at(-1);
  if (!app) {
    const names = inRotation.map((a) => a.name).join(', ');
    throw new LabError(
      'ACTION_FAILED',
      `no app server '${name}' in rotation; in rotation: ${names}`,
    );
  }
  if (inRotation.length === 1) {
    throw new LabError('ACTION_FAILED', `${app.name} is the last app server in rotation`);
  }
  outOfRotation.add(app.name);
  // No worker may still hold a request for it when it stops: the old generation finishes first.
  await reloadNginx(ctx, true);
  await app.stop();
  return {
    service: app.name,
    detail: `${app.name} out of nginx (reloaded, old workers exited), then stopped`,
  };
}
