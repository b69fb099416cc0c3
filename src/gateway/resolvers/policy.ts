/** Policies: queries, mutations (including applying a policy to a vault) and the Policy ↔ Vault edges. */
import type { Vault } from '../../upstream/schemas/vault';
import type { Resolvers } from '../__generated__/resolvers-types';
import { policyTriggerType, protectionType } from '../enums';
import { requireId } from '../inputs/common';
import { associatePolicyBody, createPolicyBody, dissociatePolicyBody, policyListQuery, updatePolicyBody } from '../inputs/policy';
import { pageWindow, sliceConnection } from '../pagination';
import { findCreatedPolicies, reconciledCreate } from '../write-outcome';

export const policyResolvers: Resolvers = {
  Query: {
    policy: (_, { id }, { loaders }) => loaders.policy.load(requireId(id, 'id')),
    policies: async (_, { filter, first, after }, { loaders }) => {
      const window = pageWindow({ first, after });
      const list = await loaders.policyList.load(policyListQuery(filter));
      return sliceConnection(list.policies, window);
    },
  },

  Mutation: {
    createPolicy: async (_, { input }, { client, loaders }) => {
      const body = createPolicyBody(input);
      const { created: policy, reconciled } = await reconciledCreate(
        () => client.createPolicy(body),
        () => findCreatedPolicies(client, body),
      );
      loaders.forgetPolicies();
      loaders.policy.prime(policy.id, policy);
      return { policy, reconciled };
    },
    updatePolicy: async (_, { input }, { client, loaders }) => {
      const policy = await client.updatePolicy(input.id, updatePolicyBody(input));
      loaders.forgetPolicies();
      loaders.policy.prime(policy.id, policy);
      return { policy };
    },
    deletePolicy: async (_, { input }, { client, loaders }) => {
      await client.deletePolicy(requireId(input.id, 'input.id'));
      loaders.forgetPolicies();
      loaders.forgetVaults();
      return { deletedPolicyId: input.id };
    },
    associateVaultPolicy: async (_, { input }, { client, loaders }) => {
      const result = await client.associateVaultPolicy(input.vaultId, associatePolicyBody(input));
      // Bindings live in the policies (associated_vaults) and filter the vault list (policy_id): both change.
      loaders.forgetPolicies();
      loaders.forgetVaults();
      return result;
    },
    dissociateVaultPolicy: async (_, { input }, { client, loaders }) => {
      const result = await client.dissociateVaultPolicy(input.vaultId, dissociatePolicyBody(input));
      loaders.forgetPolicies();
      loaders.forgetVaults();
      return result;
    },
  },

  Policy: {
    operationType: (p) => protectionType.read(p.operation_type),
    operationDefinition: (p) => p.operation_definition,
    trigger: (p) => p.trigger,
    associatedVaults: (p) => p.associated_vaults ?? [],
    vaults: async (p, _, { loaders }) => {
      const loaded = await loaders.vault.loadMany((p.associated_vaults ?? []).map((a) => a.vault_id));
      const failure = loaded.find((v) => v instanceof Error);
      if (failure) throw failure;
      return loaded.filter((v): v is Vault => v !== null && !(v instanceof Error));
    },
  },

  PolicyOperationDefinition: {
    maxBackups: (od) => od.max_backups ?? null,
    retentionDurationDays: (od) => od.retention_duration_days ?? null,
    dayBackups: (od) => od.day_backups ?? null,
    weekBackups: (od) => od.week_backups ?? null,
    monthBackups: (od) => od.month_backups ?? null,
    yearBackups: (od) => od.year_backups ?? null,
    timezone: (od) => od.timezone ?? null,
    fullBackupInterval: (od) => od.full_backup_interval ?? null,
    destinationProjectId: (od) => od.destination_project_id ?? null,
    destinationRegion: (od) => od.destination_region ?? null,
  },

  PolicyTrigger: {
    name: (t) => t.name ?? null,
    type: (t) => policyTriggerType.readNullable(t.type) ?? 'UNKNOWN',
    pattern: (t) => t.properties.pattern,
    startTime: (t) => t.properties.start_time ?? null,
  },

  PolicyVaultAssociation: {
    vaultId: (a) => a.vault_id,
    destinationVaultId: (a) => a.destination_vault_id ?? null,
    vault: (a, _, { loaders }) => loaders.vault.load(a.vault_id),
  },

  VaultPolicyPayload: {
    vaultId: (r) => r.vault_id,
    policyId: (r) => r.policy_id,
    destinationVaultId: (r) => r.destination_vault_id ?? null,
    vault: (r, _, { loaders }) => loaders.vault.load(r.vault_id),
    policy: (r, _, { loaders }) => loaders.policy.load(r.policy_id),
  },
};
