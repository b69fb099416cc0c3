/**
 * Vault loaders. By id: one key → `GET /vaults/{id}`, several → ONE `GET /vaults?id=a,b` (the list's `id` filter
 * takes a comma-separated list). By protected resource id: ONE `GET /vaults?resource_ids=a,b`. Every list result
 * primes the by-id loader, so a vault read once is never read again in the same request.
 */
import DataLoader from 'dataloader';
import type { CbrClient } from '../../upstream/client';
import type { Vault, VaultList, VaultListQuery } from '../../upstream/schemas/vault';
import { nullIfNotFound } from '../errors';
import { stableKey } from './keys';

/** Ids per list call: keeps the URL far below proxies' limits (~40 characters per id). */
const MAX_IDS_PER_CALL = 100;

export function createVaultLoaders(client: CbrClient) {
  const vault: DataLoader<string, Vault | null> = new DataLoader(
    async (ids) => {
      if (ids.length === 1) return [await nullIfNotFound(client.getVault(ids[0]!))];
      const page = await client.listVaults({ id: ids.join(','), limit: ids.length });
      const byId = new Map(page.vaults.map((v) => [v.id, v]));
      // A missing id is a vault that does not exist (or that the caller cannot see): null, like a 404.
      return ids.map((id) => byId.get(id) ?? null);
    },
    { maxBatchSize: MAX_IDS_PER_CALL },
  );

  const prime = (vaults: readonly Vault[]) => {
    for (const v of vaults) vault.prime(v.id, v);
  };

  /** One page of the vault list per distinct query: identical list fields of one request share the call. */
  const vaultList = new DataLoader<VaultListQuery, VaultList, string>(
    async (queries) =>
      Promise.all(
        queries.map(async (query) => {
          const page = await client.listVaults(query);
          prime(page.vaults);
          return page;
        }),
      ),
    { cacheKeyFn: stableKey },
  );

  /** The vault protecting a resource (a resource is in at most one vault), or null. */
  const vaultByResourceId = new DataLoader<string, Vault | null>(
    async (resourceIds) => {
      const page = await client.listVaults({ resource_ids: resourceIds.join(','), limit: 1000 });
      prime(page.vaults);
      return resourceIds.map((id) => page.vaults.find((v) => v.resources.some((r) => r.id === id)) ?? null);
    },
    { maxBatchSize: MAX_IDS_PER_CALL },
  );

  return {
    vault,
    vaultList,
    vaultByResourceId,
    /** Forgets everything read about vaults: after a mutation, reads see the new state. */
    forgetVaults(): void {
      vault.clearAll();
      vaultList.clearAll();
      vaultByResourceId.clearAll();
    },
  };
}
