import type { SoftwareVersions } from '../measure/scrape/environment.ts';
import { nginxVersion, readPostgresVersion, redisVersion } from '../measure/scrape/environment.ts';
import type { NativeLab } from '../run/driver/native/driver.ts';

/** Reads the software versions from the first labs that run each service (once each). */
export class VersionCollector {
  private postgres: string | null = null;
  private redis: string | null = null;
  private readonly nginx: Promise<string | null>;

  /** `warn` receives a line when a version cannot be read (the run goes on without it). */
  constructor(private readonly warn: (text: string) => void) {
    this.nginx = nginxVersion().catch((error: unknown) => this.failed('nginx', error));
  }

  private failed(what: string, error: unknown): null {
    this.warn(
      `could not read the ${what} version: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }

  /** Reads whatever versions are still unknown from a running lab. */
  async collect(lab: NativeLab): Promise<void> {
    const { postgres, redis } = lab.services;
    if (this.postgres === null && postgres) {
      this.postgres = await readPostgresVersion(postgres.adminUrl).catch((e: unknown) =>
        this.failed('Postgres', e),
      );
    }
    const node = redis?.nodes[0];
    if (this.redis === null && node) {
      this.redis = await redisVersion(node.host, node.port).catch((e: unknown) =>
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
