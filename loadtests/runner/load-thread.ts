// A worker thread of a spread run (loaded by thread-boot.mjs): runs one share of the schedule.
import { parentPort, workerData } from 'node:worker_threads';
import type { ScheduleShare } from './open-loop.ts';
import type { ResolvedOptions } from './options.ts';
import { runShare } from './share-run.ts';
import type { FromThread, ToThread } from './thread-messages.ts';

const port = parentPort;
if (!port) throw new Error('load-thread.ts runs only as a worker thread');
const { options, share } = workerData as {
  options: Omit<ResolvedOptions, 'onProgress' | 'onStart' | 'signal'>;
  share: Omit<ScheduleShare, 'startAtEpochMs'>;
};
const post = (message: FromThread): void => port.postMessage(message);

port.once('message', (message: ToThread) => {
  const resolved: ResolvedOptions = {
    ...options,
    onProgress: (p) => post({ kind: 'progress', progress: p }),
    onStart: undefined,
    signal: undefined,
  };
  runShare(resolved, { ...share, startAtEpochMs: message.startAtEpochMs }).then(
    (result) => post({ kind: 'done', result }),
    (error: unknown) =>
      post({
        kind: 'failed',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
post({ kind: 'ready' });
