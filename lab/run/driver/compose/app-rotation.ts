import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from '../../../lab-errors.ts';
import { appNames } from '../../../render/compose/base-services.ts';
import { CONTAINER_PORTS } from '../../../render/compose/compose-types.ts';
import { proxiedNginxUpstreams } from '../../../render/compose/fault-proxy-service.ts';
import { renderComposeNginx } from '../../../render/compose/render-compose.ts';
import { appContainerEnv, NGINX_CONF_VARIABLE } from '../../../render/compose/topology-overlay.ts';
import type { Topology } from '../../../topology/model.ts';
import { faultProxyApi } from '../../processes/fault-proxy-api.ts';
import { awaitNginxReload, nginxWorkerPids } from '../../processes/nginx.ts';
import type { RunningLab } from '../driver-types.ts';
import type { LifecycleOutcome } from '../lifecycle-types.ts';
import { appIndexOf, appProxies } from './app-proxies.ts';
import { execCommand } from './compose-binary.ts';
import { isReady, type ProjectContainer, projectContainers, roleOf } from './containers.ts';
import { createProxies, faultProxyUrl, storedProxyOverhead } from './network-setup.ts';
import { isProxied } from './plan.ts';
import { readRunRecord } from './record.ts';

const READY_TIMEOUT_MS = 90_000;
const docker = (args: string[], timeoutMs = 60_000) => execCommand('docker', args, { timeoutMs });

/** The run folder's nginx.conf, which nginx mounts (NGINX_CONF_VARIABLE) and the driver rewrites. */
const nginxConfPath = (runDir: string): string => join(runDir, 'nginx.conf');
const rotationPath = (runDir: string): string => join(runDir, 'rotation.json');

/**
 * Writes the nginx.conf of `topology` (as generated for its catalog twin, or as its variant has it)
 * into the run folder and returns the variable that makes nginx mount it, so app servers can be added
 * and removed with a reload.
 */
export async function prepareNginxConf(
  runDir: string,
  topology: Topology,
): Promise<Record<string, string>> {
  const path = nginxConfPath(runDir);
  const upstreams = isProxied(topology) ? proxiedNginxUpstreams(topology) : undefined;
  await writeFile(path, renderComposeNginx(topology, upstreams));
  return { [NGINX_CONF_VARIABLE]: path };
}

/** The app services nginx sends requests to (its upstream list), in order. */
export async function appsInRotation(lab: RunningLab): Promise<string[]> {
  const text = await readFile(rotationPath(lab.state.runDir), 'utf8').catch(() => undefined);
  return text === undefined ? appNames(lab.topology.appServers) : (JSON.parse(text) as string[]);
}

/** Where nginx reaches app server `name`: its proxy behind the fault proxy, else the container. */
export function upstreamOf(topology: Topology, name: string): string {
  if (isProxied(topology)) return appProxies(topology, appIndexOf(name)).upstream;
  return `${name}:${CONTAINER_PORTS.app}`;
}

async function containersOf(lab: RunningLab): Promise<ProjectContainer[]> {
  return projectContainers((await readRunRecord(lab.state.runDir)).project.name);
}

