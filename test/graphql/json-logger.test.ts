/** The JSON log lines (json-logger.ts): one object per line, levels filtered, errors and fields kept. */
import { describe, expect, it } from 'vitest';
import { createJsonLogger, formatLine } from '../../src/gateway/json-logger';

describe('createJsonLogger', () => {
  it('writes one JSON object per line at or above its level', () => {
    const lines: string[] = [];
    const logger = createJsonLogger('info', (line) => lines.push(line));
    logger.debug('hidden');
    logger.info({ msg: 'request', requestId: 'r1', durationMs: 3.5 });
    logger.error(new TypeError('boom'));
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toEqual({ time: expect.any(String), level: 'info', msg: 'request', requestId: 'r1', durationMs: 3.5 });
    expect(JSON.parse(lines[1]!)).toEqual({
      time: expect.any(String),
      level: 'error',
      msg: 'boom',
      error: { name: 'TypeError', message: 'boom', stack: expect.stringContaining('TypeError: boom') },
    });
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
  });

  it('writes nothing when silent', () => {
    const lines: string[] = [];
    createJsonLogger('silent', (line) => lines.push(line)).error('x');
    expect(lines).toEqual([]);
  });

  it('survives a field that cannot be serialised', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const line = JSON.parse(formatLine('warn', ['careful', { detail: cyclic }], new Date(0)));
    expect(line).toEqual({ time: '1970-01-01T00:00:00.000Z', level: 'warn', msg: 'careful', note: 'fields not serialisable' });
  });
});
