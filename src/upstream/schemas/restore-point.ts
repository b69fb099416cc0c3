/**
 * Wire shapes of restore points, which the API calls checkpoints (API Reference 2021-09-30, 4.3; GO-SDK
 * CheckpointCreate/CheckpointParam): the response model and the create request.
 */
import { z } from 'zod';
import { RequestResourceType, ResourceType } from './backup';

export const CheckpointStatus = z.enum(['available', 'deleting', 'protecting', 'deleted', 'error-deleting', 'error']);
export type CheckpointStatus = z.infer<typeof CheckpointStatus>;

/** Protection status of a vault resource (also ResourceResp.protect_status). */
export const ProtectStatus = z.enum(['available', 'error', 'protecting', 'restoring', 'removing']);
export type ProtectStatus = z.infer<typeof ProtectStatus>;

/** A size or count: the seed and SDK say string (`"40"`), some doc examples show a number. */
const NumberOrString = z.union([z.string(), z.number()]);

/** Table 4-72 CheckpointResourceResp. `extra_info` is the resource's extra info as a JSON *string* (`"{}"`). */
export const CheckpointResource = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  type: z.string(),
  protect_status: z.string().nullish(),
  resource_size: NumberOrString.nullish(),
  backup_size: NumberOrString.nullish(),
  backup_count: NumberOrString.nullish(),
  extra_info: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
});
export type CheckpointResource = z.infer<typeof CheckpointResource>;

/** Table 4-73 CheckpointCreateSkippedResource. */
export const CheckpointSkippedResource = z.looseObject({
  id: z.string(),
  type: z.string().nullish(),
  name: z.string().nullish(),
  code: z.string().nullish(),
  reason: z.string().nullish(),
});
export type CheckpointSkippedResource = z.infer<typeof CheckpointSkippedResource>;

/** Table 4-71 CheckpointPlanCreate. */
export const CheckpointVault = z.looseObject({
  id: z.string(),
  name: z.string(),
  resources: z.array(CheckpointResource).nullish(),
  skipped_resources: z.array(CheckpointSkippedResource).nullish(),
});
export type CheckpointVault = z.infer<typeof CheckpointVault>;

/** Table 4-74 CheckpointExtraInfoResp; `retention_duration` -1 = kept forever. */
export const CheckpointExtraInfo = z.looseObject({
  name: z.string().nullish(),
  description: z.string().nullish(),
  retention_duration: z.number().int().nullish(),
});
export type CheckpointExtraInfo = z.infer<typeof CheckpointExtraInfo>;

/**
 * Table 4-70 CheckpointCreate. `vault` and `extra_info` are nullish: the seed's 5.1 example answers `null` for both
 * on GET (and GOPHER notes the real GET may not echo name/description). `created_at` is nullish too: a restore point
 * still queued for protection may not carry its time yet.
 */
// status is a plain string on read (see Backup in backup.ts): a new value must not fail the parse.
export const Checkpoint = z.looseObject({
  id: z.string(),
  project_id: z.string(),
  status: z.string(),
  created_at: z.string().nullish(),
  vault: CheckpointVault.nullish(),
  extra_info: CheckpointExtraInfo.nullish(),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

/** `POST /checkpoints` and `GET /checkpoints/{id}`. */
export const CheckpointResponse = z.looseObject({ checkpoint: Checkpoint });
export type CheckpointResponse = z.infer<typeof CheckpointResponse>;

// ---- requests ----

/** Table 4-81 ResourceExtraInfo (request side). */
export const ResourceExtraInfoInput = z.strictObject({
  exclude_volumes: z.array(z.string().min(1)).optional(),
});

/** Table 4-80 Resource (request side). */
export const ResourceDetail = z.strictObject({
  id: z.string().min(1),
  name: z.string().max(255).optional(),
  type: RequestResourceType,
  extra_info: ResourceExtraInfoInput.optional(),
});
export type ResourceDetail = z.infer<typeof ResourceDetail>;

/** Table 4-79 CheckpointParam (+ the SDK's `policy_id`, which the policy scheduler sets). */
export const CheckpointParam = z.strictObject({
  auto_trigger: z.boolean().optional(),
  description: z.string().max(255).optional(),
  incremental: z.boolean().optional(),
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'must contain only digits, letters, underscores (_) and hyphens (-)')
    .optional(),
  /** "UUID list of resources to be backed up" */
  resources: z.array(z.guid()).optional(),
  resource_details: z.array(ResourceDetail).max(256).optional(),
  policy_id: z.string().min(1).optional(),
});
export type CheckpointParam = z.infer<typeof CheckpointParam>;

/** Table 4-78 VaultBackup. */
export const VaultBackup = z.strictObject({
  vault_id: z.string().min(1),
  parameters: CheckpointParam.optional(),
});
export type VaultBackup = z.infer<typeof VaultBackup>;

/** `POST /checkpoints` body. */
export const CreateCheckpointRequest = z.strictObject({ checkpoint: VaultBackup });
export type CreateCheckpointRequest = z.infer<typeof CreateCheckpointRequest>;
