/**
 * The upstream calls one GraphQL request may make. A short query can fan out far: a page of 1000 backups, each
 * with its share members and restore point, is 2000 calls, and a few aliases multiply that. Past the limit every
 * further call fails with TOO_MANY_UPSTREAM_CALLS before it is sent: the fields it would have served are null with
 * that error, what was already read stands (a failing field nulls that field only). The count is of real calls, so
 * loaders and batching that save calls leave room; the parse-time query limits (limits.ts) bound the document's
 * shape, this bounds its cost.
 */
import type { CallBudget } from '../upstream/http';
import { UpstreamRequestError } from '../upstream/errors';

/** Default of `GatewayConfig.maxUpstreamCallsPerRequest`: a dashboard of 100 vaults with 2 servers each takes 302. */
export const DEFAULT_MAX_UPSTREAM_CALLS = 500;

export function createCallBudget(maxCalls: number): CallBudget {
  let left = maxCalls;
  return {
    take() {
      if (left === 0) {
        throw new UpstreamRequestError(
          'call-limit',
          `This request needs more than ${maxCalls} upstream calls, the most one request may make: ask for fewer items (first) or fewer nested lists, or split the query`,
        );
      }
      left--;
    },
  };
}
