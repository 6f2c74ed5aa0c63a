import { describe, expect, it } from 'vitest';
import { chooseDriver } from './select-driver.ts';

const docker = (answers: boolean) => async () => answers;

describe('chooseDriver', () => {
  it('lets --driver win over DRIVER, and DRIVER over detection', async () => {
    const base = { composeRegistered: true, dockerAnswers: docker(true) };
    expect(await chooseDriver({ ...base, flag: 'native', env: 'compose' })).toEqual({
      name: 'native',
      reason: 'chosen with --driver',
    });
    expect((await chooseDriver({ ...base, env: 'native' })).reason).toBe('chosen with DRIVER');
  });

  it('picks compose only when Docker answers and a compose driver exists', async () => {
    expect(
      (await chooseDriver({ composeRegistered: true, dockerAnswers: docker(true) })).name,
    ).toBe('compose');
    const noDocker = await chooseDriver({ composeRegistered: true, dockerAnswers: docker(false) });
    expect(noDocker).toEqual({
      name: 'native',
      reason: 'no Docker engine answered `docker info` within 2 s',
    });
    let probed = false;
    const noCompose = await chooseDriver({
      composeRegistered: false,
      dockerAnswers: async () => {
        probed = true;
        return true;
      },
    });
    expect(noCompose.name).toBe('native');
    expect(probed).toBe(false);
  });
});
