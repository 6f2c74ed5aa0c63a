import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLabError } from '../../../lab-errors.ts';
import { COMPOSE_DIR } from '../../../render/compose/compose-folders.ts';
import { getTopology } from '../../../topology/catalog.ts';
import { clusterNatMap, hostClusterOptions } from './cluster-nat-map.ts';
import { type ComposeCli, composeArgs, detectComposeCli, upCommand } from './compose-binary.ts';
import { chooseImages, familiesFor, type ImageProbes } from './images.ts';
import { assertFilesMatchModel, filesOf, projectNameOf } from './plan.ts';
import { loadSecrets, parseSecrets } from './secrets.ts';

const probes = (present: string[], registry: boolean): ImageProbes => ({
  present: async (image) => present.includes(image),
  registryAnswers: async () => registry,
});
const OFFICIAL = ['redis:7.2.10', 'cachelab/app:node20'];
const OFFLINE = ['cachelab/redis:offline-bookworm', 'cachelab/app:offline-bookworm'];
const choose = (forced: boolean | undefined, present: string[], registry = false) =>
  chooseImages({ forced, official: OFFICIAL, offline: OFFLINE, probes: probes(present, registry) });

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isLabError(error) ? error.code : String(error);
  }
}

describe('chooseImages', () => {
  it('uses the official images when present, the offline ones when they cannot be had', async () => {
    expect((await choose(undefined, [...OFFICIAL, ...OFFLINE])).offline).toBe(false);
    const missing = await choose(undefined, OFFLINE);
    expect(missing.offline).toBe(true);
    expect(missing.reason).toContain('redis:7.2.10');
  });

  it('pulls when a registry answers, unless an image is built locally', async () => {
    const onlyRedisMissing = await choose(undefined, ['cachelab/app:node20', ...OFFLINE], true);
    expect(onlyRedisMissing.offline).toBe(false);
    expect((await choose(undefined, OFFLINE, true)).offline).toBe(true);
  });

  it('obeys CACHELAB_OFFLINE, and fails clearly when the offline images are not built', async () => {
    expect((await choose(true, [...OFFICIAL, ...OFFLINE])).offline).toBe(true);
    expect((await choose(false, [])).offline).toBe(false);
    expect(await codeOf(choose(true, OFFICIAL))).toBe('UP_FAILED');
  });

  it('asks for the observability and k6 images only with their profiles', () => {
    expect(familiesFor([])).toEqual(['nginx', 'postgres', 'app', 'redis']);
    expect(familiesFor(['observability'])).toContain('grafana');
    expect(familiesFor(['k6'])).toContain('k6');
  });
});

describe('compose CLI', () => {
  const v1: ComposeCli = { flavor: 'v1', command: 'docker-compose', prefix: [] };
  const project = {
    name: 'cachelab-global',
    envFile: '/c/.env',
    files: ['/c/a.yaml', '/c/b.yaml'],
    profiles: ['observability'],
  };

  it('prefers v2, falls back to v1, and names both when neither answers', async () => {
    expect((await detectComposeCli('auto', async (c) => c.flavor === 'v1')).flavor).toBe('v1');
    expect((await detectComposeCli('auto', async () => true)).flavor).toBe('v2');
    expect(await codeOf(detectComposeCli('v2', async (c) => c.flavor === 'v1'))).toBe(
      'DRIVER_UNAVAILABLE',
    );
  });

  it('builds the argument list: env file, project, files, profiles, command', () => {
    expect(composeArgs(v1, project, ['ps'])).toEqual([
      ...['--env-file', '/c/.env', '-p', 'cachelab-global', '-f', '/c/a.yaml', '-f', '/c/b.yaml'],
      ...['--profile', 'observability', 'ps'],
    ]);
    expect(upCommand(v1)).toEqual(['up', '-d']);
    expect(upCommand({ flavor: 'v2', command: 'docker', prefix: ['compose'] })).toEqual([
      'up',
      '-d',
      '--wait',
    ]);
  });

  it('derives the project and the files from the topology', () => {
    expect(projectNameOf('cachelab', 'two-tier')).toBe('cachelab-two-tier');
    expect(filesOf('local', true)).toEqual([
      'compose.yaml',
      'topologies/local.yaml',
      'compose.offline.yaml',
    ]);
  });
});

describe('compose run checks', () => {
  const dir = mkdtemp(join(tmpdir(), 'compose-secrets-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('creates the secrets file from the example with random URL-safe values, mode 0600', async () => {
    const path = join(await dir, 'secrets.env');
    const example = join(await dir, 'example.env');
    await writeFile(example, '# comment\nREDIS_PASSWORD=change-me\nPOSTGRES_PASSWORD=change-me\n');
    const first = await loadSecrets(path, example);
    expect(first.created).toBe(true);
    expect(first.values.POSTGRES_PASSWORD).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toContain('# comment');
    expect(await loadSecrets(path, example)).toEqual({ values: first.values, created: false });
    expect(() => parseSecrets('POSTGRES_PASSWORD=a@b\nREDIS_PASSWORD=xxxxxxxx', 's')).toThrow(
      /URLs/,
    );
  });

  it('accepts the catalog and its variants over current files, refuses other names and stale files', async () => {
    await expect(
      assertFilesMatchModel(getTopology('global'), COMPOSE_DIR),
    ).resolves.toBeUndefined();
    const variant = { ...getTopology('global'), appServers: 2 };
    await expect(assertFilesMatchModel(variant, COMPOSE_DIR)).resolves.toBeUndefined();
    const stranger = { ...getTopology('global'), name: 'not-in-the-catalog' };
    expect(await codeOf(assertFilesMatchModel(stranger, COMPOSE_DIR))).toBe('TOPOLOGY_INVALID');
    const empty = await mkdtemp(join(tmpdir(), 'compose-stale-'));
    try {
      const stale = assertFilesMatchModel(getTopology('global'), empty);
      expect(await codeOf(stale)).toBe('TOPOLOGY_INVALID');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('maps announced cluster names to published ports for host clients', () => {
    expect(clusterNatMap(['127.0.0.1:32001', '127.0.0.1:32002'])).toEqual({
      'redis-1:6379': { host: '127.0.0.1', port: 32001 },
      'redis-2:6379': { host: '127.0.0.1', port: 32002 },
    });
    const options = hostClusterOptions(['127.0.0.1:32001'], 'pw-123456', {
      redisOptions: { commandTimeout: 2_000 },
      slotsRefreshTimeout: 2_000,
    });
    expect(options).toMatchObject({
      natMap: { 'redis-1:6379': { host: '127.0.0.1', port: 32001 } },
      redisOptions: { commandTimeout: 2_000, password: 'pw-123456' },
      slotsRefreshTimeout: 2_000,
    });
  });
});
