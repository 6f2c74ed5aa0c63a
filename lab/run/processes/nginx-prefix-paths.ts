import { NativeServiceError } from './process-errors.ts';

/** Temp-path directives nginx needs in `http {}`; Debian's compiled-in defaults under /var/lib are not ours. */
const HTTP_PATHS: Record<string, string> = {
  client_body_temp_path: 'temp/body',
  proxy_temp_path: 'temp/proxy',
  fastcgi_temp_path: 'temp/fastcgi',
  uwsgi_temp_path: 'temp/uwsgi',
  scgi_temp_path: 'temp/scgi',
  access_log: 'logs/access.log',
};

function hasDirective(config: string, name: string): boolean {
  return new RegExp(`^\\s*${name}\\s`, 'm').test(config);
}

/**
 * Makes a config self-contained in its prefix: adds (only when absent) the temp paths and access log inside
 * `http {}`, so nginx never touches /var/lib/nginx or /var/log/nginx (which a non-root user cannot write).
 */
export function containNginxConfig(config: string): string {
  if (/^\s*daemon\s+on\s*;/m.test(config)) {
    throw new NativeServiceError('START_FAILED', 'nginx config must not say "daemon on;"');
  }
  const missing = Object.entries(HTTP_PATHS).filter(([name]) => !hasDirective(config, name));
  if (missing.length === 0) return config;
  const lines = missing.map(([name, path]) => `  ${name} ${path};`).join('\n');
  return config.replace(
    /\bhttp\s*\{/,
    (open) => `${open}\n  # added by lab/run/processes/nginx.ts\n${lines}`,
  );
}

/** The `-g` main-context directives: `daemon off;` plus a pid file in the prefix, unless the config has them. */
export function nginxGlobalDirectives(config: string): string {
  const parts: string[] = [];
  if (!hasDirective(config, 'daemon')) parts.push('daemon off;');
  if (!hasDirective(config, 'pid')) parts.push('pid nginx.pid;');
  return parts.join(' ');
}
