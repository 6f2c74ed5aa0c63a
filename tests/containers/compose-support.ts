import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  type ComposeCli,
  DOWN_COMMAND,
  detectComposeCli,
  runCompose,
} from '../../lab/run/driver/compose/compose-binary.ts';
import { createComposeDriver } from '../../lab/run/driver/compose/driver.ts';
import { parseSecrets, placeholderSecrets } from '../../lab/run/driver/compose/secrets.ts';
import type { ComposeLab } from '../../lab/run/driver/compose/up.ts';
import { freePort } from '../../lab/run/processes/ports.ts';
import type { Topology } from '../../lab/topology/model.ts';
import { docker, dockerOk, type EngineProbe, probeDockerEngine } from '../docker/docker-cli.ts';

/** Engine and compose CLI of the compose suites; `cli` is set when both answer. */
export interface ComposeProbe extends EngineProbe {
  cli?: ComposeCli;
}

/** Probes the engine, then a compose CLI (v2 first); a missing one is the skip (or failure) reason. */
export async function probeCompose(): Promise<ComposeProbe> {
  const engine = await probeDockerEngine();
  if (!engine.available) return engine;
  try {
    const cli = await detectComposeCli('auto');
    return { ...engine, cli, reason: `${engine.reason}, compose ${cli.flavor}` };
  } catch (error) {
    const reason = `no compose CLI: ${error instanceof Error ? error.message : String(error)}`;
    return { ...engine, available: false, reason };
  }
}

/** A unique compose project name for one suite run. */
export const testProjectName = (suite: string): string =>
  `cachelab-test-${suite}-${randomUUID().slice(0, 8)}`;

/** The container name of a compose service: `project_service_1` (v1) or `project-service-1` (v2). */
export function containerName(cli: ComposeCli, project: string, service: string): string {
  return cli.flavor === 'v1' ? `${project}_${service}_1` : `${project}-${service}-1`;
}

/**
 * The key DockerComposeEnvironment gives a container (getContainer, withWaitStrategy): it strips a
 * `project-` prefix, which only v2 names have, so v2 gives `service-1` and v1 the full name.
 */
export function environmentKey(cli: ComposeCli, project: string, service: string): string {
  return cli.flavor === 'v1' ? containerName(cli, project, service) : `${service}-1`;
}

/** What is left of a compose project: containers, networks, volumes carrying its label. */
export async function projectLeftovers(project: string): Promise<Record<string, number>> {
  const label = `label=com.docker.compose.project=${project}`;
  const count = async (args: string[]) =>
    (await dockerOk([...args, '--filter', label])).split('\n').filter((l) => l !== '').length;
  return {
    containers: await count(['ps', '-aq']),
    networks: await count(['network', 'ls', '-q']),
    volumes: await count(['volume', 'ls', '-q']),
  };
}

/** Names of every volume mounted by the project's containers (anonymous ones carry no label). */
export async function projectVolumes(project: string): Promise<string[]> {
  const label = `label=com.docker.compose.project=${project}`;
  const ids = (await dockerOk(['ps', '-aq', '--filter', label])).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  const format = '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}';
  const out = await dockerOk(['inspect', '--format', format, ...ids]);
  return out.split(/\s+/).filter(Boolean);
}

/** Which of `volumes` still exist. */
export async function existingVolumes(volumes: readonly string[]): Promise<string[]> {
  const checks = await Promise.all(volumes.map((v) => docker(['volume', 'inspect', v])));
  return volumes.filter((_, i) => checks[i]?.code === 0);
}

/** Service name → container IP of every running container of `project`. */
export async function containerIps(project: string): Promise<Map<string, string>> {
  const label = `label=com.docker.compose.project=${project}`;
  const ids = (await dockerOk(['ps', '-q', '--filter', label])).split('\n').filter(Boolean);
  const format =
    '{{index .Config.Labels "com.docker.compose.service"}} {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}';
  const out = await dockerOk(['inspect', '--format', format, ...ids]);
  return new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ') as [string, string]),
  );
}

/** A compose lab one suite brings up before its tests and takes down after them. */
export interface SuiteLab {
  lab(): ComposeLab;
  /** REDIS_PASSWORD of the lab's secrets file. */
  redisPassword(): string;
  runDir(): string;
}

/**
 * Registers the hooks that bring `topology` up with the compose driver (offline images here) in a
 * fresh run folder, and take it down (whatever the tests did) and remove the folder afterwards.
 */
export function composeLabHooks(probe: ComposeProbe, topology: Topology, prefix: string): SuiteLab {
  let dir = '';
  let lab: ComposeLab | undefined;
  let password = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
    const secretsFile = join(dir, 'secrets.env');
    const driver = createComposeDriver({
      projectPrefix: prefix,
      secretsFile,
      readyTimeoutMs: 240_000,
    });
    const options = { runDir: dir, httpPort: await freePort(), seedUsers: 200 };
    lab = await driver.up(topology, { ...options, appLogLevel: 'warn' });
    password = parseSecrets(await readFile(secretsFile, 'utf8'), secretsFile).REDIS_PASSWORD ?? '';
  });
  afterAll(async () => {
    const env = placeholderSecrets();
    if (lab) await runCompose(probe.cli as ComposeCli, lab.project, DOWN_COMMAND, { env });
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    lab: () => {
      if (!lab) throw new Error(`the compose lab of ${topology.name} did not come up`);
      return lab;
    },
    redisPassword: () => password,
    runDir: () => dir,
  };
}

/** Takes `lab` down and checks that nothing of its project is left. */
export async function downLeavesNothing(lab: ComposeLab): Promise<void> {
  await lab.down();
  const none = { containers: 0, networks: 0, volumes: 0 };
  expect(await projectLeftovers(lab.project.name)).toEqual(none);
}
