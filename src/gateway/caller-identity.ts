/**
 * Who a request acts as, as one opaque key: what shared structures (in-flight coalescing, per-tenant budgets, watch
 * streams, response caches) partition on, so that nothing is ever shared between two callers who could see different
 * things. A token is hashed (never kept or logged in clear, hardening.md 3.1); callers without a token act with the
 * gateway's own credentials, in the project they name (context.ts refuses any other project).
 */
import { createHash } from 'node:crypto';

export function callerIdentity(headers: Headers): string {
  const token = headers.get('x-auth-token');
  const project = headers.get('x-project-id') ?? '';
  if (token === null) return `own:${project}`;
  return `token:${createHash('sha256').update(token).digest('base64url')}:${project}`;
}
