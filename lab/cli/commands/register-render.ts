import type { Command } from '@commander-js/extra-typings';
import { renderK8sCommand } from '../../render/k8s/render-command.ts';
import { integerInRange, workloadName } from '../option-parsers.ts';

/** Registers `cachelab render k8s <topology> [--out <dir>] …`. */
export function registerRenderCommand(program: Command): void {
  const render = program
    .command('render')
    .description('write deployment files generated from the model');
  render
    .command('k8s')
    .description('a kustomize folder for Kubernetes (validated offline; no cluster runs here)')
    .argument('<topology>', 'topology name (see `cachelab list`)')
    .option('--out <dir>', 'folder to write (default deploy/k8s/<topology>)')
    .option('--namespace <name>', 'namespace of every object (default cachelab)')
    .option(
      '--app-image <image>',
      'the app image as the cluster pulls it (default the pinned cachelab/app)',
    )
    .option(
      '--parallelism <n>',
      'k6-operator runner pods of the TestRun (default 2)',
      integerInRange(1, 100),
    )
    .option(
      '--rate <rps>',
      'total arrival rate of the TestRun (default 300)',
      integerInRange(1, 1_000_000),
    )
    .option(
      '--duration <s>',
      'measured seconds of the TestRun (default 60)',
      integerInRange(1, 86_400),
    )
    .option('--warmup <s>', 'warm-up seconds of the TestRun (default 10)', integerInRange(0, 3_600))
    .option('--workload <name>', 'workload of the TestRun (default read-heavy)', workloadName)
    .action(async (topology, o) => {
      const { dir, next } = await renderK8sCommand({
        topology,
        out: o.out,
        namespace: o.namespace,
        appImage: o.appImage,
        parallelism: o.parallelism,
        rate: o.rate,
        durationSec: o.duration,
        warmupSec: o.warmup,
        workload: o.workload,
      });
      process.stdout.write(`${dir}\n${next.map((l) => `  ${l}`).join('\n')}\n`);
    });
}
