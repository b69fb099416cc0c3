/** Test helpers for the gateway tests: the error shapes GraphQL answers carry. */
import { expect } from 'vitest';
import type { GraphQLResponse } from './stack';

export interface BadInput {
  /** The input path the error names in `extensions.field`, e.g. `input.billing.sizeGb`. */
  field: string;
  message: string;
}

/**
 * Matches the error of an input the gateway refuses itself, before any upstream call: BAD_USER_INPUT naming the
 * input `field`, with `message` (other members, e.g. `locations`, not checked).
 */
export function badInput({ field, message }: BadInput) {
  return expect.objectContaining({ message, extensions: { code: 'BAD_USER_INPUT', field } });
}

/** Asserts that the answer's only error is `badInput(expected)`: the gateway refused the input itself. */
export function expectBadInput(res: GraphQLResponse, expected: BadInput): void {
  expect(res.errors).toEqual([badInput(expected)]);
}
