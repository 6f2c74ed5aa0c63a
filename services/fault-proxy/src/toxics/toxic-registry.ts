import { bandwidth } from './bandwidth.ts';
import { latency } from './latency.ts';
import { limitData } from './limit-data.ts';
import { resetPeer } from './reset-peer.ts';
import { slicer } from './slicer.ts';
import { slowClose } from './slow-close.ts';
import { timeout } from './timeout.ts';
import type { ToxicKind } from './toxic.ts';

/** Every toxic type the proxy knows, by its API name. */
export const TOXIC_KINDS: ReadonlyMap<string, ToxicKind> = new Map(
  ([latency, bandwidth, timeout, resetPeer, slowClose, limitData, slicer] as ToxicKind[]).map(
    (kind) => [kind.type, kind],
  ),
);
