import { expect, it } from 'vitest';
import { isLabError } from '../../lab/lab-errors.ts';
import type { Driver, RunningLab } from '../../lab/run/driver/driver-types.ts';

/** What a driver under the contract can do beyond the common operations. */
export interface LifecycleCapabilities {
  /** addAppServer starts a server nginx then uses; false: ACTION_UNSUPPORTED with a reason. */
  addAppServer: boolean;
}

/** A lab of `global` (3 app servers, one Redis) started by `driver`, shared by the contract's tests. */
export interface ContractLab {
  driver: Driver;
  lab: () => RunningLab;
}

interface Read {
  status: number;
  servedBy: string;
  cache: string;
}

async function get(url: string, id: number): Promise<Read> {
  try {
    const res = await fetch(`${url}/profiles/${id}`, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    return {
      status: res.status,
      servedBy: res.headers.get('x-served-by') ?? '',
      cache: res.headers.get('x-cache') ?? '',
    };
  } catch {
    return { status: 0, servedBy: '', cache: '' };
  }
}

/** `count` sequential GETs through nginx (bounded: each times out after 5 s). */
async function reads(url: string, count: number, id = 0): Promise<Read[]> {
  const out: Read[] = [];
  for (let i = 0; i < count; i++) out.push(await get(url, id || 1 + (i % 50)));
  return out;
}

async function stateOf(c: ContractLab, name: string) {
  return (await c.driver.services(c.lab())).find((s) => s.name === name);
}

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return isLabError(error) ? error.code : String(error);
  }
}

/**
 * The lifecycle contract every driver passes, on a running `global` topology: each operation does
 * what it says, the topology keeps serving through nginx, and each undo puts it back.
 */
export function lifecycleContract(c: ContractLab, caps: LifecycleCapabilities): void {
  const url = () => c.lab().url;

  it('lists nginx, three app servers, redis-1, postgres (and the outbox invalidator), all up', async () => {
    const services = await c.driver.services(c.lab());
    const names = services.map((s) => s.name).filter((n) => n !== 'invalidator');
    expect(names.sort()).toEqual(['app-1', 'app-2', 'app-3', 'nginx', 'postgres', 'redis-1']);
    expect(services.every((s) => s.up)).toBe(true);
  });

  it('pauses and resumes an app server; nginx keeps answering', async () => {
    await c.driver.pause(c.lab(), 'app-2');
    expect((await stateOf(c, 'app-2'))?.up).toBe(false);
    await c.driver.resume(c.lab(), 'app-2');
    expect((await stateOf(c, 'app-2'))?.up).toBe(true);
    expect((await reads(url(), 6)).every((r) => r.status === 200)).toBe(true);
  });

  it('kills an app server (nginx routes around it) and restarts it', async () => {
    await c.driver.kill(c.lab(), 'app-2');
    expect((await stateOf(c, 'app-2'))?.up).toBe(false);
    const during = await reads(url(), 12);
    expect(during.every((r) => r.status === 200 && r.servedBy !== 'app-2')).toBe(true);
    await c.driver.restart(c.lab(), 'app-2');
    expect((await stateOf(c, 'app-2'))?.up).toBe(true);
  });

  it('stops Redis (reads bypass it) and restarts it empty', async () => {
    await reads(url(), 2, 7);
    await c.driver.stop(c.lab(), 'redis-1');
    expect((await stateOf(c, 'redis-1'))?.up).toBe(false);
    const down = await reads(url(), 3, 7);
    expect(down.every((r) => r.status === 200 && r.cache === 'BYPASS')).toBe(true);
    await c.driver.restart(c.lab(), 'redis-1');
    expect((await stateOf(c, 'redis-1'))?.up).toBe(true);
  });

  it('flushes the shared cache tier: a cached profile misses once, then hits', async () => {
    const id = 11;
    // The app servers' Redis clients may still be reconnecting after the restart above: poll, bounded.
    await expect
      .poll(async () => (await get(url(), id)).cache, { timeout: 15_000, interval: 100 })
      .toBe('HIT-L2');
    const outcome = await c.driver.flushCache(c.lab(), 'l2');
    expect(outcome.detail).toContain('FLUSHALL');
    expect((await get(url(), id)).cache).toBe('MISS');
    expect((await get(url(), id)).cache).toBe('HIT-L2');
  });

  it('adds an app server that nginx uses, then removes it', async () => {
    if (!caps.addAppServer) {
      expect(await codeOf(c.driver.addAppServer(c.lab()))).toBe('ACTION_UNSUPPORTED');
      return;
    }
    const added = await c.driver.addAppServer(c.lab());
    expect(added.service).toBe('app-4');
    const after = await reads(url(), 24);
    expect(after.every((r) => r.status === 200)).toBe(true);
    expect(after.some((r) => r.servedBy === 'app-4')).toBe(true);
    await c.driver.removeAppServer(c.lab(), 'app-4');
    expect((await stateOf(c, 'app-4'))?.inRotation).toBe(false);
    expect((await reads(url(), 12)).every((r) => r.status === 200 && r.servedBy !== 'app-4')).toBe(
      true,
    );
  });

  it('removes an app server from rotation; nginx keeps answering without it', async () => {
    const removed = await c.driver.removeAppServer(c.lab(), 'app-3');
    expect(removed.service).toBe('app-3');
    const after = await reads(url(), 12);
    expect(after.every((r) => r.status === 200 && r.servedBy !== 'app-3')).toBe(true);
    if (caps.addAppServer) await c.driver.addAppServer(c.lab());
    else await c.driver.restart(c.lab(), 'app-3');
    expect((await stateOf(c, 'app-3'))?.up).toBe(true);
  });

  it('refuses what this topology cannot do with ACTION_UNSUPPORTED', async () => {
    const toxic = { name: 'slow', type: 'latency', attributes: { latency: 20 } };
    expect(await codeOf(c.driver.applyToxic(c.lab(), 'redis-1', toxic))).toBe('ACTION_UNSUPPORTED');
    expect(await codeOf(c.driver.failoverRedisMaster(c.lab(), 'kill'))).toBe('ACTION_UNSUPPORTED');
    expect(await codeOf(c.driver.kill(c.lab(), 'no-such'))).toBe('ACTION_FAILED');
  });
}
