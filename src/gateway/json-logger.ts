/**
 * The gateway's log: one JSON object per line on stdout (`time`, `level`, `msg`, then fields), which log shippers
 * read without a parsing rule. Implements yoga's logger interface, so yoga's own lines (masked errors) come out alike:
 * an Error becomes `msg` plus `error: { name, message, stack }`, an object argument is merged as fields.
 */
import type { YogaLogger } from 'graphql-yoga';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createJsonLogger(level: LogLevel | 'silent', write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): YogaLogger {
  const at = (lineLevel: LogLevel) => (...args: unknown[]) => {
    if (ORDER[lineLevel] < ORDER[level]) return;
    write(formatLine(lineLevel, args));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** One log line as JSON. Never throws: a field that cannot be serialised (a cycle) is replaced by its type. */
export function formatLine(level: LogLevel, args: unknown[], now = new Date()): string {
  const line: Record<string, unknown> = { time: now.toISOString(), level };
  const messages: string[] = [];
  for (const arg of args) {
    if (arg instanceof Error) {
      messages.push(arg.message);
      line.error = { name: arg.name, message: arg.message, stack: arg.stack };
    } else if (typeof arg === 'object' && arg !== null) {
      Object.assign(line, arg);
    } else {
      messages.push(String(arg));
    }
  }
  if (messages.length > 0) line.msg = line.msg === undefined ? messages.join(' ') : `${String(line.msg)} ${messages.join(' ')}`;
  try {
    return JSON.stringify(line);
  } catch {
    return JSON.stringify({ time: line.time, level, msg: messages.join(' ') || String(line.msg ?? ''), note: 'fields not serialisable' });
  }
}
