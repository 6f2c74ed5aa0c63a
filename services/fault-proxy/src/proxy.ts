import { createServer, type Server, type Socket } from 'node:net';
import { formatHostPort, parseHostPort } from './address.ts';
import { ApiError } from './api-error.ts';
import { Connection } from './connection.ts';
import type { ProxyMetrics } from './proxy-metrics.ts';
import type { Scheduler } from './scheduler.ts';
import {
  type ToxicChange,
  ToxicCollection,
  type ToxicJson,
  toxicJson,
} from './toxic-collection.ts';

/** A proxy as the API shows it (toxiproxy's field order). */
export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

/** What a proxy is asked to be. */
export interface ProxySettings {
  name: string;
  listen: string;
  upstream: string;
}

/** One named listener forwarding to one upstream, with its toxics and live connections. */
export class ProxyListener {
  readonly name: string;
  listen: string;
  upstream: string;
  readonly toxics: ToxicCollection;
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();

  constructor(
    settings: ProxySettings,
    private readonly scheduler: Scheduler,
    private readonly metrics: ProxyMetrics,
  ) {
    this.name = settings.name;
    this.listen = settings.listen;
    this.upstream = settings.upstream;
    parseHostPort('listen', settings.listen);
    parseHostPort('upstream', settings.upstream);
    this.toxics = new ToxicCollection((change) => this.follow(change));
  }

  get enabled(): boolean {
    return this.server !== undefined;
  }

  /** Live client connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  toJSON(): ProxyJson {
    const { name, listen, upstream, enabled } = this;
    return { name, listen, upstream, enabled, toxics: this.toxics.list().map(toxicJson) };
  }

  /** Opens the listener; `listen` then shows the bound address (a port 0 becomes the real one). */
  async start(): Promise<void> {
    if (this.server) return;
    const { host, port } = parseHostPort('listen', this.listen);
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: false }, (client) =>
      this.accept(client),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(new ApiError('LISTEN_FAILED', `${this.listen}: ${error.message}`, { cause: error })),
      );
      server.listen({ host: host || undefined, port, exclusive: true }, () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') {
      this.listen = formatHostPort(address.address, address.port);
    }
    this.server = server;
  }

  /** Stops and drops the proxy's metric series (it is being deleted). */
  async delete(): Promise<void> {
    await this.stop();
    this.metrics.forget();
  }

  /** Link down: stops listening (new connections are refused) and closes every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of this.connections) connection.destroy();
    await closed;
  }

  private accept(client: Socket): void {
    const upstream = parseHostPort('upstream', this.upstream);
    const connection = new Connection({
      client,
      upstreamHost: upstream.host || '127.0.0.1',
      upstreamPort: upstream.port,
      toxics: (stream) => this.toxics.ofStream(stream),
      scheduler: this.scheduler,
      metrics: this.metrics,
      onClosed: (closed) => this.connections.delete(closed),
    });
    this.connections.add(connection);
  }

  private follow(change: ToxicChange): void {
    for (const connection of this.connections) {
      const link = connection.link(change.toxic.stream);
      if (change.op === 'add') link.add(change.toxic);
      else if (change.op === 'update') link.update(change.toxic);
      else link.remove(change.toxic.name);
    }
  }
}
