// Prometheus remote write 1.0 by hand: a protobuf WriteRequest in a snappy block of literals.

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(Math.trunc(n));
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const key = (field: number, wireType: number): number[] => varint((field << 3) | wireType);

function bytesField(field: number, payload: Uint8Array | number[]): number[] {
  return [...key(field, 2), ...varint(payload.length), ...payload];
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** One sample of one series. */
export interface RemoteSample {
  labels: Record<string, string>;
  value: number;
  timestampMs: number;
}

function encodeSeries(sample: RemoteSample): number[] {
  const labels = Object.entries(sample.labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, value]) =>
      bytesField(1, [...bytesField(1, text(name)), ...bytesField(2, text(value))]),
    );
  const value = new Uint8Array(new Float64Array([sample.value]).buffer);
  const encodedSample = [...key(1, 1), ...value, ...key(2, 0), ...varint(sample.timestampMs)];
  return [...labels, ...bytesField(2, encodedSample)];
}

/** The protobuf bytes of a WriteRequest holding one series per sample. */
export function encodeWriteRequest(samples: readonly RemoteSample[]): Uint8Array {
  return Uint8Array.from(samples.flatMap((s) => bytesField(1, encodeSeries(s))));
}

/** A valid snappy block that stores `data` as literals (no compression: the payloads are tiny). */
export function snappyLiterals(data: Uint8Array): Uint8Array {
  const out: number[] = varint(data.length);
  for (let at = 0; at < data.length; at += 65_536) {
    const chunk = data.subarray(at, Math.min(data.length, at + 65_536));
    const n = chunk.length - 1;
    if (n < 60) out.push(n << 2);
    else if (n < 256) out.push(60 << 2, n);
    else out.push(61 << 2, n & 0xff, n >> 8);
    out.push(...chunk);
  }
  return Uint8Array.from(out);
}

/** Pushes samples to a Prometheus started with --web.enable-remote-write-receiver. */
export async function remoteWrite(url: string, samples: readonly RemoteSample[]): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-encoding': 'snappy',
      'content-type': 'application/x-protobuf',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body: snappyLiterals(encodeWriteRequest(samples)),
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`remote write to ${url}: HTTP ${res.status} ${await res.text()}`);
}
