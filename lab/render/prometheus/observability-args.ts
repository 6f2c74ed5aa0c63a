// Command lines of Prometheus and the exporters: the native run spawns them, compose writes them.

/** Flags of Prometheus: config, TSDB folder, listen address, remote-write receiver (for k6). */
export function prometheusArgs(configPath: string, storageDir: string, listen: string): string[] {
  return [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${storageDir}`,
    `--web.listen-address=${listen}`,
    // k6 pushes its metrics here: `k6 run -o experimental-prometheus-rw`.
    '--web.enable-remote-write-receiver',
    '--storage.tsdb.retention.time=30d',
  ];
}

/** lib/pq (inside the exporter) defaults to sslmode=require; the lab's Postgres has no TLS. */
export function exporterDsn(postgresUrl: string): string {
  const url = new URL(postgresUrl);
  if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', 'disable');
  return url.toString();
}

/** Flags of the Redis exporter: no -redis.addr (nodes come as /scrape?target=…), no Go runtime series. */
export function redisExporterArgs(listen: string): string[] {
  return ['-redis.addr=', '-redis-only-metrics', `-web.listen-address=${listen}`];
}

/** Flags of the Postgres exporter (DATA_SOURCE_NAME carries the connection); pg_settings is ~300 unread series. */
export function postgresExporterArgs(listen: string): string[] {
  return ['--disable-settings-metrics', `--web.listen-address=${listen}`];
}

/** Flags of the nginx exporter reading stub_status at `statusUrl` (retrying while nginx starts). */
export function nginxExporterArgs(listen: string, statusUrl: string): string[] {
  return [
    `--nginx.scrape-uri=${statusUrl}`,
    '-nginx.retries=5',
    '-nginx.retry-interval=1s',
    `--web.listen-address=${listen}`,
  ];
}
