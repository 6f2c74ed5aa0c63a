import { readFile } from 'node:fs/promises';
import { type FaultProxyConfig, loadConfig } from './config.ts';
import { startFaultProxy } from './server.ts';

function log(message: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), msg: message, ...fields })}\n`,
  );
}

function configOrExit(): FaultProxyConfig {
  try {
    return loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`fault-proxy: ${(error as Error).message}\n`);
    process.exit(2);
  }
}

async function main(config: FaultProxyConfig): Promise<void> {
  const server = await startFaultProxy({
    host: config.host,
    port: config.port,
    defaultMetrics: true,
    log: (message, error) => log(message, { err: String(error) }),
  });
  if (config.config) {
    const proxies = await server.proxies.populate(
      JSON.parse(await readFile(config.config, 'utf8')),
    );
    log('populated', { proxies: proxies.map((proxy) => proxy.toJSON()) });
  }
  log('listening', { api: server.url, pid: process.pid });
  const stop = (signal: string): void => {
    log('stopping', { signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main(configOrExit()).catch((error: unknown) => {
  process.stderr.write(`fault-proxy: start-up failed: ${(error as Error).message ?? error}\n`);
  process.exit(1);
});
