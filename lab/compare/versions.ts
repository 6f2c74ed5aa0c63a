import type { DriverName } from '../lab-config.ts';
import type { SoftwareVersions } from '../measure/scrape/environment.ts';
import { nginxVersion, readPostgresVersion, redisVersion } from '../measure/scrape/environment.ts';
import type { LabEndpoints } from '../run/driver/driver-types.ts';

/** Reads the software versions from the first labs that run each service (once each). */
export class VersionCollector {
  private postgres: string | null = null;
  private redis: string | null = null;
  private readonly nginx: Promise<string | null>;

  /**
   * `warn` receives a line when a version cannot be read (the run goes on without it). The nginx
   * version is that of the installed binary, so only a native run reads it.
   */
  constructor(
    private readonly warn: (text: string) => void,
    driver: DriverName = 'native',
  ) {
    this.nginx =
      driver === 'native'
        ? nginxVersion().catch((error: unknown) => this.failed('nginx', error))
        : Promise.resolve(null);
  }

  private failed(what: string, error: unknown): null {
    this.warn(
      `could not read the ${what} version: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }

  /** Reads whatever versions are still unknown from the servers of a running lab. */
  async collect(endpoints: LabEndpoints): Promise<void> {
    if (this.postgres === null) {
      this.postgres = await readPostgresVersion(endpoints.postgresUrl).catch((e: unknown) =>
        this.failed('Postgres', e),
      );
    }
    const node = endpoints.redis[0];
    if (this.redis === null && node) {
      this.redis = await redisVersion(node.host, node.port, node.password).catch((e: unknown) =>
        this.failed('Redis', e),
      );
    }
  }

  /** The versions known so far. */
  async result(): Promise<SoftwareVersions> {
    return {
      node: process.versions.node,
      postgres: this.postgres,
      redis: this.redis,
      nginx: await this.nginx,
    };
  }
}
