/** Protected resources: the entries of `vault.resources`, the lookup by resource id, and the association mutations. */
import type { Resolvers } from '../__generated__/resolvers-types';
import { resourceProtectStatus, resourceType } from '../enums';
import { requireId } from '../inputs/common';
import { addResourcesBody, migrateResourcesBody, removeResourcesBody } from '../inputs/resource';

export const resourceResolvers: Resolvers = {
  Query: {
    protectedResource: async (_, { id }, { loaders }) => {
      const vault = await loaders.vaultByResourceId.load(requireId(id, 'id'));
      const resource = vault?.resources.find((r) => r.id === id);
      return vault && resource ? { resource, vault } : null;
    },
  },

  Mutation: {
    addVaultResources: async (_, { input }, { client, loaders }) => {
      const result = await client.addVaultResources(input.vaultId, addResourcesBody(input));
      loaders.forgetVaults();
      return { vaultId: input.vaultId, addedResourceIds: result.add_resource_ids };
    },
    removeVaultResources: async (_, { input }, { client, loaders }) => {
      const result = await client.removeVaultResources(input.vaultId, removeResourcesBody(input));
      loaders.forgetVaults();
      loaders.forgetTasks();
      return { vaultId: input.vaultId, removedResourceIds: result.remove_resource_ids };
    },
    migrateVaultResources: async (_, { input }, { client, loaders }) => {
      const result = await client.migrateVaultResources(input.vaultId, migrateResourcesBody(input));
      loaders.forgetVaults();
      return {
        sourceVaultId: input.vaultId,
        destinationVaultId: input.destinationVaultId,
        migratedResourceIds: result.migrated_resources,
      };
    },
  },

  ProtectedResource: {
    id: (p) => p.resource.id,
    name: (p) => p.resource.name ?? null,
    type: (p) => resourceType.read(p.resource.type),
    protectStatus: (p) => resourceProtectStatus.readNullable(p.resource.protect_status),
    sizeGb: (p) => p.resource.size ?? null,
    backupSizeGb: (p) => p.resource.backup_size ?? null,
    backupCount: (p) => p.resource.backup_count ?? null,
    excludedVolumeIds: (p) => p.resource.extra_info?.exclude_volumes ?? [],
    // The vault the resource was listed in: no upstream call.
    vault: (p) => p.vault,
  },

  // Re-reads go through the loader: the source and destination of a migration share one read of the vault list.
  AddVaultResourcesPayload: {
    vault: (p, _, { loaders }) => loaders.vault.load(p.vaultId),
  },
  RemoveVaultResourcesPayload: {
    vault: (p, _, { loaders }) => loaders.vault.load(p.vaultId),
    // removeresources answers only ids: the task is the vault's newest remove_resource operation log.
    task: (p, _, { loaders }) => loaders.newestTask({ vault_id: p.vaultId, operation_type: 'remove_resource' }),
  },
  MigrateVaultResourcesPayload: {
    sourceVault: (p, _, { loaders }) => loaders.vault.load(p.sourceVaultId),
    destinationVault: (p, _, { loaders }) => loaders.vault.load(p.destinationVaultId),
  },
};
