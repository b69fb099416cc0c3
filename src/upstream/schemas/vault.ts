/**
 * Wire shapes of the vault resource (seed 003 §4.4, API notes 1.3–1.5): the Vault and Billing models as
 * responses carry them (permissive: unknown keys pass, optional fields may be null), the strict request
 * bodies of create/update/associatepolicy/dissociatepolicy with every rule of the seed's tables, and the
 * list query and envelopes.
 */
import { z } from 'zod';
import { ObjectType, Tag, TagCreateList } from './common';

export { SPEC_CODES } from './common';
import { ResourceCreate, ResourceResp } from './resource';

// ---------------------------------------------------------------------------------------------------
// Enumerations (API notes 1.5). Responses keep these as plain strings so a value the real service adds
// later does not break parsing; requests and the emulator use the enums.

export const VAULT_STATUSES = ['available', 'lock', 'frozen', 'deleting', 'error'] as const;
export const VaultStatus = z.enum(VAULT_STATUSES);
export type VaultStatus = z.infer<typeof VaultStatus>;

export const PROTECT_TYPES = ['backup', 'replication', 'hybrid'] as const;
export const ProtectType = z.enum(PROTECT_TYPES);
export type ProtectType = z.infer<typeof ProtectType>;

export const CLOUD_TYPES = ['public', 'hybrid'] as const;
export const CloudType = z.enum(CLOUD_TYPES);
export type CloudType = z.infer<typeof CloudType>;

export const CONSISTENT_LEVELS = ['crash_consistent', 'app_consistent'] as const;
export const ConsistentLevel = z.enum(CONSISTENT_LEVELS);
export type ConsistentLevel = z.infer<typeof ConsistentLevel>;

// ---------------------------------------------------------------------------------------------------
// Response models

/**
 * Billing (seed Table 4-100). Sizes in GB except `used`, which is in MB.
 * `allocated` is the capacity allocated to the vault's resources (the seed's examples show the sum of
 * the associated resources' sizes). `allocated` and `used` are figures the service derives: a vault still being
 * created (or deleted) may carry them as null or not at all, so they are nullish.
 */
export const Billing = z.looseObject({
  allocated: z.number().nullish(),
  charging_mode: z.string(),
  cloud_type: z.string().nullish(),
  consistent_level: z.string(),
  object_type: z.string().nullish(),
  order_id: z.string().nullish(),
  product_id: z.string().nullish(),
  protect_type: z.string(),
  size: z.number(),
  spec_code: z.string(),
  status: z.string(),
  storage_unit: z.string().nullish(),
  used: z.number().nullish(),
  frozen_scene: z.string().nullish(),
  is_multi_az: z.boolean().nullish(),
});
export type Billing = z.infer<typeof Billing>;

/** A tag filter of automatic association (seed Table 4-105), as responses carry it. */
export const BindRulesTag = z.looseObject({ key: z.string(), value: z.string().nullish() });
export type BindRulesTag = z.infer<typeof BindRulesTag>;

/** Rules for automatic association (seed Table 4-104); the seed's examples return `{}` when unset. */
export const VaultBindRules = z.looseObject({ tags: z.array(BindRulesTag).nullish() });
export type VaultBindRules = z.infer<typeof VaultBindRules>;

/**
 * A vault (seed Table 4-110, plus the create-response fields of Table 4-99 and the Huawei SDK's extra
 * fields, all optional). Required are the fields the Huawei SDK marks required, except two a real answer can lack:
 * `provider_id` (the abridged `PUT /vaults/{id}` answer of the reference has none) and `resources` (a vault being
 * created or deleted may answer null or none; read as an empty list, so every consumer keeps a list).
 */
