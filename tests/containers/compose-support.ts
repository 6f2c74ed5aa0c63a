import { randomUUID } from 'node:crypto';
import { type ComposeCli, detectComposeCli } from '../../lab/run/driver/compose/compose-binary.ts';
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
