/**
 * Vault tag loaders: the tag query (`resource_instances/action`, a POST that only reads) once per distinct body in a
 * request, its vaults priming the by-id vault loader; the project's tag keys once per request.
 */
import DataLoader from 'dataloader';
import type { CbrClient } from '../../upstream/client';
import type { Vault } from '../../upstream/schemas/vault';
import type { ProjectTag, VaultResourceInstances, VaultResourceInstancesRequest } from '../../upstream/schemas/vault-tag';
import { eachKey } from './each-key';
import { stableKey } from './keys';

export function createVaultTagLoaders(client: CbrClient, vault: DataLoader<string, Vault | null>) {
  const vaultsByTags: DataLoader<VaultResourceInstancesRequest, VaultResourceInstances, string> = new DataLoader(
    eachKey(async (body: VaultResourceInstancesRequest) => {
      const answer = await client.queryVaultsByTags(body);
      for (const r of answer.resources ?? []) if (r.resource_detail?.vault) vault.prime(r.resource_id, r.resource_detail.vault);
      return answer;
    }),
    { cacheKeyFn: stableKey },
  );

  let projectTags: Promise<ProjectTag[]> | undefined;

  return {
    vaultsByTags,
    /** Every tag key of the project's vaults, read once per request. */
    vaultTagKeys: (): Promise<ProjectTag[]> => (projectTags ??= client.listProjectVaultTags().then((answer) => answer.tags)),
    /** Forgets what was read about tags (after a tag mutation). */
    forgetVaultTags(): void {
      vaultsByTags.clearAll();
      projectTags = undefined;
    },
  };
}