export const Vault = z.looseObject({
  id: z.string(),
  name: z.string(),
  billing: Billing,
  description: z.string().nullish(),
  project_id: z.string(),
  provider_id: z.string().nullish(),
  resources: z
    .array(ResourceResp)
    .nullish()
    .transform((resources) => resources ?? []),
  tags: z.array(Tag).nullish(),
  enterprise_project_id: z.string().nullish(),
  auto_bind: z.boolean().nullish(),
  bind_rules: VaultBindRules.nullish(),
  user_id: z.string().nullish(),
  created_at: z.string().nullish(),
  auto_expand: z.boolean().nullish(),
  smn_notify: z.boolean().nullish(),
  threshold: z.number().nullish(),
  backup_name_prefix: z.string().nullish(),
  demand_billing: z.boolean().nullish(),
  cbc_delete_count: z.number().nullish(),
  frozen: z.boolean().nullish(),
  locked: z.boolean().nullish(),
  sys_lock_source_service: z.string().nullish(),
  availability_zone: z.string().nullish(),
  updated_at: z.string().nullish(),
  version: z.string().nullish(),
});
export type Vault = z.infer<typeof Vault>;

/** `{"vault": …}`: the body of create, get and update responses. */
export const VaultResponse = z.looseObject({ vault: Vault });
export type VaultResponse = z.infer<typeof VaultResponse>;

/**
 * `GET /vaults` (seed Table 4-128). `count` is the number of vaults matching the filters (not the page size).
 */
export const VaultList = z.looseObject({
  vaults: z.array(Vault),
  count: z.number(),
  limit: z.number().nullish(),
  offset: z.number().nullish(),
});
export type VaultList = z.infer<typeof VaultList>;

/** Result of associatepolicy / dissociatepolicy (seed Table 4-167). */
export const VaultPolicyResp = z.looseObject({
  vault_id: z.string(),
  policy_id: z.string(),
  destination_vault_id: z.string().nullish(),
});
export type VaultPolicyResp = z.infer<typeof VaultPolicyResp>;
export const AssociatePolicyResponse = z.looseObject({ associate_policy: VaultPolicyResp });
export type AssociatePolicyResponse = z.infer<typeof AssociatePolicyResponse>;
export const DissociatePolicyResponse = z.looseObject({ dissociate_policy: VaultPolicyResp });
export type DissociatePolicyResponse = z.infer<typeof DissociatePolicyResponse>;

// ---------------------------------------------------------------------------------------------------
// Requests

/** Key/value characters of bind-rule tags (seed Table 4-97: letters, digits, `_` and `-`; no lengths given). */
const BIND_RULE_CHARS = /^[\p{L}\p{N}_-]*$/u;

export const BindRulesTagCreate = z.strictObject({
  key: z.string().min(1).regex(BIND_RULE_CHARS, 'can contain only letters, digits, underscores (_) and hyphens (-)'),
  value: z.string().regex(BIND_RULE_CHARS, 'can contain only letters, digits, underscores (_) and hyphens (-)'),
});
export type BindRulesTagCreate = z.infer<typeof BindRulesTagCreate>;

/** Seed Table 4-96: "Array Length: 0 - 5". */
export const VaultBindRulesCreate = z.strictObject({ tags: z.array(BindRulesTagCreate).max(5).optional() });
export type VaultBindRulesCreate = z.infer<typeof VaultBindRulesCreate>;

/**
 * BillingCreate (seed Table 4-92). The seed documents one value for several fields ("which is public",
 * "which is post_paid"): other values are rejected. `protect_type` also accepts `replication`
 * (notes 1.5, the create enum of the SDKs) for replication vaults; `hybrid` is not offered on this cloud.
 * Pre-paid fields (`period_type`, `period_num`) are not in the table and are rejected as unknown keys.
 */
export const BillingCreate = z.strictObject({
  cloud_type: z.enum(['public']).optional(),
  consistent_level: ConsistentLevel,
  object_type: ObjectType,
  protect_type: z.enum(['backup', 'replication']),
  size: z.int().min(10).max(10485760),
  charging_mode: z.enum(['post_paid']).optional(),
  is_auto_renew: z.boolean().optional(),
  is_auto_pay: z.boolean().optional(),
  console_url: z.string().min(1).max(255).optional(),
  is_multi_az: z.boolean().optional(),
});
export type BillingCreate = z.infer<typeof BillingCreate>;

