/** GraphQL inputs of vault mutations → validated wire bodies (`{"vault": …}`) of create and update; the vault filter. */
import { z } from 'zod';
import { VaultCreateRequest, VaultUpdateRequest, type VaultListQuery } from '../../upstream/schemas/vault';
import type { CreateVaultInput, UpdateVaultInput, VaultFilter } from '../__generated__/resolvers-types';
import { chargingMode, cloudType, consistentLevel, objectType, protectionType, vaultStatus } from '../enums';
import { FilterIds, FilterText, Id, TagInput, UniqueKeyTags } from './common';
import { resourceCreate, resourceListRules, VaultResourceRules } from './resource';
import { compact, validateInput, validateWire, type PathRules } from './validate';

/**
 * Automatic-association tags: TagInputs whose keys may repeat (a resource carrying any of them is associated); the
 * seed's BindRulesTags table states no uniqueness, unlike the vault's own tags ("Keys in this list must be unique").
 */
const AutoBindTags = z.array(TagInput);

const CREATE_RULES: PathRules = [
  ['vault', 'input'],
  ['vault.billing.size', 'input.billing.sizeGb'],
  ['vault.backup_policy_id', 'input.policyId'],
  ['vault.bind_rules', 'input.autoBindTags'],
  ['vault.bind_rules.tags', 'input.autoBindTags'],
  ...resourceListRules('vault.resources', 'input.resources'),
];

const CreateRules = z.object({
  policyId: Id.nullish(),
  resources: z.array(VaultResourceRules).nullish(),
  tags: UniqueKeyTags.nullish(),
  autoBindTags: AutoBindTags.nullish(),
});

export function createVaultBody(input: CreateVaultInput): VaultCreateRequest {
  // The tags as checked: trimmed.
  const { tags, autoBindTags } = validateInput(CreateRules, input, 'input');
  const b = input.billing;
  const vault = compact({
    name: input.name,
    description: input.description,
    billing: compact({
      object_type: objectType.write(b.objectType, 'input.billing.objectType'),
      size: b.sizeGb,
      protect_type: protectionType.write(b.protectType ?? 'BACKUP', 'input.billing.protectType'),
      consistent_level: consistentLevel.write(b.consistentLevel ?? 'CRASH_CONSISTENT', 'input.billing.consistentLevel'),
      cloud_type: b.cloudType ? cloudType.write(b.cloudType, 'input.billing.cloudType') : undefined,
      charging_mode: b.chargingMode ? chargingMode.write(b.chargingMode, 'input.billing.chargingMode') : undefined,
      is_multi_az: b.isMultiAz,
      is_auto_renew: b.isAutoRenew,
      is_auto_pay: b.isAutoPay,
      console_url: b.consoleUrl,
    }),
    resources: (input.resources ?? []).map((r, i) => resourceCreate(r, `input.resources[${i}]`)),
    backup_policy_id: input.policyId,
    tags,
    auto_bind: input.autoBind,
    bind_rules: autoBindTags ? { tags: autoBindTags } : undefined,
    backup_name_prefix: input.backupNamePrefix,
    enterprise_project_id: input.enterpriseProjectId,
  });
  return validateWire(VaultCreateRequest, { vault }, CREATE_RULES);
}

const UPDATE_RULES: PathRules = [
  ['vault', 'input'],
  ['vault.billing', 'input.sizeGb'],
  ['vault.billing.size', 'input.sizeGb'],
  ['vault.threshold', 'input.thresholdPercent'],
  ['vault.bind_rules', 'input.autoBindTags'],
  ['vault.bind_rules.tags', 'input.autoBindTags'],
];

const UpdateRules = z.object({ id: Id, autoBindTags: AutoBindTags.nullish() });

export function updateVaultBody(input: UpdateVaultInput): VaultUpdateRequest {
  const { autoBindTags } = validateInput(UpdateRules, input, 'input');
  const vault = compact({
    name: input.name,
    billing: input.sizeGb === undefined || input.sizeGb === null ? undefined : { size: input.sizeGb },
    auto_bind: input.autoBind,
    bind_rules: autoBindTags ? { tags: autoBindTags } : undefined,
    auto_expand: input.autoExpand,
    smn_notify: input.smnNotify,
    threshold: input.thresholdPercent,
  });
  return validateWire(VaultUpdateRequest, { vault }, UPDATE_RULES);
}

const FilterRules = z.object({ id: Id.nullish(), name: FilterText.nullish(), policyId: Id.nullish(), resourceIds: FilterIds.nullish() });

/** The filter as the vault list's query parameters (`resource_ids` comma-separated, as the API takes it). */
export function vaultListQuery(filter: VaultFilter | null | undefined): VaultListQuery {
  if (!filter) return {};
  validateInput(FilterRules, filter, 'filter');
  return {
    id: filter.id ?? undefined,
    name: filter.name ?? undefined,
    object_type: filter.objectType ? objectType.write(filter.objectType, 'filter.objectType') : undefined,
    protect_type: filter.protectType ? protectionType.write(filter.protectType, 'filter.protectType') : undefined,
    cloud_type: filter.cloudType ? cloudType.write(filter.cloudType, 'filter.cloudType') : undefined,
    status: filter.status ? vaultStatus.write(filter.status, 'filter.status') : undefined,
    policy_id: filter.policyId ?? undefined,
    resource_ids: filter.resourceIds?.join(','),
  };
}
