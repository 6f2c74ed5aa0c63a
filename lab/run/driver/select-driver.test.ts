import { describe, expect, it } from 'vitest';
import { DRIVER_NAMES } from '../../lab-config.ts';
import { chooseDriver, getDriver } from './select-driver.ts';

const docker = (answers: boolean) => async () => answers;

describe('chooseDriver', () => {
  it('lets --driver win over DRIVER, and DRIVER over detection', async () => {
    const base = { dockerAnswers: docker(true) };
    expect(await chooseDriver({ ...base, flag: 'native', env: 'compose' })).toEqual({
      name: 'native',
      reason: 'chosen with --driver',
    });
    expect((await chooseDriver({ ...base, env: 'native' })).reason).toBe('chosen with DRIVER');
  });

  it('picks compose only when a Docker engine answers', async () => {
    expect((await chooseDriver({ dockerAnswers: docker(true) })).name).toBe('compose');
    const noDocker = await chooseDriver({ dockerAnswers: docker(false) });
    expect(noDocker).toEqual({
      name: 'native',
      reason: 'no Docker engine answered `docker info` within 2 s',
    });
  });

  it('gives every driver name its driver', () => {
    for (const name of DRIVER_NAMES) expect(getDriver(name).name).toBe(name);
  });
});
