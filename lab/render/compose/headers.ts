import type { Topology } from '../../topology/model.ts';
import { COMPOSE_PATHS, GENERATED_SUBDIR } from './compose-types.ts';

const DIR = `compose/${GENERATED_SUBDIR}`;

const GENERATED = [
  'Generated from the topology model (lab/topology/catalog.ts) by `make generate`.',
  'Do not edit: change the model and regenerate (`npm run check` fails when this file is stale).',
];

function usage(overlay: string): string[] {
  return [
    'Usage (from the repository root; `cachelab up <topology> --driver compose` does all of this):',
    '  set -a; . compose/secrets.env; set +a   # passwords: copy compose/.env.example first',
    `  docker-compose --env-file compose/.env -p cachelab-<topology> -f ${DIR}/${COMPOSE_PATHS.base} \\`,
    `    -f ${DIR}/${overlay} [-f ${DIR}/${COMPOSE_PATHS.offline}] \\`,
    '    [--profile observability] [--profile k6] up -d',
    '  (compose v2: `docker compose …` with the same flags, plus `up -d --wait`; stop with',
    '  `down --volumes --remove-orphans`.)',
  ];
}

/** The kinds of generated compose file. */
export type ComposeFileKind = 'base' | 'offline' | 'overlay' | 'network';

function describe(kind: ComposeFileKind, topology?: Topology): string[] {
  switch (kind) {
    case 'base':
      return [
        'cachelab compose base: nginx, app servers, Postgres and its seed job, Redis nodes, the',
        '`observability` profile (Prometheus, exporters, Grafana) and the `k6` profile. Services only',
        'some topologies run start at scale 0; a topology overlay turns them on. Images come from the',
        'pins (compose/.env); published ports bind to 127.0.0.1 only.',
      ];
    case 'offline':
      return [
        'cachelab compose offline override: every image swapped for its offline build',
        '(scripts/build-offline-images.sh); Grafana and k6 have none and stay off (scale 0).',
        'Add it last, after the topology overlay.',
      ];
    case 'overlay':
      return [
        `cachelab topology '${topology?.name}': ${topology?.question}`,
        'Overlay of compose.yaml: turns on its app servers (environment derived from the model),',
        'its Redis layout, and mounts its generated nginx.conf and prometheus.yml.',
      ];
    case 'network':
      return [
        `cachelab topology '${topology?.name}' behind the fault proxy (network profile not loopback):`,
        'add it after the topology overlay. Turns on the fault proxy (toxiproxy API) with one proxy per',
        "hop and points nginx, the app servers and the invalidator at it (a Redis Cluster's clients map",
        "each node to its proxy: REDIS_NAT_MAP). The driver adds each hop's latency through the API",
        '(POST /populate, then toxics).',
      ];
  }
}

/** The comment every generated compose file opens with: what it is, that it is generated, usage. */
export function usageHeader(kind: ComposeFileKind, topology?: Topology): string {
  const overlay = COMPOSE_PATHS.overlay(topology?.name ?? '<topology>');
  const lines = [...describe(kind, topology), ...GENERATED, ...usage(overlay)];
  return `${lines.map((l) => `# ${l}`).join('\n')}\n`;
}
