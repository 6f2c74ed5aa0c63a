import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComposeFlavor } from '../../../lab-config.ts';
import { LabError } from '../../../lab-errors.ts';
import {
  COMPOSE_PATHS,
  GENERATED_SUBDIR,
  PROFILES,
} from '../../../render/compose/compose-types.ts';
import { TOXIPROXY_IMAGE_VARIABLE } from '../../../render/compose/fault-proxy-service.ts';
import { readEnvFile, requireValue } from '../../../render/compose/pins.ts';
import { renderComposeFiles } from '../../../render/compose/render-compose.ts';
import { CATALOG } from '../../../topology/catalog.ts';
import type { Topology } from '../../../topology/model.ts';
import { needsProxies } from '../../../topology/network.ts';
import { networkOf } from '../../../topology/network-proxies.ts';
import { type ComposeCli, type ComposeProject, detectComposeCli } from './compose-binary.ts';
import {
  chooseImages,
  familiesFor,
  type ImageChoice,
  type ImageProbes,
  imagesOf,
} from './images.ts';

/** Settings of one compose run that do not come from the topology. */
export interface ComposeRunSettings {
  composeDir: string;
  projectPrefix: string;
  profiles: string[];
  flavor: ComposeFlavor;
  /** CACHELAB_OFFLINE. */
  forcedOffline: boolean | undefined;
  imageProbes: ImageProbes;
}

/** The compose project name of `topology`: `<prefix>-<topology>` (compose lower-cases and allows `-`). */
export function projectNameOf(prefix: string, topology: string): string {
  return `${prefix}-${topology}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
}

/** True when `topology` runs behind the fault proxy (its network profile is not loopback). */
export const isProxied = (topology: Topology): boolean => needsProxies(networkOf(topology));

/**
 * The files a run of `topology` uses, relative to compose/generated: the network overlay after the
 * topology's when it runs behind the fault proxy, the offline override last.
 */
export function filesOf(topology: string, offline: boolean, proxied = false): string[] {
  const files = [COMPOSE_PATHS.base, COMPOSE_PATHS.overlay(topology)];
  if (proxied) files.push(COMPOSE_PATHS.network(topology));
  return offline ? [...files, COMPOSE_PATHS.offline] : files;
}

/**
 * Checks that the committed files of `topology`'s name are what the generator makes from the catalog:
 * stale files would run something else than asked. A variant of a catalog topology (a scenario's
 * other consistency mode…) runs those files with an override of its own (variant-files.ts).
 */
export async function assertFilesMatchModel(topology: Topology, composeDir: string): Promise<void> {
  const twin = CATALOG.find((t) => t.name === topology.name);
  if (twin === undefined) {
    throw new LabError(
      'TOPOLOGY_INVALID',
      `compose runs catalog topologies (and their variants) only, not '${topology.name}'`,
    );
  }
  const proxied = isProxied(topology);
  const wanted = new Set([
    ...filesOf(topology.name, true, proxied),
    COMPOSE_PATHS.prometheus(topology.name),
    ...(proxied ? [COMPOSE_PATHS.faultProxy(topology.name)] : []),
  ]);
  for (const file of renderComposeFiles(CATALOG).filter((f) => wanted.has(f.path))) {
    const path = join(composeDir, GENERATED_SUBDIR, file.path);
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current !== file.text) {
      throw new LabError(
        'TOPOLOGY_INVALID',
        `compose/${GENERATED_SUBDIR}/${file.path} does not match the catalog: run \`make generate\``,
      );
    }
  }
}

/** The compose CLI, the image choice and the project of a run. */
export interface ComposePlan {
  cli: ComposeCli;
  images: ImageChoice;
  project: ComposeProject;
}

/** Decides how to run `topology`: which compose CLI, which images, which files and profiles. */
export async function planRun(topology: Topology, s: ComposeRunSettings): Promise<ComposePlan> {
  const envFile = join(s.composeDir, '.env');
  const cli = await detectComposeCli(s.flavor);
  const pins = await readEnvFile(envFile);
  const { official, offline } = imagesOf(familiesFor(s.profiles), pins);
  if (s.profiles.includes(PROFILES.network)) {
    official.push(requireValue(pins, TOXIPROXY_IMAGE_VARIABLE, 'compose/.env'));
  }
  const images = await chooseImages({
    forced: s.forcedOffline,
    official,
    offline,
    probes: s.imageProbes,
  });
  // No Grafana and no k6 offline: the offline override keeps them off, so do not ask for k6.
  const profiles = images.offline ? s.profiles.filter((p) => p !== PROFILES.k6) : s.profiles;
  const project: ComposeProject = {
    name: projectNameOf(s.projectPrefix, topology.name),
    envFile,
    files: filesOf(topology.name, images.offline, isProxied(topology)).map((f) =>
      join(s.composeDir, GENERATED_SUBDIR, f),
    ),
    profiles,
  };
  return { cli, images, project };
}
