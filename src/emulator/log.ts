/**
 * The emulator's diagnostic log: one level threshold, messages on the console. Expected events (a client that goes
 * away mid-request) are `debug`; a bug of the emulator is `error`.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLog(level: LogLevel = 'info') {
  const enabled = (at: LogLevel) => RANK[at] >= RANK[level];
  return {
    level,
    debug(message: string, ...details: unknown[]): void {
      if (enabled('debug')) console.debug(`emulator: ${message}`, ...details);
    },
    warn(message: string, ...details: unknown[]): void {
      if (enabled('warn')) console.warn(`emulator: ${message}`, ...details);
    },
    error(message: string, ...details: unknown[]): void {
      if (enabled('error')) console.error(`emulator: ${message}`, ...details);
    },
  };
}

export type Log = ReturnType<typeof createLog>;
