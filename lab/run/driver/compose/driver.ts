import { join } from 'node:path';
import { COMPOSE_DIR } from '../../../render/compose/compose-folders.ts';
import type { Topology } from '../../../topology/model.ts';
import type { Driver, UpOptions } from '../driver-types.ts';
import { composeEndpoints } from './endpoints.ts';
import { dockerImageProbes, type ImageProbes } from './images.ts';
import { composeLifecycle } from './lifecycle.ts';
import { composeLogs, composeStatus, downRecorded } from './status-logs-down.ts';
import { type ComposeLab, type ComposeSettings, upCompose } from './up.ts';

/** Options of createComposeDriver (the registered driver uses the defaults). */
export interface ComposeDriverOptions {
  /** Folder of the generated compose files and the pins; default the repository's compose/. */
  composeDir?: string;
  /** Git-ignored secrets file; default <composeDir>/secrets.env (created from .env.example if absent). */
  secretsFile?: string;
  /** Project name prefix: the project is `<prefix>-<topology>`; default `cachelab`. */
  projectPrefix?: string;
  /** Compose profiles to enable (`observability`, `k6`); `up` with an observe hook adds observability. */
  profiles?: string[];
  /** Upper bound of `compose up`, and again of the wait for every healthcheck; default 300 s. */
  readyTimeoutMs?: number;
  /** Host ports (127.0.0.1) of Prometheus and Grafana; default 9090 and 3000 (the compose defaults). */
  ports?: { prometheus?: number; grafana?: number };
  /** Image probes (tests inject fakes); default `docker image inspect` / `docker manifest inspect`. */
  imageProbes?: ImageProbes;
}

/** The compose driver, whose `up` returns a ComposeLab (project, images, CLI flavor). */
export interface ComposeDriver extends Driver {
  up(topology: Topology, options: UpOptions): Promise<ComposeLab>;
}

function settingsOf(options: ComposeDriverOptions): ComposeSettings {
  const composeDir = options.composeDir ?? COMPOSE_DIR;
  return {
    composeDir,
    secretsFile: options.secretsFile ?? join(composeDir, 'secrets.env'),
    projectPrefix: options.projectPrefix ?? 'cachelab',
    profiles: options.profiles ?? [],
    readyTimeoutMs: options.readyTimeoutMs ?? 300_000,
    imageProbes: options.imageProbes ?? dockerImageProbes,
    extraEnv: {
      ...(options.ports?.prometheus
        ? { CACHELAB_PROMETHEUS_PORT: String(options.ports.prometheus) }
        : {}),
      ...(options.ports?.grafana ? { CACHELAB_GRAFANA_PORT: String(options.ports.grafana) } : {}),
    },
  };
}

/**
 * A driver running topologies with Docker Compose (v2 `docker compose` or v1.29 `docker-compose`)
 * from the files generated from the model; offline images when the official ones cannot be had.
 */
export function createComposeDriver(options: ComposeDriverOptions = {}): ComposeDriver {
  const settings = settingsOf(options);
  return {
    name: 'compose',
    up: (topology, upOptions) => upCompose(settings, topology, upOptions),
    down: (state, onProgress) => downRecorded(state.runDir, onProgress),
    status: composeStatus,
    logs: composeLogs,
    endpoints: composeEndpoints,
    ...composeLifecycle,
  };
}

/** The compose driver with default settings (what `cachelab up --driver compose` uses). */
export const composeDriver: ComposeDriver = createComposeDriver();
