import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  type ComposeCli,
  DOWN_COMMAND,
  runCompose,
} from '../../lab/run/driver/compose/compose-binary.ts';
import { createComposeDriver } from '../../lab/run/driver/compose/driver.ts';
import { placeholderSecrets } from '../../lab/run/driver/compose/secrets.ts';
import type { ComposeLab } from '../../lab/run/driver/compose/up.ts';
import { freePort } from '../../lab/run/processes/ports.ts';
import { getTopology } from '../../lab/topology/catalog.ts';
import { describeWithDocker } from '../docker/docker-cli.ts';
import { lifecycleContract } from '../support/lifecycle-contract.ts';
import { probeCompose, projectLeftovers } from './compose-support.ts';

// The lifecycle contract on compose containers (the offline images here): the same checks as the
// native driver's, adding and removing app servers included (nginx mounts the run folder's
// nginx.conf, which the driver rewrites and reloads).
const probe = await probeCompose();

describeWithDocker('compose driver lifecycle contract (global)', probe, () => {
  // The lifecycle operations read the run folder, so any compose driver instance acts on the lab.
  const driver = createComposeDriver();
  let dir = '';
  let lab: ComposeLab | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compose-life-'));
    const withSecrets = createComposeDriver({
      projectPrefix: `cachelab-life-${process.pid}`,
      secretsFile: join(dir, 'secrets.env'),
      readyTimeoutMs: 180_000,
    });
    lab = await withSecrets.up(getTopology('global'), {
      runDir: dir,
      httpPort: await freePort(),
      seedUsers: 300,
      appLogLevel: 'warn',
    });
  }, 240_000);

  afterAll(async () => {
    const project = lab?.project;
    if (project) {
      await runCompose(probe.cli as ComposeCli, project, DOWN_COMMAND, {
        env: placeholderSecrets(),
      });
      expect(await projectLeftovers(project.name)).toEqual({
        containers: 0,
        networks: 0,
        volumes: 0,
      });
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  lifecycleContract(
    {
      driver,
      lab: () => {
        if (!lab) throw new Error('the compose lab did not come up');
        return lab;
      },
    },
    { addAppServer: true },
  );
});