/** Polls `service` until it is running and healthy (bounded). */
export async function waitHealthy(lab: RunningLab, service: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const c = (await containersOf(lab)).find((x) => x.service === service);
    if (c && isReady(c)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new LabError('ACTION_FAILED', `${service} not healthy ${READY_TIMEOUT_MS} ms after start`);
}

/**
 * Rewrites the mounted nginx.conf in place (a bind mount follows the file, not a replacement) with
 * `apps` upstream, checks it with `nginx -t`, reloads, and waits for the new workers; with `drain`,
 * until the old ones have exited (so none still holds a request for a removed server).
 */
async function reloadNginx(lab: RunningLab, apps: string[], drain: boolean): Promise<void> {
  const upstreams = apps.map((name) => upstreamOf(lab.topology, name));
  await writeFile(nginxConfPath(lab.state.runDir), renderComposeNginx(lab.topology, upstreams));
  await writeFile(rotationPath(lab.state.runDir), `${JSON.stringify(apps)}\n`);
  const nginx = (await containersOf(lab)).find((c) => c.service === 'nginx');
  if (!nginx?.running) throw new LabError('ACTION_FAILED', 'nginx is not running');
  await docker(['exec', nginx.id, 'nginx', '-t', '-q']);
  const before = await nginxWorkerPids(nginx.pid);
  await docker(['kill', '--signal', 'HUP', nginx.id]);
  await awaitNginxReload(nginx.pid, before, drain);
}

interface Inspected {
  Name: string;
  Config: {
    Image: string;
    Env: string[];
    Labels: Record<string, string>;
    Healthcheck?: { Test: string[]; Interval: number; Timeout: number; Retries: number };
  };
  HostConfig: { NanoCpus: number; Memory: number };
  NetworkSettings: { Networks: Record<string, unknown> };
}

const shellQuote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;

function healthArgs(h: Inspected['Config']['Healthcheck']): string[] {
  if (!h || h.Test[0] === 'NONE') return [];
  const [form, ...rest] = h.Test;
  const cmd = form === 'CMD-SHELL' ? (rest[0] ?? '') : rest.map(shellQuote).join(' ');
  const ms = (ns: number) => `${Math.round(ns / 1e6)}ms`;
  return [
    ...['--health-cmd', cmd, '--health-interval', ms(h.Interval)],
    ...['--health-timeout', ms(h.Timeout), '--health-retries', String(h.Retries)],
  ];
}

/**
 * The environment of the new server: the topology's derivation for its index (behind the fault
 * proxy, through its proxies), with the compose variables (passwords, log level) resolved as compose
 * resolved them for `template`, whose proxied addresses they keep.
 */
function envOf(topology: Topology, index: number, template: Inspected): string[] {
  const resolved = new Map(template.Config.Env.map((kv) => kv.split(/=(.*)/s) as [string, string]));
  const proxied = isProxied(topology) ? appProxies(topology, index).env : {};
  for (const [key, value] of Object.entries({ ...appContainerEnv(topology, index), ...proxied })) {
    if (!value.includes('${')) resolved.set(key, value);
  }
  return [...resolved].map(([k, v]) => `${k}=${v}`);
}

/** `docker run` of app server `name` (index `index`) like `template`: image, network, limits, health. */
async function runAppContainer(lab: RunningLab, template: ProjectContainer, index: number) {
  const name = `app-${index + 1}`;
  const [t] = JSON.parse((await docker(['inspect', template.id])).stdout) as Inspected[];
  if (!t) throw new LabError('ACTION_FAILED', `cannot inspect ${template.name}`);
  const network = Object.keys(t.NetworkSettings.Networks)[0] ?? '';
  const labels = { ...t.Config.Labels, 'com.docker.compose.service': name };
  // The environment holds passwords: a 0600 file, not the command line.
  const envFile = join(lab.state.runDir, `${name}.env`);
  await writeFile(envFile, `${envOf(lab.topology, index, t).join('\n')}\n`, { mode: 0o600 });
  try {
    await docker([
      ...['run', '-d', '--name', t.Name.replace(/^\//, '').replace(template.service, name)],
      ...['--network', network, '--network-alias', name, '--env-file', envFile],
      ...['-p', `127.0.0.1::${CONTAINER_PORTS.app}`, '--stop-timeout', '15'],
      ...['--cpus', String(t.HostConfig.NanoCpus / 1e9), '--memory', String(t.HostConfig.Memory)],
      ...healthArgs(t.Config.Healthcheck),
      ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
      t.Config.Image,
    ]);
  } finally {
    await rm(envFile, { force: true });
  }
  return name;
}

/** The fault-proxy API of a proxied lab and its measured overhead, or undefined under loopback. */
async function proxyApiOf(lab: RunningLab) {
  if (!isProxied(lab.topology)) return undefined;
  const url = await faultProxyUrl((await readRunRecord(lab.state.runDir)).project.name);
  return { url, overheadMs: await storedProxyOverhead(lab.state.runDir) };
}

/** Behind the fault proxy: (re)creates app server `name`'s proxies, its toxics compensated. */
async function createAppProxies(lab: RunningLab, name: string): Promise<void> {
  const api = await proxyApiOf(lab);
  if (!api) return;
  const { proxies } = appProxies(lab.topology, appIndexOf(name));
  for (const p of proxies) await faultProxyApi(api.url).deleteProxy(p.name);
  await createProxies(api.url, proxies, api.overheadMs);
}

/** Behind the fault proxy: deletes app server `name`'s proxies (nginx→app and its bus). */
async function deleteAppProxies(lab: RunningLab, name: string): Promise<string[]> {
  const api = await proxyApiOf(lab);
  if (!api) return [];
  const names = appProxies(lab.topology, appIndexOf(name)).proxies.map((p) => p.name);
  for (const proxy of names) await faultProxyApi(api.url).deleteProxy(proxy);
  return names;
}

/**
 * Starts an app server (one taken out of rotation, or app-N+1 from the topology's derivation),
 * waits until it is healthy, then rewrites nginx.conf with it and reloads nginx.
 */
export async function addComposeApp(lab: RunningLab): Promise<LifecycleOutcome> {
  const rotation = await appsInRotation(lab);
  const apps = (await containersOf(lab)).filter((c) => roleOf(c.service) === 'app');
  const out = apps.find((c) => !rotation.includes(c.service));
  const template = apps.find((c) => c.running);
  if (!out && !template) throw new LabError('ACTION_FAILED', 'no app container to copy');
  let name = out?.service ?? `app-${apps.length + 1}`;
  await createAppProxies(lab, name);
  try {
    if (out && !out.running) await docker(['start', out.id]);
    if (!out && template) name = await runAppContainer(lab, template, apps.length);
    await waitHealthy(lab, name);
  } catch (error) {
    // Out of rotation again: its proxies go, as after a remove.
    await deleteAppProxies(lab, name).catch((cleanup: unknown) => {
      const cause = new AggregateError([error, cleanup]);
      throw new LabError('ACTION_FAILED', `${name} did not start; deleting its proxies failed`, {
        cause,
      });
    });
    throw error;
  }
  await reloadNginx(lab, [...rotation, name], false);
  return { service: name, detail: `started ${name}, healthy; nginx.conf rewritten and reloaded` };
}

/**
 * Takes `service` (default: the last in rotation) out of nginx.conf, reloads and waits until the old
 * workers have exited, then stops its container gracefully.
 */
export async function removeComposeApp(lab: RunningLab, service?: string) {
  const rotation = await appsInRotation(lab);
  const name = service ?? rotation.at(-1) ?? '';
  if (!rotation.includes(name) || rotation.length < 2) {
    const why = rotation.length < 2 ? 'it is the last one' : `in rotation: ${rotation.join(', ')}`;
    throw new LabError('ACTION_FAILED', `cannot remove '${name}' from rotation (${why})`);
  }
  const c = (await containersOf(lab)).find((x) => x.service === name);
  await reloadNginx(
    lab,
    rotation.filter((n) => n !== name),
    true,
  );
  if (c?.running) await docker(['stop', '--time', '10', c.id], 60_000);
  const proxies = await deleteAppProxies(lab, name);
  const deleted = proxies.length > 0 ? `; proxies ${proxies.join(', ')} deleted` : '';
  return {
    service: name,
    detail: `${name} out of nginx (reloaded, old workers exited), then stopped${deleted}`,
  };
}
