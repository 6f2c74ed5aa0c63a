import { join } from 'node:path';
import { expect, it } from 'vitest';
import { COMPOSE_DIR, GENERATED_COMPOSE_DIR } from '../../lab/render/compose/compose-folders.ts';
import { COMPOSE_PATHS } from '../../lab/render/compose/compose-types.ts';
import { type ComposeCli, runCompose } from '../../lab/run/driver/compose/compose-binary.ts';
import { filesOf } from '../../lab/run/driver/compose/plan.ts';
import { placeholderSecrets } from '../../lab/run/driver/compose/secrets.ts';
import { topologyNames } from '../../lab/topology/catalog.ts';
import { DockerScope, describeWithDocker, docker } from '../docker/docker-cli.ts';
import { probeCompose } from './compose-support.ts';
import { testImage } from './support.ts';

// The generated files as the real tools read them: compose parses every topology (online and offline,
// every profile), and nginx accepts every generated nginx.conf.
const probe = await probeCompose();

describeWithDocker('generated compose files, checked by compose and nginx', probe, () => {
  const cli = probe.cli as ComposeCli;

  it('every topology parses with every profile, with and without the offline override', async () => {
    const env = placeholderSecrets();
    for (const topology of topologyNames()) {
      for (const [offline, proxied] of [
        [false, false],
        [true, false],
        [true, true],
      ] as const) {
        const project = {
          name: `cachelab-config-${topology}`,
          envFile: join(COMPOSE_DIR, '.env'),
          files: filesOf(topology, offline, proxied).map((f) => join(GENERATED_COMPOSE_DIR, f)),
          profiles: ['observability', 'k6', ...(proxied ? ['network'] : [])],
        };
        const { stdout } = await runCompose(cli, project, ['config'], { env });
        const what = `${topology} offline=${offline} proxied=${proxied}`;
        expect(stdout, what).toContain('nginx:');
        if (proxied) expect(stdout, what).toContain('fault-proxy:');
      }
    }
  });

  it('nginx -t accepts every generated nginx.conf (offline nginx image)', async () => {
    const scope = new DockerScope('compose-nginx-t');
    const hosts = ['app-1', 'app-2', 'app-3', 'fault-proxy'].flatMap((h) => [
      '--add-host',
      `${h}:127.0.0.1`,
    ]);
    const check = topologyNames()
      .flatMap((t) => [COMPOSE_PATHS.nginx(t), COMPOSE_PATHS.networkNginx(t)])
      .map((conf) => `nginx -t -q -c /conf/${conf} || exit 1`)
      .join('; ');
    const mount = `${GENERATED_COMPOSE_DIR}:/conf:ro`;
    try {
      const result = await docker(
        [
          'run',
          '--rm',
          '--label',
          scope.label,
          ...hosts,
          '-v',
          mount,
          testImage('NGINX'),
          'sh',
          '-c',
          check,
        ],
        60_000,
      );
      expect(result.code, result.stderr).toBe(0);
    } finally {
      await scope.cleanup();
    }
  });
});
