import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, it } from 'vitest';

const execFileAsync = promisify(execFile);

/** Outcome of one `docker` CLI call. */
export interface DockerResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs `docker …` with a bounded time; a failure is returned in `code`, never thrown. */
export async function docker(args: string[], timeoutMs = 60_000): Promise<DockerResult> {
  try {
    const options = { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 };
    const { stdout, stderr } = await execFileAsync('docker', args, options);
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number | string };
    const stderr = failed.stderr || (error instanceof Error ? error.message : String(error));
    return {
      stdout: failed.stdout ?? '',
      stderr,
      code: typeof failed.code === 'number' ? failed.code : 1,
    };
  }
}

/** Runs `docker …` and returns its trimmed stdout; throws with the command and its stderr on failure. */
export async function dockerOk(args: string[], timeoutMs = 60_000): Promise<string> {
  const result = await docker(args, timeoutMs);
  if (result.code !== 0) {
    throw new Error(`docker ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
  }
  return result.stdout.trim();
}

/** Whether a Docker engine answers, and whether the run demands one (CACHELAB_REQUIRE_DOCKER=1). */
export interface EngineProbe {
  available: boolean;
  required: boolean;
  reason: string;
}

/** Asks the engine for its version; the one place these suites read their environment. */
export async function probeDockerEngine(): Promise<EngineProbe> {
  const required = process.env.CACHELAB_REQUIRE_DOCKER === '1';
  const result = await docker(['info', '--format', '{{.ServerVersion}}'], 15_000);
  if (result.code === 0) {
    return { available: true, required, reason: `engine ${result.stdout.trim()}` };
  }
  const reason = result.stderr.trim().split('\n')[0] ?? 'docker info failed';
  return { available: false, required, reason };
}

/**
 * Ryuk, testcontainers' reaper, is an image from a registry, which this lab cannot reach: disable it
 * (unless the caller chose) and let each test stop what it started.
 */
export function disableRyukUnlessSet(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
}

/**
 * Declares a suite that needs Docker: skipped with one console line when no engine answers, or a
 * single failing test instead when CACHELAB_REQUIRE_DOCKER=1 (CI).
 */
export function describeWithDocker(name: string, probe: EngineProbe, body: () => void): void {
  if (!probe.available && probe.required) {
    describe(name, () => {
      it('needs a Docker engine (CACHELAB_REQUIRE_DOCKER=1)', () => {
        throw new Error(
          `no Docker engine answers: ${probe.reason} (run scripts/start-docker-engine.sh)`,
        );
      });
    });
    return;
  }
  if (!probe.available) {
    console.warn(
      `[${name}] skipped: no Docker engine (${probe.reason}); start one with scripts/start-docker-engine.sh`,
    );
  }
  describe.skipIf(!probe.available)(name, body);
}

/** Polls `check` every `intervalMs` until it returns a value, for at most `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 250 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Host port (on 127.0.0.1) that Docker published for a container port. */
export async function publishedPort(container: string, containerPort: number): Promise<number> {
  const mapping = await dockerOk(['port', container, `${containerPort}/tcp`]);
  const match = /127\.0\.0\.1:(\d+)/.exec(mapping);
  if (!match?.[1]) throw new Error(`${container}:${containerPort} is not published on 127.0.0.1`);
  return Number(match[1]);
}

/** Everything one suite creates carries its label, so cleanup removes exactly that and nothing else. */
export class DockerScope {
  readonly id: string;
  readonly label: string;

  constructor(suite: string) {
    this.id = `${suite}-${randomUUID().slice(0, 8)}`;
    this.label = `org.cachelab.test=${this.id}`;
  }

  /** A unique container or network name within this scope. */
  name(part: string): string {
    return `cachelab-test-${this.id}-${part}`;
  }

  /** Removes this scope's containers (with their anonymous volumes), networks and volumes. */
  async cleanup(): Promise<void> {
    const containers = await this.list(['ps', '-aq']);
    if (containers.length > 0) await dockerOk(['rm', '-f', '-v', ...containers]);
    const networks = await this.list(['network', 'ls', '-q']);
    if (networks.length > 0) await dockerOk(['network', 'rm', ...networks]);
    const volumes = await this.list(['volume', 'ls', '-q']);
    if (volumes.length > 0) await dockerOk(['volume', 'rm', '-f', ...volumes]);
  }

  /** How many containers, networks and volumes of this scope still exist. */
  async leftovers(): Promise<{ containers: number; networks: number; volumes: number }> {
    const [containers, networks, volumes] = await Promise.all([
      this.list(['ps', '-aq']),
      this.list(['network', 'ls', '-q']),
      this.list(['volume', 'ls', '-q']),
    ]);
    return { containers: containers.length, networks: networks.length, volumes: volumes.length };
  }

  private async list(command: string[]): Promise<string[]> {
    const out = await dockerOk([...command, '--filter', `label=${this.label}`]);
    return out.split('\n').filter((line) => line.length > 0);
  }
}
