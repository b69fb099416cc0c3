/**
 * The one line `npm start` prints when the gateway cannot listen, instead of a stack trace: what went wrong and
 * which variable changes it.
 */
import type { Config } from './config';

/** The message for a listen failure of the gateway's port, or undefined for any other error (a bug: print it whole). */
export function startFailure(error: unknown, config: Pick<Config, 'port' | 'host'>): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const where = `${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `Cannot listen on ${where}: the port is in use (another gateway still running?). Set PORT to a free port, e.g. PORT=${config.port + 1} npm start`;
    case 'EACCES':
      return `Cannot listen on ${where}: permission denied (ports below 1024 need privileges). Set PORT to a port above 1023, e.g. PORT=4000`;
    case 'EADDRNOTAVAIL':
      return `Cannot listen on ${where}: no interface of this machine has that address. Set HOST to one it has, e.g. HOST=127.0.0.1`;
    default:
      return undefined;
  }
}
