import { type Logger, pino } from 'pino';

export type { Logger };

/** Creates the process logger: JSON lines on stdout, with the server id on every line. */
export function createLogger(options: { level: string; serverId: string }): Logger {
  return pino({ level: options.level, base: { server: options.serverId } });
}
