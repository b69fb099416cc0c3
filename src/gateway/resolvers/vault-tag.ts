/**
 * Vault tags: tagVault/untagVault (one `tags/action` call each), the project's tag keys, and the page of vaults that a
 * tag filter of `vaults` asks for (answered by the tag query, not the vault list).
 */
import type { Resolvers, VaultFilter } from '../__generated__/resolvers-types';
import type { GraphQLContext } from '../context';
import { requireId } from '../inputs/common';
import { tagVaultBody, untagVaultBody, vaultTagQuery } from '../inputs/vault-tag';
import { toConnection, type PageWindow } from '../pagination';

/** One page of the vaults meeting a filter with tag conditions: one tag query call, its vaults primed for lookups. */
export async function vaultsByTags({ loaders }: GraphQLContext, filter: VaultFilter, window: PageWindow) {
  const answer = await loaders.vaultsByTags.load(vaultTagQuery(filter, window));
  // An entry without its vault is read by id (null if gone meanwhile) rather than failing the page.
  const vaults = await Promise.all((answer.resources ?? []).map((r) => r.resource_detail?.vault ?? loaders.vault.load(r.resource_id)));
  return toConnection(vaults.filter((v) => v !== null), window.offset, answer.total_count);
}

export const vaultTagResolvers: Resolvers = {
  Query: {
    vaultTagKeys: (_, __, { loaders }) => loaders.vaultTagKeys(),
  },

  Mutation: {
    tagVault: async (_, { input }, { client, loaders }) => {
      const body = tagVaultBody(input);
      await client.vaultTagAction(input.vaultId, body);
      loaders.forgetVaults();
      loaders.forgetVaultTags();
      return { vaultId: input.vaultId };
    },
    untagVault: async (_, { input }, { client, loaders }) => {
      const body = untagVaultBody(input);
      await client.vaultTagAction(requireId(input.vaultId, 'input.vaultId'), body);
      loaders.forgetVaults();
      loaders.forgetVaultTags();
      return { vaultId: input.vaultId };
    },
  },

  VaultTagsPayload: {
    vault: (p, _, { loaders }) => loaders.vault.load(p.vaultId),
  },

  VaultTagKey: {
    values: (t) => t.values ?? [],
  },
};
