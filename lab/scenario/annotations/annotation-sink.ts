import { type RemoteSample, remoteWrite } from './remote-write.ts';

/** The series every scenario action is written to; the Grafana comparison dashboard annotates it. */
export const ANNOTATION_METRIC = 'cachelab_scenario_action';

/** What an annotation says: which run, which action. Labels stay bounded (no ids or keys). */
export interface Annotation {
  runId: string;
  scenario: string;
  topology: string;
  /** Action kind, e.g. kill, cluster-failover; rollbacks are `rollback`. */
  action: string;
  /** Short text shown on the dashboard, e.g. `kill app-2`. */
  text: string;
  atEpochMs: number;
}

/** Writes each action as a sample of ANNOTATION_METRIC (value 1) at the moment it ran. */
export function annotationSamples(a: Annotation): RemoteSample[] {
  return [
    {
      labels: {
        __name__: ANNOTATION_METRIC,
        run_id: a.runId,
        scenario: a.scenario,
        topology: a.topology,
        action: a.action,
        text: a.text,
      },
      value: 1,
      timestampMs: Math.round(a.atEpochMs),
    },
  ];
}

/** Sends annotations to a remote-write URL; failures are kept for the report, never thrown. */
export class AnnotationSink {
  readonly failures: string[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly url: string) {}

  /** Queues one annotation (sent in order). */
  write(a: Annotation): void {
    this.chain = this.chain.then(() =>
      remoteWrite(this.url, annotationSamples(a)).catch((error: unknown) => {
        this.failures.push(String(error));
      }),
    );
  }

  /** Waits until every queued annotation was sent (or failed). */
  flush(): Promise<void> {
    return this.chain;
  }
}
