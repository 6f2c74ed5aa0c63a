import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NativeLab, nativeDriver, upTopology } from '../lab/run/driver/native/driver.ts';
import { findLeftovers } from '../lab/run/driver/pid-control.ts';
import { faultProxyApi } from '../lab/run/processes/fault-proxy-api.ts';
import { freePort } from '../lab/run/processes/ports.ts';
import { liveProcesses } from '../lab/run/processes/process-registry.ts';
import { redisCommand } from '../lab/run/processes/resp.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { getTopology } from '../lab/topology/catalog.ts';
import type { Topology } from '../lab/topology/model.ts';
import { withNetwork } from '../lab/topology/network-proxies.ts';
import { lifecycleContract } from './support/lifecycle-contract.ts';

const SEED_USERS = 300;

async function up(name: string, runDir: string): Promise<NativeLab> {
  return upTopology(getTopology(name), {
    runDir,
    httpPort: await freePort(),
    seedUsers: SEED_USERS,
    appLogLevel: 'warn',
  });
}

/** Brings `topology` up in a run folder of its own, runs `check` on it, then takes everything down. */
async function withLab(
  topology: Topology,
  folder: string,
  check: (lab: NativeLab) => Promise<void>,
): Promise<void> {
  const runDir = await makeRunDir(folder);
  const options = { runDir, httpPort: await freePort(), seedUsers: SEED_USERS };
  const lab = await upTopology(topology, { ...options, appLogLevel: 'warn' });
  try {
    await check(lab);
  } finally {
    await lab.down();
    await removeRunDir(runDir);
  }
  expect(liveProcesses()).toEqual([]);
}

describe('native driver lifecycle contract (global)', () => {
  let lab: NativeLab | undefined;
  let runDir = '';

  beforeAll(async () => {
    runDir = await makeRunDir('lifecycle-native');
    lab = await up('global', runDir);
  }, 90_000);

  afterAll(async () => {
    const state = lab?.state;
    await lab?.down();
    if (state) expect(await findLeftovers(state.services)).toEqual({ alive: [], busyPorts: [] });
    expect(liveProcesses()).toEqual([]);
    await removeRunDir(runDir);
  }, 90_000);

  lifecycleContract(
    {
      driver: nativeDriver,
      lab: () => {
        if (!lab) throw new Error('the lab did not come up');
        return lab;
      },
    },
    { addAppServer: true },
  );
});

async function masterOfSlot0(lab: NativeLab): Promise<number> {
  const running = lab.services.redis?.nodes.find((n) => n.running);
  const text = await redisCommand(running?.port ?? 0, ['CLUSTER', 'NODES']);
  const line = text
    .split('\n')
    .find((l) => / master /.test(` ${l.split(' ')[2]?.replace(/.*,/, '')} `) && / 0-\d+/.test(l));
  return Number(line?.split(' ')[1]?.split(':')[1]?.split('@')[0]);
}

describe('native driver: Redis Cluster failover (global-cluster)', () => {
  it('fails a master over by CLUSTER FAILOVER and back, then by SIGKILL and back', {
    timeout: 150_000,
  }, async () => {
    await withLab(getTopology('global-cluster'), 'lifecycle-cluster', async (lab) => {
      const first = await masterOfSlot0(lab);
      const handover = await nativeDriver.failoverRedisMaster(lab, 'cluster-failover', {
        nodeTimeoutMs: 2_000,
      });
      expect(handover.related?.previousNodeTimeoutMs).toBe('2000');
      await expect.poll(() => masterOfSlot0(lab), { timeout: 15_000 }).not.toBe(first);
      const second = await masterOfSlot0(lab);
      const killed = await nativeDriver.failoverRedisMaster(lab, 'kill');
      expect(killed.detail).toContain('SIGKILL');
      await expect.poll(() => masterOfSlot0(lab), { timeout: 20_000 }).not.toBe(second);
      await nativeDriver.restart(lab, killed.service);
      await lab.services.redis?.cluster?.waitOk(20_000);
      expect((await nativeDriver.services(lab)).every((s) => s.up)).toBe(true);
    });
  });
});

describe('native driver: Redis Cluster failover behind the fault proxy (global-cluster, lan)', () => {
  it('kills the node that masters slot 0, though the cluster announces its proxy', {
    timeout: 150_000,
  }, async () => {
    await withLab(
      withNetwork(getTopology('global-cluster'), { profile: 'lan' }),
      'lifecycle-cluster-lan',
      async (lab) => {
        const first = await masterOfSlot0(lab);
        const killed = await nativeDriver.failoverRedisMaster(lab, 'kill', {
          nodeTimeoutMs: 2_000,
        });
        expect(killed.service).toMatch(/^redis-[1-6]$/);
        const down = (await nativeDriver.services(lab)).filter((s) => !s.up).map((s) => s.name);
        expect(down).toEqual([killed.service]);
        // The announced address of slot 0's master was the killed node's proxy.
        const proxyPort = lab.services.network?.ports.get(killed.service);
        expect(first).toBe(proxyPort);
        await expect.poll(() => masterOfSlot0(lab), { timeout: 20_000 }).not.toBe(first);
        await nativeDriver.restart(lab, killed.service);
        await lab.services.redis?.cluster?.waitOk(20_000);
        expect((await nativeDriver.services(lab)).every((s) => s.up)).toBe(true);
      },
    );
  });
});

describe('native driver: fault-proxy toxics (global on the lan profile)', () => {
  it('adds a toxic to one proxy or to every proxy of a hop, and removes it', {
    timeout: 120_000,
  }, async () => {
    await withLab(
      withNetwork(getTopology('global'), { profile: 'lan' }),
      'lifecycle-toxics',
      async (lab) => {
        const api = faultProxyApi(lab.services.network?.handle.url ?? '');
        const toxicsOf = async (proxy: string) =>
          ((await api.proxies())[proxy]?.toxics ?? []).map((t) => t.name).sort();
        const slow = { name: 'slow', type: 'latency', attributes: { latency: 30, jitter: 0 } };
        const applied = await nativeDriver.applyToxic(lab, 'redis-1', slow);
        expect(applied.detail).toContain('latency=30');
        expect(await toxicsOf('redis-1')).toContain('slow');
        const res = await fetch(`${lab.url}/profiles/3`);
        expect(res.status).toBe(200);
        await nativeDriver.removeToxic(lab, 'redis-1', 'slow');
        expect(await toxicsOf('redis-1')).not.toContain('slow');
        await nativeDriver.applyToxic(lab, 'nginx-app', { ...slow, name: 'hop' });
        for (const app of ['app-1', 'app-2', 'app-3']) expect(await toxicsOf(app)).toContain('hop');
        await nativeDriver.removeToxic(lab, 'nginx-app', 'hop');
        expect(await toxicsOf('app-2')).not.toContain('hop');
      },
    );
  });
});
