import { connect, type Socket } from 'node:net';
import { Link, type LinkSink, type ToxicSpec } from './link.ts';
import type { ProxyMetrics } from './proxy-metrics.ts';
import type { Scheduler } from './scheduler.ts';
import type { Stream } from './toxics/toxic.ts';

/** Where a connection dials, what it starts with, and whom it tells. */
export interface ConnectionOptions {
  client: Socket;
  upstreamHost: string;
  upstreamPort: number;
  toxics: (stream: Stream) => readonly ToxicSpec[];
  scheduler: Scheduler;
  metrics: ProxyMetrics;
  /** Called once, when both sockets are closed. */
  onClosed: (connection: Connection) => void;
}

/** Resets a socket (RST); a socket that never connected is simply destroyed. */
function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting || socket.pending) socket.destroy();
  else socket.resetAndDestroy();
}

/** One client connection and its upstream connection, joined by two links. */
export class Connection {
  readonly client: Socket;
  readonly upstream: Socket;
  private readonly links: Record<Stream, Link>;
  private open = 2;

  constructor(private readonly options: ConnectionOptions) {
    const { client, metrics } = options;
    this.client = client;
    client.setNoDelay(true);
    this.upstream = connect({
      host: options.upstreamHost,
      port: options.upstreamPort,
      allowHalfOpen: true,
      noDelay: true,
    });
    const context = { scheduler: options.scheduler };
    this.links = {
      upstream: new Link(
        this.sink(this.upstream, client, 'upstream'),
        context,
        options.toxics('upstream'),
      ),
      downstream: new Link(
        this.sink(client, this.upstream, 'downstream'),
        context,
        options.toxics('downstream'),
      ),
    };
    this.wire(client, this.links.upstream, 'upstream');
    this.wire(this.upstream, this.links.downstream, 'downstream');
    this.watchUpstream();
    metrics.connectionOpened();
  }

  /** The link carrying `stream`. */
  link(stream: Stream): Link {
    return this.links[stream];
  }

  /** Closes both sockets at once (link down). */
  destroy(): void {
    this.client.destroy();
    this.upstream.destroy();
  }

  private wire(source: Socket, link: Link, stream: Stream): void {
    const received = this.options.metrics.received(stream);
    source.on('data', (data: Buffer) => {
      received.inc(data.length);
      link.receive(data);
    });
    source.on('end', () => link.end());
    source.on('error', () => {});
    source.once('close', (hadError) => {
      if (hadError) resetSocket(source === this.client ? this.upstream : this.client);
      // Closed without a FIN of its own (we closed it): nothing more comes from it, so end its link.
      else link.end();
      if (--this.open === 0) this.closed();
    });
  }

  private watchUpstream(): void {
    let connected = false;
    this.upstream.once('connect', () => {
      connected = true;
    });
    this.upstream.once('error', (error: NodeJS.ErrnoException) => {
      this.options.metrics.upstreamError(connected ? 'reset' : 'connect');
      // A refused upstream closes the client; one that dies mid-stream resets it, as the server did.
      if (connected) resetSocket(this.client);
      else this.client.destroy();
      void error;
    });
  }

  private sink(dest: Socket, source: Socket, stream: Stream): LinkSink {
    const sent = this.options.metrics.sent(stream);
    let waiting = false;
    const resume = (): void => {
      waiting = false;
      source.resume();
    };
    return {
      write: (data) => {
        if (dest.destroyed) return;
        sent.inc(data.length);
        if (!dest.write(data) && !waiting) {
          waiting = true;
          source.pause();
          dest.once('drain', resume);
        }
      },
      end: () => {
        if (!dest.destroyed) dest.destroySoon();
      },
      close: () => {
        this.client.destroySoon();
        this.upstream.destroySoon();
      },
      reset: () => {
        resetSocket(this.client);
        resetSocket(this.upstream);
      },
    };
  }

  private closed(): void {
    this.links.upstream.dispose();
    this.links.downstream.dispose();
    this.options.metrics.connectionClosed();
    this.options.onClosed(this);
  }
}
