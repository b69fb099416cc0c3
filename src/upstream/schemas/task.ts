/**
 * Wire shapes of tasks, which the API calls operation logs (API Reference 2021-09-30, 4.1; GO-SDK OperationLog):
 * the response model with its `extra_info` sub-objects, the list envelope and the list query.
 */
import { z } from 'zod';
import { QueryLimit, QueryOffset, QueryTime, ResourceRef } from './backup';

export const OperationType = z.enum([
  'backup',
  'copy',
  'replication',
  'restore',
  'delete',
  'sync',
  'vault_delete',
  'remove_resource',
]);
export type OperationType = z.infer<typeof OperationType>;

export const TaskStatus = z.enum(['success', 'skipped', 'failed', 'running', 'timeout', 'waiting']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** Table 4-5 OpErrorInfo; empty strings while nothing failed (doc example). */
export const OpErrorInfo = z.looseObject({
  code: z.string().nullish(),
  message: z.string().nullish(),
});
export type OpErrorInfo = z.infer<typeof OpErrorInfo>;

/** Table 4-7 OpExtendInfoBckup (sic); `incremental` is the *string* "true"/"false". */
export const OpExtendInfoBackup = z.looseObject({
  backup_id: z.string(),
  backup_name: z.string().nullish(),
  incremental: z.enum(['true', 'false']).nullish(),
  app_consistency_error_code: z.string().nullish(),
  app_consistency_error_message: z.string().nullish(),
  app_consistency_status: z.string().nullish(),
});
export type OpExtendInfoBackup = z.infer<typeof OpExtendInfoBackup>;

/** Table 4-8 OpExtendInfoCommon. */
export const OpExtendInfoCommon = z.looseObject({
  progress: z.number().int().min(0).max(100),
  request_id: z.string().nullish(),
  task_id: z.string().nullish(),
});
export type OpExtendInfoCommon = z.infer<typeof OpExtendInfoCommon>;

/** Table 4-9 OpExtendInfoDelete. */
export const OpExtendInfoDelete = z.looseObject({
  backup_id: z.string().nullish(),
  backup_name: z.string().nullish(),
});

/** Table 4-10 OpExtendInfoSync. */
export const OpExtendInfoSync = z.looseObject({
  sync_backup_num: z.number().int().nullish(),
  delete_backup_num: z.number().int().nullish(),
  err_sync_backup_num: z.number().int().nullish(),
});

/** Table 4-11 OpExtendInfoRemoveResources. */
export const OpExtendInfoRemoveResources = z.looseObject({
  fail_count: z.number().int().nullish(),
  total_count: z.number().int().nullish(),
  resources: z.array(ResourceRef).nullish(),
});

/** Table 4-14 OpExtendInfoRestore. */
export const OpExtendInfoRestore = z.looseObject({
  backup_id: z.string().nullish(),
  backup_name: z.string().nullish(),
  target_resource_id: z.string().nullish(),
  target_resource_name: z.string().nullish(),
});

/** Table 4-15 OpExtendInfoVaultDelete. */
export const OpExtendInfoVaultDelete = z.looseObject({
  fail_count: z.number().int().nullish(),
  total_count: z.number().int().nullish(),
});

/** GO-SDK OpExtendInfoReplication (not in the 2021 seed; the emulator's replication tasks carry it). */
export const OpExtendInfoReplication = z.looseObject({
  destination_backup_id: z.string().nullish(),
  destination_checkpoint_id: z.string().nullish(),
  destination_project_id: z.string().nullish(),
  destination_region: z.string().nullish(),
  source_backup_id: z.string().nullish(),
  source_checkpoint_id: z.string().nullish(),
  source_project_id: z.string().nullish(),
  source_region: z.string().nullish(),
  source_backup_name: z.string().nullish(),
  destination_backup_name: z.string().nullish(),
});

/**
 * Table 4-6 OpExtraInfo. `common` is always there (progress); the others depend on `operation_type`
 * (`resource` names the resource a backup/restore/delete is about).
 */
export const OpExtraInfo = z.looseObject({
  backup: OpExtendInfoBackup.nullish(),
  common: OpExtendInfoCommon,
  delete: OpExtendInfoDelete.nullish(),
  sync: OpExtendInfoSync.nullish(),
  remove_resources: OpExtendInfoRemoveResources.nullish(),
  replication: OpExtendInfoReplication.nullish(),
  resource: ResourceRef.nullish(),
  restore: OpExtendInfoRestore.nullish(),
  vault_delete: OpExtendInfoVaultDelete.nullish(),
});
export type OpExtraInfo = z.infer<typeof OpExtraInfo>;

/**
 * Table 4-4 OperationLog. Times look like `2020-02-23T01:00:32Z` (the doc example shows zone-less microseconds, the
 * table is authoritative). The doc example answers `null` for `vault_id`, `vault_name`, `policy_id`.
 */
// operation_type/status are plain strings on read (see Backup in backup.ts): new values must not fail a whole list.
export const OperationLog = z.looseObject({
  id: z.string(),
  project_id: z.string(),
  operation_type: z.string(),
  status: z.string(),
  created_at: z.string(),
  // A queued task (`waiting`) has not started: no `started_at`, possibly no `updated_at` or `error_info` yet.
  started_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  ended_at: z.string().nullish(),
  error_info: OpErrorInfo.nullish(),
  extra_info: OpExtraInfo.nullish(),
  checkpoint_id: z.string().nullish(),
  policy_id: z.string().nullish(),
  provider_id: z.string().nullish(),
  vault_id: z.string().nullish(),
  vault_name: z.string().nullish(),
});
export type OperationLog = z.infer<typeof OperationLog>;

/** `GET /operation-logs/{id}` */
export const TaskResponse = z.looseObject({ operation_log: OperationLog });
export type TaskResponse = z.infer<typeof TaskResponse>;

/** `GET /operation-logs` (Table 4-20); `limit`/`offset` optional on read so a terse answer still parses. */
export const TaskList = z.looseObject({
  operation_logs: z.array(OperationLog),
  count: z.number().int(),
  limit: z.number().int().nullish(),
  offset: z.number().int().nullish(),
});
export type TaskList = z.infer<typeof TaskList>;

/** `GET /operation-logs` query (Table 4-18, plus the SDK's `enterprise_project_id`); unknown parameters are ignored. */
export const TaskListQuery = z.object({
  end_time: QueryTime.optional(),
  enterprise_project_id: z.string().optional(),
  limit: QueryLimit.optional(),
  offset: QueryOffset.optional(),
  operation_type: OperationType.optional(),
  provider_id: z.string().optional(),
  resource_id: z.string().optional(),
  resource_name: z.string().optional(),
  start_time: QueryTime.optional(),
  status: TaskStatus.optional(),
  vault_id: z.string().optional(),
  vault_name: z.string().optional(),
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;
