/**
 * Policy loaders. The policy list is not paginated by the API, so ONE `GET /policies` answers every "policies of
 * vault X" of a request (matched by `associated_vaults`) and several ids at once; a single id uses
 * `GET /policies/{id}`. List results prime the by-id loader.
 */
import DataLoader from 'dataloader';
import type { CbrClient } from '../../upstream/client';
import type { Policy, PolicyList, PolicyListQuery } from '../../upstream/schemas/policy';
import { nullIfNotFound } from '../errors';
import { eachKey } from './each-key';
import { stableKey } from './keys';

export function createPolicyLoaders(client: CbrClient) {
  const policy: DataLoader<string, Policy | null> = new DataLoader(async (ids) => {
    if (ids.length === 1) return [await nullIfNotFound(client.getPolicy(ids[0]!))];
    const { policies } = await policyList.load({});
    const byId = new Map(policies.map((p) => [p.id, p]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  /** The policy list per distinct filter, once per request. */
  const policyList: DataLoader<PolicyListQuery, PolicyList, string> = new DataLoader(
    eachKey(async (query) => {
      const list = await client.listPolicies(query);
      for (const p of list.policies) policy.prime(p.id, p);
      return list;
    }),
    { cacheKeyFn: stableKey },
  );

  /** Every policy applied to a vault (at most one per operation type), from the one unfiltered list. */
  const policiesOfVault = new DataLoader<string, Policy[]>(async (vaultIds) => {
    const { policies } = await policyList.load({});
    return vaultIds.map((vaultId) => policies.filter((p) => (p.associated_vaults ?? []).some((a) => a.vault_id === vaultId)));
  });

  return {
    policy,
    policyList,
    policiesOfVault,
    /** Forgets everything read about policies (after a mutation that changes them or their vault bindings). */
    forgetPolicies(): void {
      policy.clearAll();
      policyList.clearAll();
      policiesOfVault.clearAll();
    },
  };
}