/**
 * VaultCreate (seed Table 4-91). `enterprise_project_id` is not in the table but in the seed's own
 * example request and in the SDK model, so it is accepted. `auto_expand`, `smn_notify` and `threshold`
 * are not (OTC removed auto-expansion from create in 2021; terraform-provider-opentelekomcloud#879).
 */
export const VaultCreate = z.strictObject({
  backup_policy_id: z.string().min(1).nullish(),
  billing: BillingCreate,
  description: z.string().max(64).optional(),
  name: z.string().min(1).max(64),
  resources: z.array(ResourceCreate).max(255),
  tags: TagCreateList.optional(),
  auto_bind: z.boolean().optional(),
  bind_rules: VaultBindRulesCreate.optional(),
  backup_name_prefix: z.string().max(32).optional(),
  enterprise_project_id: z.string().min(1).optional(),
});
export type VaultCreate = z.infer<typeof VaultCreate>;
export const VaultCreateRequest = z.strictObject({ vault: VaultCreate });
export type VaultCreateRequest = z.infer<typeof VaultCreateRequest>;

/** BillingUpdate (seed Table 4-140): only the size, 1–10485760 GB. */
export const BillingUpdate = z.strictObject({ size: z.int().min(1).max(10485760).optional() });
export type BillingUpdate = z.infer<typeof BillingUpdate>;

/**
 * VaultUpdate (seed Table 4-139). `locked` (added to the OTC API in 2025) is not in the seed and is
 * rejected as an unknown key.
 */
export const VaultUpdate = z.strictObject({
  billing: BillingUpdate.optional(),
  name: z.string().min(1).max(64).optional(),
  auto_bind: z.boolean().optional(),
  bind_rules: VaultBindRulesCreate.optional(),
  auto_expand: z.boolean().optional(),
  smn_notify: z.boolean().optional(),
  threshold: z.int().min(1).max(100).optional(),
});
export type VaultUpdate = z.infer<typeof VaultUpdate>;
export const VaultUpdateRequest = z.strictObject({ vault: VaultUpdate });
export type VaultUpdateRequest = z.infer<typeof VaultUpdateRequest>;

/**
 * associatepolicy body: unwrapped `{"policy_id"}` (seed Table 4-165). The table marks `policy_id`
 * optional, but nothing can be applied without it, so it is required here (answering 9900).
 * `destination_vault_id` is what the real API takes for replication policies (notes 1.3).
 */
export const AssociatePolicyRequest = z.strictObject({
  policy_id: z.string().min(1),
  destination_vault_id: z.string().min(1).optional(),
});
export type AssociatePolicyRequest = z.infer<typeof AssociatePolicyRequest>;

/** dissociatepolicy body: unwrapped `{"policy_id"}` (seed Table 4-170). */
export const DissociatePolicyRequest = z.strictObject({ policy_id: z.string().min(1) });
export type DissociatePolicyRequest = z.infer<typeof DissociatePolicyRequest>;

/**
 * Query of `GET /vaults` (seed Table 4-126 plus `enterprise_project_id` from the SDK). Values arrive as
 * strings; numbers are coerced. `id` is one vault id; `resource_ids` is a comma-separated list.
 */
export const VaultListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  name: z.string().optional(),
  cloud_type: CloudType.optional(),
  protect_type: ProtectType.optional(),
  object_type: ObjectType.optional(),
  enterprise_project_id: z.string().optional(),
  id: z.string().optional(),
  policy_id: z.string().optional(),
  status: VaultStatus.optional(),
  resource_ids: z.string().optional(),
});
export type VaultListQuery = z.infer<typeof VaultListQuery>;
