/** Test helpers for the gateway tests: matchers for the errors a GraphQL answer carries, by where they come from. */
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

export interface UpstreamRefusal {
  /** The gateway's `extensions.code`, e.g. `NOT_FOUND`. */
  code: string;
  /** The upstream's HTTP status, e.g. 404. */
  status: number;
  /** The upstream's error code, e.g. `BackupService.6002`. */
  upstreamCode: string;
  /** The upstream's message, which the error passes on as its own. */
  message: string;
}

/**
 * Matches an upstream refusal the gateway passes on: `code`, and under `extensions.upstream` the upstream's status,
 * code, message and request id (other members, e.g. `path`, not checked).
 */
export function upstreamRefusal({ code, status, upstreamCode, message }: UpstreamRefusal) {
  return expect.objectContaining({
    message,
    extensions: { code, upstream: { status, code: upstreamCode, message, requestId: expect.stringMatching(/^req-/) } },
  });
}
