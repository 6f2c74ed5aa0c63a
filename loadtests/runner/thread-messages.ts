import type { RunProgress } from './options.ts';
import type { ShareResult } from './share-run.ts';

/** What the main thread sends a load thread: when the shared schedule starts. */
export interface ToThread {
  startAtEpochMs: number;
}

/** What a load thread sends back. */
export type FromThread =
  | { kind: 'ready' }
  | { kind: 'progress'; progress: RunProgress }
  | { kind: 'done'; result: ShareResult }
  | { kind: 'failed'; message: string };
