import { z } from 'zod';
import { ApiError } from './api-error.ts';
import type { ToxicSpec } from './link.ts';
import type { Stream } from './toxics/toxic.ts';
import { TOXIC_KINDS } from './toxics/toxic-registry.ts';

/** A toxic as the API shows it (toxiproxy's field order). */
export interface ToxicJson {
  attributes: Record<string, number>;
  name: string;
  type: string;
  stream: Stream;
  toxicity: number;
}

/** A configured toxic. */
export interface Toxic extends ToxicSpec {
  type: string;
  stream: Stream;
}

/** What happened to a proxy's toxics, for its live connections to follow. */
export type ToxicChange = { op: 'add' | 'update'; toxic: Toxic } | { op: 'remove'; toxic: Toxic };

const createBody = z.object({
  name: z.string().optional(),
  type: z.string().default(''),
  stream: z.string().default('downstream'),
  toxicity: z.number().min(0).max(1).default(1),
  attributes: z.record(z.string(), z.unknown()).default({}),
});

const updateBody = z.object({
  toxicity: z.number().min(0).max(1).optional(),
  attributes: z.record(z.string(), z.unknown()).default({}),
});

function problems(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('BAD_REQUEST_BODY', problems(parsed.error));
  return parsed.data;
}

function attributesOf(type: string, raw: Record<string, unknown>): Record<string, number> {
  const kind = TOXIC_KINDS.get(type);
  if (!kind) throw new ApiError('INVALID_TOXIC_TYPE');
  const parsed = kind.attributes.safeParse(raw);
  if (!parsed.success) throw new ApiError('BAD_REQUEST_BODY', problems(parsed.error));
  return parsed.data;
}

/** The toxic's API shape. */
export function toxicJson(toxic: Toxic): ToxicJson {
  const { attributes, name, type, stream, toxicity } = toxic;
  return { attributes: { ...attributes }, name, type, stream, toxicity };
}

/** The toxics of one proxy, upstream ones first, each stream in the order they were added. */
export class ToxicCollection {
  private readonly toxics: Toxic[] = [];

  constructor(private readonly notify: (change: ToxicChange) => void) {}

  /** Toxics of one stream, in chain order. */
  ofStream(stream: Stream): Toxic[] {
    return this.toxics.filter((toxic) => toxic.stream === stream);
  }

  /** Every toxic, as toxiproxy lists them. */
  list(): Toxic[] {
    return [...this.ofStream('upstream'), ...this.ofStream('downstream')];
  }

  get(name: string): Toxic {
    const toxic = this.toxics.find((candidate) => candidate.name === name);
    if (!toxic) throw new ApiError('TOXIC_NOT_FOUND');
    return toxic;
  }

  /** Validates a create body completely, then adds the toxic (POST /proxies/{p}/toxics). */
  add(body: unknown): Toxic {
    const input = parseBody(createBody, body);
    if (input.stream !== 'upstream' && input.stream !== 'downstream') {
      throw new ApiError('INVALID_STREAM');
    }
    const name = input.name || `${input.type}_${input.stream}`;
    const kind = TOXIC_KINDS.get(input.type);
    if (!kind) throw new ApiError('INVALID_TOXIC_TYPE');
    if (this.toxics.some((toxic) => toxic.name === name)) {
      throw new ApiError('TOXIC_ALREADY_EXISTS');
    }
    const attributes = attributesOf(input.type, input.attributes);
    const toxic: Toxic = {
      name,
      type: input.type,
      stream: input.stream,
      toxicity: input.toxicity,
      kind,
      attributes,
    };
    this.toxics.push(toxic);
    this.notify({ op: 'add', toxic });
    return toxic;
  }

  /** Merges new attributes and toxicity into a toxic (POST/PATCH /proxies/{p}/toxics/{t}). */
  update(name: string, body: unknown): Toxic {
    const current = this.get(name);
    const input = parseBody(updateBody, body);
    const attributes = attributesOf(current.type, { ...current.attributes, ...input.attributes });
    const toxic: Toxic = { ...current, attributes, toxicity: input.toxicity ?? current.toxicity };
    this.toxics[this.toxics.indexOf(current)] = toxic;
    this.notify({ op: 'update', toxic });
    return toxic;
  }

  remove(name: string): void {
    const toxic = this.get(name);
    this.toxics.splice(this.toxics.indexOf(toxic), 1);
    this.notify({ op: 'remove', toxic });
  }

  /** Removes every toxic. */
  clear(): void {
    for (const toxic of this.list()) this.remove(toxic.name);
  }
}
