import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Stream } from './toxics/toxic.ts';

/** Why an upstream connection failed: it could not be opened, or it broke while open. */
export type UpstreamErrorReason = 'connect' | 'reset';

/** A counter bound to its labels. */
export interface BoundCounter {
  inc(value?: number): void;
}

/** The metrics one proxy reports (labels: the proxy's name and, for bytes, the direction). */
export interface ProxyMetrics {
  received(stream: Stream): BoundCounter;
  sent(stream: Stream): BoundCounter;
  connectionOpened(): void;
  connectionClosed(): void;
  upstreamError(reason: UpstreamErrorReason): void;
  /** Drops this proxy's series (the proxy was deleted). */
  forget(): void;
}

/** Every metric of one fault-proxy server, on its own registry. */
export interface FaultProxyMetrics {
  readonly registry: Registry;
  forProxy(name: string): ProxyMetrics;
  /** Sets where the active-toxics gauge reads its values at scrape time. */
  trackToxics(source: () => Iterable<{ proxy: string; stream: Stream; count: number }>): void;
  render(): Promise<{ contentType: string; body: string }>;
}

/** Creates the registry; byte counters keep toxiproxy's metric names so its dashboards work. */
export function createMetrics(options: { defaults?: boolean } = {}): FaultProxyMetrics {
  const registry = new Registry();
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const received = new Counter({
    name: 'toxiproxy_proxy_received_bytes_total',
    help: 'Bytes received by a proxy, by direction (upstream: from the client).',
    labelNames: ['proxy', 'direction'] as const,
    registers,
  });
  const sent = new Counter({
    name: 'toxiproxy_proxy_sent_bytes_total',
    help: 'Bytes sent by a proxy, by direction (upstream: to the server).',
    labelNames: ['proxy', 'direction'] as const,
    registers,
  });
  const connections = new Counter({
    name: 'fault_proxy_connections_total',
    help: 'Client connections accepted.',
    labelNames: ['proxy'] as const,
    registers,
  });
  const active = new Gauge({
    name: 'fault_proxy_active_connections',
    help: 'Client connections open now.',
    labelNames: ['proxy'] as const,
    registers,
  });
  const errors = new Counter({
    name: 'fault_proxy_upstream_errors_total',
    help: 'Upstream connections that could not be opened (connect) or broke while open (reset).',
    labelNames: ['proxy', 'reason'] as const,
    registers,
  });
  let toxicSource: () => Iterable<{ proxy: string; stream: Stream; count: number }> = () => [];
  new Gauge({
    name: 'fault_proxy_active_toxics',
    help: 'Toxics configured on a proxy, by direction.',
    labelNames: ['proxy', 'direction'] as const,
    registers,
    collect() {
      this.reset();
      for (const { proxy, stream, count } of toxicSource()) {
        this.labels(proxy, stream).set(count);
      }
    },
  });
  return {
    registry,
    forProxy(name) {
      const bound = (counter: typeof received) => ({
        upstream: counter.labels(name, 'upstream'),
        downstream: counter.labels(name, 'downstream'),
      });
      const rx = bound(received);
      const tx = bound(sent);
      // After forget() a closing connection of the deleted proxy must not re-create its series.
      let live = true;
      return {
        received: (stream) => rx[stream],
        sent: (stream) => tx[stream],
        connectionOpened() {
          connections.labels(name).inc();
          active.labels(name).inc();
        },
        connectionClosed: () => {
          if (live) active.labels(name).dec();
        },
        upstreamError: (reason) => {
          if (live) errors.labels(name, reason).inc();
        },
        forget() {
          live = false;
          for (const direction of ['upstream', 'downstream']) {
            received.remove(name, direction);
            sent.remove(name, direction);
          }
          connections.remove(name);
          active.remove(name);
          for (const reason of ['connect', 'reset']) errors.remove(name, reason);
        },
      };
    },
    trackToxics(source) {
      toxicSource = source;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
