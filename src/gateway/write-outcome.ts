/**
 * Writes whose outcome is unknown: a POST that may have reached the upstream but got no answer (its attempt timed out,
 * or the connection broke once it could have been sent). The upstream may have acted, so a retry could do it twice
 * (a second vault): errors.ts answers these UPSTREAM_OUTCOME_UNKNOWN with `retrySafe: false`, and the creates that
 * can be looked up cheaply (vaults, policies) reconcile here: they look for what they would have created.
 * PUT and DELETE are left out: they are idempotent (http.ts retries them), repeating one is safe.
 */
import type { CbrClient } from '../upstream/client';
import { UpstreamTimeoutError, UpstreamUnavailableError } from '../upstream/errors';
import type { Policy, PolicyCreateRequest } from '../upstream/schemas/policy';
import type { Vault, VaultCreateRequest } from '../upstream/schemas/vault';
import { normalizeDateTime } from './resolvers/scalars';

/**
 * Connection failures that leave nothing sent: refused, no such host, no route, connect timeout. Any other
 * (ECONNRESET, EPIPE, UND_ERR_SOCKET, …) may come after the request left, so its outcome is unknown.
 */
const NOTHING_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETDOWN', 'ENETUNREACH', 'EHOSTDOWN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'CIRCUIT_OPEN']);

/** True when `error` says a POST may or may not have been carried out. */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof UpstreamTimeoutError) return error.method === 'POST';
  if (error instanceof UpstreamUnavailableError) return error.method === 'POST' && !NOTHING_SENT.has(error.reason);
  return false;
}

/**
 * How far the upstream's clock may be behind ours: a vault created by our request carries the upstream's time, which
 * may read a little earlier than our `sentAt`.
 */
const CLOCK_SKEW_MS = 60_000;

/**
 * Runs `create`; when its outcome is unknown, asks `find` for what it would have created (sent at `sentAt`) and answers
 * that, `reconciled`, when exactly one candidate turns up. Otherwise (none, several, or the lookup failing) the create's
 * own error stands, and the client is told to check.
 */
export async function reconciledCreate<T>(create: () => Promise<T>, find: (sentAt: number) => Promise<T[]>): Promise<{ created: T; reconciled: boolean }> {
  const sentAt = Date.now();
  try {
    return { created: await create(), reconciled: false };
  } catch (error) {
    if (!outcomeUnknown(error)) throw error;
    const candidates = await find(sentAt).catch(() => []);
    if (candidates.length === 1) return { created: candidates[0]!, reconciled: true };
    throw error;
  }
}

/** Vaults with the name, type and size of `body` created since `sentAt` (less the clock skew). */
export async function findCreatedVaults(client: CbrClient, body: VaultCreateRequest, sentAt: number): Promise<Vault[]> {
  const wanted = body.vault;
  const { vaults } = await client.listVaults({ name: wanted.name, object_type: wanted.billing.object_type, limit: 1000 });
  return vaults.filter((vault) => {
    const created = vault.created_at ? normalizeDateTime(vault.created_at) : undefined;
    return (
      vault.name === wanted.name &&
      vault.billing.size === wanted.billing.size &&
      (wanted.description === undefined || vault.description === wanted.description) &&
      created !== undefined &&
      Date.parse(created) >= sentAt - CLOCK_SKEW_MS
    );
  });
}

/**
 * Policies with the name, type and enabled flag of `body`. Policies carry no creation time, so "created since" cannot be
 * checked: an older policy with the same name and settings makes two candidates, and the unknown outcome stands.
 */
export async function findCreatedPolicies(client: CbrClient, body: PolicyCreateRequest): Promise<Policy[]> {
  const wanted = body.policy;
  const { policies } = await client.listPolicies({ operation_type: wanted.operation_type });
  return policies.filter(
    (policy) => policy.name === wanted.name && policy.operation_type === wanted.operation_type && (wanted.enabled === undefined || policy.enabled === wanted.enabled),
  );
}
