/** Vault queries, mutations and fields: snake_case wire vaults → the Vault type, and Vault.policy via the policy list. */
import type { Resolvers } from '../__generated__/resolvers-types';
import { chargingMode, cloudType, consistentLevel, objectType, protectionType, vaultStatus } from '../enums';
import { requireId } from '../inputs/common';
import { createVaultBody, updateVaultBody, vaultListQuery } from '../inputs/vault';
import { hasTagCondition } from '../inputs/vault-tag';
import { pageWindow, toConnection } from '../pagination';
import { prefetch, selectsAny } from '../selection';
import { findCreatedVaults, reconciledCreate } from '../write-outcome';
import { vaultsByTags } from './vault-tag';

/** Vault fields answered from the policy list (a vault names no policy; the list's associated_vaults do). */
const POLICY_FIELDS = [['policy'], ['replicationPolicy']] as const;
const POLICY_FIELDS_OF_NODES = POLICY_FIELDS.flatMap((field) => [['nodes', ...field], ['edges', 'node', ...field]]);

export const vaultResolvers: Resolvers = {
  Query: {
    vault: (_, { id: given }, { loaders }, info) => {
      const id = requireId(given, 'id');
      const vault = loaders.vault.load(id);
      // The policy list needs only the vault id, which the argument gives: sent with the vault GET, not after it.
      if (selectsAny(info, POLICY_FIELDS)) prefetch(loaders.policiesOfVault.load(id));
      return vault;
    },
    vaults: async (_, { filter, first, after }, context, info) => {
      const { loaders } = context;
      const window = pageWindow({ first, after });
      // Tag conditions are answered by the tag query (vault-tag.ts), not by the vault list.
      if (hasTagCondition(filter)) return vaultsByTags(context, filter, window);
      // offset=0 is the API's default: left out, so the first page's URL is the plain one.
      const query = { limit: window.limit, offset: window.offset || undefined, ...vaultListQuery(filter) };
      const page = loaders.vaultList.load(query);
      // The one unfiltered policy list answers every vault's policy, whichever vaults the page holds: sent with it.
      if (selectsAny(info, POLICY_FIELDS_OF_NODES)) prefetch(loaders.policyList.load({}));
      const { vaults, count } = await page;
      return toConnection(vaults, window.offset, count);
    },
  },

  Mutation: {
    createVault: async (_, { input }, { client, loaders }) => {
      const body = createVaultBody(input);
      const { created: vault, reconciled } = await reconciledCreate(
        () => client.createVault(body),
        (sentAt) => findCreatedVaults(client, body, sentAt),
      );
      // A policy given at creation changes the policy list's associated_vaults too.
      loaders.forgetVaults();
      loaders.forgetPolicies();
      loaders.vault.prime(vault.id, vault);
      return { vault, reconciled };
    },
    updateVault: async (_, { input }, { client, loaders }) => {
      const vault = await client.updateVault(input.id, updateVaultBody(input));
      loaders.forgetVaults();
      loaders.vault.prime(vault.id, vault);
      return { vault };
    },
    deleteVault: async (_, { input }, { client, loaders }) => {
      await client.deleteVault(requireId(input.id, 'input.id'));
      loaders.forgetVaults();
      loaders.forgetPolicies();
      loaders.forgetTasks();
      return { deletedVaultId: input.id };
    },
  },

  Vault: {
    description: (v) => v.description ?? null,
    projectId: (v) => v.project_id,
    providerId: (v) => v.provider_id ?? null,
    enterpriseProjectId: (v) => v.enterprise_project_id ?? null,
    userId: (v) => v.user_id ?? null,
    createdAt: (v) => v.created_at ?? null,
    resources: (v) => v.resources.map((resource) => ({ resource, vault: v })),
    tags: (v) => v.tags ?? [],
    autoBind: (v) => v.auto_bind ?? false,
    autoBindTags: (v) => v.bind_rules?.tags ?? [],
    autoExpand: (v) => v.auto_expand ?? null,
    smnNotify: (v) => v.smn_notify ?? null,
    thresholdPercent: (v) => v.threshold ?? null,
    policy: async (v, _, { loaders }) =>
      (await loaders.policiesOfVault.load(v.id)).find((p) => p.operation_type === 'backup') ?? null,
    replicationPolicy: async (v, _, { loaders }) =>
      (await loaders.policiesOfVault.load(v.id)).find((p) => p.operation_type === 'replication') ?? null,
    backupNamePrefix: (v) => v.backup_name_prefix ?? null,
    demandBilling: (v) => v.demand_billing ?? null,
    cbcDeleteCount: (v) => v.cbc_delete_count ?? null,
    frozen: (v) => v.frozen ?? null,
    locked: (v) => v.locked ?? null,
    availabilityZone: (v) => v.availability_zone ?? null,
    updatedAt: (v) => v.updated_at ?? null,
    version: (v) => v.version ?? null,
  },

  DeleteVaultPayload: {
    // The DELETE answers 204 without a body: the task is the vault's newest vault_delete operation log.
    task: (p, _, { loaders }) => loaders.newestTask({ vault_id: p.deletedVaultId, operation_type: 'vault_delete' }),
  },

  VaultBilling: {
    sizeGb: (b) => b.size,
    allocatedGb: (b) => b.allocated ?? null,
    usedMb: (b) => b.used ?? null,
    objectType: (b) => objectType.readNullable(b.object_type) ?? 'UNKNOWN',
    protectType: (b) => protectionType.read(b.protect_type),
    consistentLevel: (b) => consistentLevel.read(b.consistent_level),
    chargingMode: (b) => chargingMode.read(b.charging_mode),
    cloudType: (b) => cloudType.readNullable(b.cloud_type),
    specCode: (b) => b.spec_code,
    status: (b) => vaultStatus.read(b.status),
    orderId: (b) => b.order_id ?? null,
    productId: (b) => b.product_id ?? null,
    storageUnit: (b) => b.storage_unit ?? null,
    frozenScene: (b) => b.frozen_scene ?? null,
    isMultiAz: (b) => b.is_multi_az ?? null,
  },
};
