import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../../../lab-errors.ts';
import { getTopology } from '../../../topology/catalog.ts';
import { createRemoteDriver } from './driver.ts';
import { parseRemoteTarget } from './remote-target.ts';

describe('parseRemoteTarget', () => {
  it('reads the front door and every scrape endpoint', () => {
    const t = parseRemoteTarget({
      target: 'http://10.0.0.5:8080/',
      scrapeApp: ['http://10.0.0.6:3000', 'b=http://10.0.0.7:3000/'],
      scrapeRedis: ['redis://:s%40cret@10.0.0.8:6379'],
      scrapePostgres: 'postgres://cachelab:pw@10.0.0.9:5432/cachelab',
    });
    expect(t).toEqual({
      url: 'http://10.0.0.5:8080',
      apps: [
        { server: 'app-1', url: 'http://10.0.0.6:3000' },
        { server: 'b', url: 'http://10.0.0.7:3000' },
      ],
      redis: [{ node: 'redis-1', host: '10.0.0.8', port: 6379, password: 's@cret' }],
      postgresUrl: 'postgres://cachelab:pw@10.0.0.9:5432/cachelab',
    });
  });

  it.each([
    [{ target: 'ftp://x' }, /http/],
    [{ target: 'http://x', scrapeRedis: ['http://x:1'] }, /redis:\/\//],
    [{ target: 'http://x', scrapePostgres: 'mysql://x' }, /postgres:\/\//],
    [{ target: 'http://x', scrapeApp: ['not a url'] }, /--target/],
  ])('refuses %j with a usage error', (flags, message) => {
    expect(() => parseRemoteTarget(flags)).toThrow(LabError);
    expect(() => parseRemoteTarget(flags)).toThrow(message);
  });
});

// A stand-in for a remote lab's nginx: only the front door's /healthz matters to the driver.
describe('createRemoteDriver', () => {
  let server: Server;
  let url = '';
  let healthy = true;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/healthz' && healthy ? 200 : 503;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('starts nothing: up checks the lab serves; endpoints are the ones given; down is a no-op', async () => {
    const target = parseRemoteTarget({
      target: url,
      scrapeApp: ['http://10.1.0.1:3000'],
      scrapePostgres: 'postgres://u:p@10.1.0.2:5432/db',
    });
    const driver = createRemoteDriver(target);
    const lab = await driver.up(getTopology('global'), {});
    expect(lab.url).toBe(url);
    expect(lab.state).toMatchObject({ driver: 'remote', topology: 'global', httpUrl: url });
    expect(await driver.endpoints?.(lab.state)).toEqual({
      apps: [{ server: 'app-1', url: 'http://10.1.0.1:3000' }],
      redis: [],
      postgresUrl: 'postgres://u:p@10.1.0.2:5432/db',
    });
    expect((await driver.status(lab.state)).serving).toBe(true);
    await expect(driver.kill(lab, 'app-1')).rejects.toThrow(/elsewhere/);
    await lab.down();
  });

  it('measuring needs the database and the app servers', async () => {
    const driver = createRemoteDriver(parseRemoteTarget({ target: url }));
    const lab = await driver.up(getTopology('global'), {});
    await expect(driver.endpoints?.(lab.state) ?? Promise.resolve()).rejects.toThrow(
      /--scrape-postgres/,
    );
  });

  it('a lab that does not serve is reported, bounded', async () => {
    healthy = false;
    const driver = createRemoteDriver(parseRemoteTarget({ target: url }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1_500);
    await expect(driver.up(getTopology('global'), { signal: controller.signal })).rejects.toThrow();
    healthy = true;
  });
});
