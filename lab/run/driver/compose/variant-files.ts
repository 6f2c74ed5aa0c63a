import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { LabError } from '../../../lab-errors.ts';
import { PROMETHEUS_CONTAINER_PATHS } from '../../../render/compose/compose-observability.ts';
import type { ComposeFile, ComposeService } from '../../../render/compose/compose-types.ts';
import {
  faultProxyConfigJson,
  networkOverlay,
} from '../../../render/compose/fault-proxy-service.ts';
import { observabilityOf } from '../../../render/compose/observability-services.ts';
import { topologyOverlay } from '../../../render/compose/topology-overlay.ts';
import { getTopology } from '../../../topology/catalog.ts';
import type { Topology } from '../../../topology/model.ts';
import { networkOf, withNetwork } from '../../../topology/network-proxies.ts';
import { isProxied } from './plan.ts';

type Services = Record<string, ComposeService>;

/** The catalog topology of the same name, under `topology`'s network: what the generated files run. */
export function catalogTwin(topology: Topology): Topology {
  return withNetwork(getTopology(topology.name), networkOf(topology));
}

/** Later service settings over earlier ones, as compose merges files: maps merge, the rest replaces. */
function mergeServices(earlier: Services, later: Services): Services {
  const merged: Services = { ...earlier };
  for (const [name, service] of Object.entries(later)) {
    const before = merged[name] ?? {};
    merged[name] = {
      ...before,
      ...service,
      ...(before.environment || service.environment
        ? { environment: { ...before.environment, ...service.environment } }
        : {}),
      ...(before.depends_on || service.depends_on
        ? { depends_on: { ...before.depends_on, ...service.depends_on } }
        : {}),
    };
  }
  return merged;
}

/** The services a run of `topology` applies over compose.yaml: its overlay, then its network overlay. */
function appliedServices(topology: Topology): Services {
  const overlay = topologyOverlay(topology).services;
  return isProxied(topology) ? mergeServices(overlay, networkOverlay(topology).services) : overlay;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** True when `wanted` is a map missing some of `generated`'s keys: compose merges maps, so it cannot drop them. */
function dropsEntries(generated: unknown, wanted: unknown): boolean {
  const isMap = (v: unknown): v is object =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  return isMap(generated) && isMap(wanted) && Object.keys(generated).some((k) => !(k in wanted));
}

/** What turns service `name` as generated into it as wanted, or undefined when nothing differs. */
function serviceOverride(
  name: string,
  generated: ComposeService | undefined,
  wanted: ComposeService | undefined,
): ComposeService | undefined {
  if (same(generated, wanted)) return undefined;
  if (wanted === undefined) return { scale: 0 };
  if (generated === undefined) return wanted;
  const override: ComposeService = {};
  const keys = new Set([...Object.keys(generated), ...Object.keys(wanted)]);
  for (const key of keys as Set<keyof ComposeService>) {
    if (same(generated[key], wanted[key])) continue;
    if (key === 'environment') {
      const removed = Object.keys(generated.environment ?? {}).filter(
        (k) => !(k in (wanted.environment ?? {})),
      );
      const env = Object.entries(wanted.environment ?? {}).filter(
        ([k, v]) => generated.environment?.[k] !== v,
      );
      // An empty value is an unset one to the app and the invalidator (their defaults apply).
      override.environment = Object.fromEntries([...env, ...removed.map((k) => [k, ''])]);
    } else if (wanted[key] !== undefined && !dropsEntries(generated[key], wanted[key])) {
      Object.assign(override, { [key]: wanted[key] });
    } else {
      throw new LabError(
        'TOPOLOGY_INVALID',
        `this variant of '${name}' drops its ${key}, which a compose override cannot express`,
      );
    }
  }
  return override;
}

/**
 * The override that turns what the generated files of `topology`'s catalog twin run into `topology`
 * (a scenario variant: another consistency mode, grace off…); undefined when they already match.
 */
export function variantOverride(topology: Topology): ComposeFile | undefined {
  const generated = appliedServices(catalogTwin(topology));
  const wanted = appliedServices(topology);
  const names = [...new Set([...Object.keys(generated), ...Object.keys(wanted)])];
  const services = Object.fromEntries(
    names.flatMap((name) => {
      const override = serviceOverride(name, generated[name], wanted[name]);
      return override === undefined ? [] : [[name, override] as const];
    }),
  );
  return Object.keys(services).length > 0 ? { services } : undefined;
}

/**
 * Writes what a variant needs into the run folder: its override, and its prometheus.yml when that
 * differs (mounted over the generated one). Returns the compose files to apply after the generated ones.
 */
export async function writeVariantFiles(runDir: string, topology: Topology): Promise<string[]> {
  if (faultProxyConfigJson(topology) !== faultProxyConfigJson(catalogTwin(topology))) {
    throw new LabError(
      'TOPOLOGY_INVALID',
      `this variant of '${topology.name}' needs other fault proxies than its generated files start`,
    );
  }
  const override = variantOverride(topology);
  if (override === undefined) return [];
  const prometheus = observabilityOf(topology).prometheusYaml;
  if (prometheus !== observabilityOf(catalogTwin(topology)).prometheusYaml) {
    const path = join(runDir, 'prometheus.yml');
    await writeFile(path, prometheus);
    override.services.prometheus = {
      volumes: [`${path}:${PROMETHEUS_CONTAINER_PATHS.config}:ro`],
    };
  }
  const path = join(runDir, 'compose.variant.yaml');
  const header = `# ${topology.name} as this run's variant changes it over the generated files\n`;
  await writeFile(path, header + stringify(override));
  return [path];
}
