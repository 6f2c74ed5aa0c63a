import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantQuery } from '../lab/run/observe/prometheus-api.ts';
import { type PrometheusProcess, startPrometheus } from '../lab/run/observe/prometheus-server.ts';
import { liveProcesses } from '../lab/run/processes/process-registry.ts';
import { makeRunDir, removeRunDir } from '../lab/run/processes/run-dir.ts';
import { ANNOTATION_METRIC, AnnotationSink } from '../lab/scenario/annotations/annotation-sink.ts';

// A real Prometheus (remote-write receiver on, as --observe starts it) takes the scenario actions.
describe('scenario annotations through Prometheus remote write', () => {
  let runDir = '';
  let prometheus: PrometheusProcess | undefined;

  beforeAll(async () => {
    runDir = await makeRunDir('scenario-annotations');
    prometheus = await startPrometheus({ runDir, config: 'global:\n  scrape_interval: 15s\n' });
  }, 60_000);

  afterAll(async () => {
    await prometheus?.proc.stop();
    await removeRunDir(runDir);
    expect(liveProcesses()).toEqual([]);
  });

  it('writes each action as a sample Prometheus can query, with bounded labels', async () => {
    const url = (prometheus as PrometheusProcess).url;
    const sink = new AnnotationSink(`${url}/api/v1/write`);
    const at = Date.now() - 2_000;
    const base = { runId: 'global-test', scenario: 'redis-kill', topology: 'global' };
    sink.write({ ...base, action: 'kill', text: 'kill redis-1', atEpochMs: at });
    sink.write({ ...base, action: 'rollback', text: 'bring redis-1 back', atEpochMs: at + 500 });
    await sink.flush();
    expect(sink.failures).toEqual([]);
    const answer = await instantQuery(url, `${ANNOTATION_METRIC}[1m]`);
    expect(answer.status).toBe('success');
    const actions = answer.result.map((r) => r.metric.action).sort();
    expect(actions).toEqual(['kill', 'rollback']);
    expect(answer.result[0]?.metric).toMatchObject({ run_id: 'global-test', topology: 'global' });
  });

  it('keeps a failed write as a failure instead of throwing', async () => {
    const sink = new AnnotationSink('http://127.0.0.1:9/api/v1/write');
    sink.write({
      runId: 'x',
      scenario: 's',
      topology: 't',
      action: 'kill',
      text: 'kill',
      atEpochMs: Date.now(),
    });
    await sink.flush();
    expect(sink.failures).toHaveLength(1);
  });
});
