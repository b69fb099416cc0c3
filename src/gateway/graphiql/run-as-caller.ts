/**
 * Sends a query through the gateway itself with the credentials of a browser's request (X-Auth-Token, X-Project-Id)
 * and its Host, so the same rules apply as to the browser's own queries (a refused Host fills nothing).
 */
import type { RunAsCaller } from './example-ids';

/** What `runAsCaller` needs of the gateway: yoga's `fetch`. */
interface Fetches {
  fetch(input: string, init: RequestInit): Response | Promise<Response>;
}

const FORWARDED = ['x-auth-token', 'x-project-id', 'host'];

export function runAsCaller(gateway: Fetches, request: Request): RunAsCaller {
  return async (query) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    for (const name of FORWARDED) {
      const value = request.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const response = await gateway.fetch(new URL(request.url).origin + new URL(request.url).pathname, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: Record<string, any> | null };
    return body.data;
  };
}
