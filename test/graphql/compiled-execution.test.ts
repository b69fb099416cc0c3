import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offsetOf } from '../../src/gateway/compiled-execution';
import { startStack, type Stack } from '../helpers/stack';

describe('offsetOf (line and column back to a character offset)', () => {
  it('counts \\n, \\r\\n and \\r as line ends, as graphql-js does', () => {
    const body = 'a\nbc\r\ndef\rgh';
    expect(body[offsetOf(body, 1, 1)]).toBe('a');
    expect(body[offsetOf(body, 2, 2)]).toBe('c');
    expect(body[offsetOf(body, 3, 3)]).toBe('f');
    expect(body[offsetOf(body, 4, 1)]).toBe('g');
  });
});

describe('errors of compiled execution look like graphql-js errors', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('keeps the location of a resolver error on a later line of a CRLF document', async () => {
    const res = await stack.execute('query Vaults {\r\n  # the field below fails\r\n    vaults { totalCount }\r\n}', undefined, { token: null });
    expect(res.errors).toEqual([
      expect.objectContaining({ locations: [{ line: 3, column: 5 }], path: ['vaults'], extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
  });

  // A value the compiled code itself refuses (a scalar's serialize throwing) is masked: scalars.test.ts pins it.
});
