/**
 * Vault loaders. By id: one key → `GET /vaults/{id}`; several → the whole vault list, `GET /vaults?limit=1000` (one
 * call up to 1000 vaults, then one per further 1000, in parallel), picked by id. The list's `id` filter takes ONE
 * vault id (seed Table 4-126 "Vault ID"; every SDK sends one string, while `resource_ids` is documented as
 * comma-separated), so it cannot batch. By protected resource id: ONE `GET /vaults?resource_ids=a,b`. Every list
 * result primes the by-id loader, so a vault read once is never read again in the same request.
 */
import DataLoader from 'dataloader';
import type { CbrClient } from '../../upstream/client';
import type { Vault, VaultList, VaultListQuery } from '../../upstream/schemas/vault';
import { nullIfNotFound } from '../errors';
import { eachKey } from './each-key';
import { stableKey } from './keys';

/** Resource ids per `resource_ids` call: keeps the URL far below proxies' limits (~40 characters per id). */
const MAX_IDS_PER_CALL = 100;
/** The list's largest page (seed Table 4-126: `limit` at most 1000). */
const MAX_PAGE = 1000;

export function createVaultLoaders(client: CbrClient) {
  const vault: DataLoader<string, Vault | null> = new DataLoader(async (ids) => {
    if (ids.length === 1) return [await nullIfNotFound(client.getVault(ids[0]!))];
    const byId = new Map((await allVaults()).map((v) => [v.id, v]));
    // A missing id is a vault that does not exist (or that the caller cannot see): null, like a 404.
    return ids.map((id) => byId.get(id) ?? null);
  });

  const prime = (vaults: readonly Vault[]) => {
    for (const v of vaults) vault.prime(v.id, v);
  };

  /** Every vault of the project, once an unfiltered page held them all (the backup plan counts their backups). */
  let projectVaults: readonly Vault[] | undefined;

  /** One page of the vault list per distinct query: identical list fields of one request share the call. */
  const vaultList = new DataLoader<VaultListQuery, VaultList, string>(
    eachKey(async (query) => {
      const page = await client.listVaults(query);
      prime(page.vaults);
      if (isWholeList(query, page)) projectVaults = page.vaults;
      return page;
    }),
    { cacheKeyFn: stableKey },
  );

  /** Every vault of the project: the first page tells how many more pages to ask for, all at once. */
  async function allVaults(): Promise<Vault[]> {
    const first = await vaultList.load({ limit: MAX_PAGE });
    const offsets = [];
    for (let offset = MAX_PAGE; offset < first.count; offset += MAX_PAGE) offsets.push(offset);
    const rest = await Promise.all(offsets.map((offset) => vaultList.load({ limit: MAX_PAGE, offset })));
    return [first, ...rest].flatMap((page) => page.vaults);
  }

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
    /** The project's vaults when this request read an unfiltered list holding them all, else undefined. */
    projectVaults: () => projectVaults,
    /** Forgets everything read about vaults: after a mutation, reads see the new state. */
    forgetVaults(): void {
      vault.clearAll();
      vaultList.clearAll();
      vaultByResourceId.clearAll();
      projectVaults = undefined;
    },
  };
}

/** A first page of the list without filters that holds every vault it counts. */
function isWholeList(query: VaultListQuery, page: VaultList): boolean {
  for (const [name, value] of Object.entries(query)) if (value !== undefined && name !== 'limit') return false;
  return page.count <= page.vaults.length;
}
