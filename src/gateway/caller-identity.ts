/**
 * Who a request acts as, as one opaque key: what shared structures (in-flight coalescing, per-tenant budgets, watch
 * streams, response caches) partition on, so that nothing is ever shared between two callers who could see different
 * things. A token is hashed (never kept or logged in clear, hardening.md 3.1); callers without a token act with the
 * gateway's own credentials, in the project they name (context.ts refuses any other project).
 */
import { hash } from 'node:crypto';

// Each request asks at least twice (tenant-limits.ts before parsing, context.ts after): its key is hashed once. Kept
// weakly by the request's Headers object, so nothing (no token, no hash) outlives the request.
const known = new WeakMap<Headers, { token: string | null; project: string | null; identity: string }>();

export function callerIdentity(headers: Headers): string {
  const token = headers.get('x-auth-token');
  const projectId = headers.get('x-project-id');
  const seen = known.get(headers);
  // Compared, not trusted: headers can change, and comparing two strings costs far less than hashing a token.
  if (seen && seen.token === token && seen.project === projectId) return seen.identity;
  const project = projectId ?? '';
  // crypto.hash (Node ≥ 20.12): one call, no Hash object.
  const identity = token === null ? `own:${project}` : `token:${hash('sha256', token, 'base64url')}:${project}`;
  known.set(headers, { token, project: projectId, identity });
  return identity;
}
