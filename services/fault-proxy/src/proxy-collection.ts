import { z } from 'zod';
import { parseHostPort } from './address.ts';
import { ApiError } from './api-error.ts';
import { ProxyListener } from './proxy.ts';
import type { FaultProxyMetrics } from './proxy-metrics.ts';
import type { Scheduler } from './scheduler.ts';

const DEFAULT_LISTEN = '127.0.0.1:0';

const createBody = z.object({
  name: z.string().default(''),
  listen: z.string().default(''),
  upstream: z.string().default(''),
  enabled: z.boolean().optional(),
});

const updateBody = z.object({
  listen: z.string().optional(),
  upstream: z.string().optional(),
  enabled: z.boolean().optional(),
});

type CreateInput = z.infer<typeof createBody>;

function parse<T>(schema: z.ZodType<T>, body: unknown, where = ''): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .map((issue) => `${where}${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  throw new ApiError('BAD_REQUEST_BODY', detail);
}

function checkCreate(input: CreateInput, where = ''): void {
  if (input.name === '') throw new ApiError('MISSING_FIELD', `${where}name`);
  if (input.upstream === '') throw new ApiError('MISSING_FIELD', `${where}upstream`);
  parseHostPort('upstream', input.upstream);
  parseHostPort('listen', input.listen || DEFAULT_LISTEN);
}

/** Every proxy of one server, by name. */
export class ProxyCollection {
  private readonly proxies = new Map<string, ProxyListener>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly metrics: FaultProxyMetrics,
  ) {
    metrics.trackToxics(() =>
      [...this.proxies.values()].flatMap((proxy) =>
        (['upstream', 'downstream'] as const).map((stream) => ({
          proxy: proxy.name,
          stream,
          count: proxy.toxics.ofStream(stream).length,
        })),
      ),
    );
  }

  all(): ProxyListener[] {
    return [...this.proxies.values()];
  }

  get(name: string): ProxyListener {
    const proxy = this.proxies.get(name);
    if (!proxy) throw new ApiError('PROXY_NOT_FOUND');
    return proxy;
  }

  /** POST /proxies: validates, opens the listener (unless enabled is false), then registers it. */
  async create(body: unknown): Promise<ProxyListener> {
    const input = parse(createBody, body);
    checkCreate(input);
    if (this.proxies.has(input.name)) throw new ApiError('PROXY_ALREADY_EXISTS');
    return this.open(input);
  }

  /** POST/PATCH /proxies/{name}: moves, re-targets, enables or disables a proxy. */
  async update(name: string, body: unknown): Promise<ProxyListener> {
    const proxy = this.get(name);
    const input = parse(updateBody, body);
    const listen = input.listen ?? proxy.listen;
    const upstream = input.upstream ?? proxy.upstream;
    parseHostPort('listen', listen);
    parseHostPort('upstream', upstream);
    const before = { listen: proxy.listen, upstream: proxy.upstream, enabled: proxy.enabled };
    const enabled = input.enabled ?? proxy.enabled;
    if (listen !== proxy.listen || upstream !== proxy.upstream) await proxy.stop();
    proxy.listen = listen;
    proxy.upstream = upstream;
    try {
      if (enabled) await proxy.start();
      else await proxy.stop();
    } catch (error) {
      proxy.listen = before.listen;
      proxy.upstream = before.upstream;
      if (before.enabled) await proxy.start();
      throw error;
    }
    return proxy;
  }

  /** DELETE /proxies/{name}. */
  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    this.proxies.delete(name);
    await proxy.delete();
  }

  /** POST /reset: every proxy enabled again, every toxic removed. */
  async reset(): Promise<void> {
    for (const proxy of this.proxies.values()) {
      await proxy.start();
      proxy.toxics.clear();
    }
  }

  /**
   * POST /populate: creates or replaces the listed proxies; one whose listen and upstream are
   * unchanged is left alone. Everything is validated first; a failure undoes what was applied.
   */
  async populate(body: unknown): Promise<ProxyListener[]> {
    if (!Array.isArray(body))
      throw new ApiError('BAD_REQUEST_BODY', 'expected an array of proxies');
    const inputs = body.map((item, i) => parse(createBody, item, `proxy ${i + 1}: `));
    const names = new Set<string>();
    inputs.forEach((input, i) => {
      checkCreate(input, `proxy ${i + 1}: `);
      if (names.has(input.name)) {
        throw new ApiError(
          'BAD_REQUEST_BODY',
          `duplicate proxy name ${JSON.stringify(input.name)}`,
        );
      }
      names.add(input.name);
    });
    const undo: (() => Promise<void>)[] = [];
    try {
      const result: ProxyListener[] = [];
      for (const input of inputs) result.push(await this.apply(input, undo));
      return result;
    } catch (error) {
      for (const step of undo.reverse()) await step();
      throw error;
    }
  }

  /** Stops every proxy. */
  async close(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((proxy) => proxy.stop()));
  }

  private async apply(input: CreateInput, undo: (() => Promise<void>)[]): Promise<ProxyListener> {
    const existing = this.proxies.get(input.name);
    const listen = input.listen || DEFAULT_LISTEN;
    if (existing && existing.listen === listen && existing.upstream === input.upstream) {
      return existing;
    }
    if (existing) {
      const wasEnabled = existing.enabled;
      // Stopped, not deleted: the replacement keeps the same metric series.
      this.proxies.delete(input.name);
      await existing.stop();
      undo.push(async () => {
        this.proxies.set(existing.name, existing);
        if (wasEnabled) await existing.start();
      });
    }
    const proxy = await this.open(input);
    undo.push(() => this.remove(proxy.name));
    return proxy;
  }

  private async open(input: CreateInput): Promise<ProxyListener> {
    const settings = {
      name: input.name,
      listen: input.listen || DEFAULT_LISTEN,
      upstream: input.upstream,
    };
    const proxy = new ProxyListener(settings, this.scheduler, this.metrics.forProxy(input.name));
    if (input.enabled ?? true) await proxy.start();
    this.proxies.set(proxy.name, proxy);
    return proxy;
  }
}
