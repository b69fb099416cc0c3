import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { copyRecord } from '../../src/emulator/copy';
import { ApiError } from '../../src/emulator/errors';
import { parseOrThrow } from '../../src/emulator/validation';

describe('parseOrThrow with an empty input (remembered per schema)', () => {
  const withDefaults = z.object({ limit: z.coerce.number().default(1000), tags: z.array(z.string()).default([]), name: z.string().optional() });

  it('answers each call with its own result, as a fresh parse would', () => {
    const first = parseOrThrow(withDefaults, {});
    first.tags.push('changed');
    first.limit = 1;
    const second = parseOrThrow(withDefaults, {});
    expect(second).toEqual({ limit: 1000, tags: [] });
    expect(second).not.toBe(first);
  });

  it('keeps each schema’s own result and still parses non-empty input', () => {
    const other = z.object({ offset: z.coerce.number().default(0) });
    expect(parseOrThrow(withDefaults, {})).toEqual({ limit: 1000, tags: [] });
    expect(parseOrThrow(other, {})).toEqual({ offset: 0 });
    expect(parseOrThrow(withDefaults, { limit: '5', name: 'x' })).toEqual({ limit: 5, tags: [], name: 'x' });
  });

  it('rejects an empty input a schema refuses, every time', () => {
    const required = z.strictObject({ vault: z.object({ name: z.string() }) });
    for (let i = 0; i < 2; i++) {
      expect(() => parseOrThrow(required, {})).toThrow(new ApiError(400, 'BackupService.9900', 'Parameter verification failed: vault is mandatory'));
    }
  });
});

describe('copyRecord', () => {
  it('copies JSON-shaped data deeply, keys in order, sharing no object', () => {
    const record = { id: 'v1', billing: { size: 10, used: null }, resources: [{ id: 'r1', extra_info: { exclude_volumes: ['d1'] } }], tags: [], ok: true };
    const copy = copyRecord(record);
    expect(copy).toEqual(record);
    expect(Object.keys(copy)).toEqual(Object.keys(record));
    copy.billing.size = 20;
    copy.resources[0]!.extra_info.exclude_volumes.push('d2');
    (copy.tags as string[]).push('t');
    expect(record).toEqual({ id: 'v1', billing: { size: 10, used: null }, resources: [{ id: 'r1', extra_info: { exclude_volumes: ['d1'] } }], tags: [], ok: true });
  });
});
