import type { Command, OptionValues } from '@commander-js/extra-typings';
import { LabError } from '../lab-errors.ts';
import type { RemoteTargetFlags } from '../run/driver/remote/remote-target.ts';

const list = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(',').filter((v) => v !== ''),
];

/** --target and the scrape endpoints of a lab that runs elsewhere (swarm, Kubernetes). */
export function withTargetOptions<Args extends unknown[], Opts extends OptionValues>(
  command: Command<Args, Opts>,
) {
  return command
    .option('--target <url>', 'a lab running elsewhere: its nginx front door (nothing is started)')
    .option('--scrape-app <[name=]url,…>', "app servers' base URLs (/metrics is read)", list)
    .option('--scrape-redis <redis://[:pw@]host:port,…>', 'Redis nodes to read INFO from', list)
    .option('--scrape-postgres <url>', 'a superuser URL of the lab database')
    .option('--prometheus <url>', 'a Prometheus scraping the app servers (finds their /metrics)');
}

/** The parsed target options, or undefined without --target (a scrape option alone is an error). */
export function remoteFlagsOf(o: {
  target?: string;
  scrapeApp?: string[];
  scrapeRedis?: string[];
  scrapePostgres?: string;
  prometheus?: string;
}): RemoteTargetFlags | undefined {
  // Only these options: `o` is every option of the command (--rate, --topology…).
  const { target, scrapeApp, scrapeRedis, scrapePostgres, prometheus } = o;
  const scrape = { scrapeApp, scrapeRedis, scrapePostgres, prometheus };
  if (target === undefined) {
    const given = Object.entries(scrape).filter(([, v]) => v !== undefined);
    if (given.length > 0)
      throw new LabError('USAGE', '--scrape-* and --prometheus need --target <url>');
    return undefined;
  }
  return { target, ...scrape };
}
