/**
 * Tasks (API: operation logs): the `task`/`tasks` queries, the Task type with progress, error and the typed parts of
 * `extra_info`, the tasks of a vault, and the task's vault and policy.
 */
import type { TaskListQuery } from '../../upstream/schemas/task';
import type { Resolvers, TaskFilter } from '../__generated__/resolvers-types';
import type { GraphQLContext } from '../context';
import { resourceType, taskOperationType, taskStatus } from '../enums';
import { requireId } from '../inputs/common';
import { taskListQuery } from '../inputs/task';
import { pageWindow, toConnection } from '../pagination';

interface TaskListArgs {
  filter?: TaskFilter | null;
  first?: number | null;
  after?: string | null;
}

async function taskConnection({ loaders }: GraphQLContext, args: TaskListArgs, fixed?: TaskListQuery) {
  const window = pageWindow(args);
  const page = await loaders.taskList.load(taskListQuery(args.filter, window, fixed));
  return toConnection(page.operation_logs, window.offset, page.count);
}

export const taskResolvers: Resolvers = {
  Query: {
    task: (_, { id }, { loaders }) => loaders.task.load(requireId(id, 'id')),
    tasks: (_, args, context) => taskConnection(context, args),
  },

  Task: {
    projectId: (t) => t.project_id,
    operationType: (t) => taskOperationType.read(t.operation_type),
    status: (t) => taskStatus.read(t.status),
    progressPercent: (t) => t.extra_info?.common.progress ?? null,
    requestId: (t) => t.extra_info?.common.request_id ?? null,
    internalTaskId: (t) => t.extra_info?.common.task_id ?? null,
    // The service answers `{"code": "", "message": ""}` while nothing failed.
    error: (t) => (t.error_info?.code || t.error_info?.message ? t.error_info : null),
    providerId: (t) => t.provider_id ?? null,
    vaultId: (t) => t.vault_id ?? null,
    vaultName: (t) => t.vault_name ?? null,
    policyId: (t) => t.policy_id ?? null,
    restorePointId: (t) => t.checkpoint_id ?? null,
    resource: (t) => t.extra_info?.resource ?? null,
    backupDetails: (t) => t.extra_info?.backup ?? null,
    restoreDetails: (t) => t.extra_info?.restore ?? null,
    deleteDetails: (t) => t.extra_info?.delete ?? null,
    syncDetails: (t) => t.extra_info?.sync ?? null,
    removeResourcesDetails: (t) => t.extra_info?.remove_resources ?? null,
    vaultDeleteDetails: (t) => t.extra_info?.vault_delete ?? null,
    replicationDetails: (t) => t.extra_info?.replication ?? null,
    createdAt: (t) => t.created_at,
    startedAt: (t) => t.started_at ?? null,
    endedAt: (t) => t.ended_at ?? null,
    updatedAt: (t) => t.updated_at ?? null,
    vault: (t, _, { loaders }) => (t.vault_id ? loaders.vault.load(t.vault_id) : null),
    policy: (t, _, { loaders }) => (t.policy_id ? loaders.policy.load(t.policy_id) : null),
  },

  TaskError: {
    code: (e) => e.code ?? '',
    message: (e) => e.message ?? '',
  },

  TaskResource: {
    excludedVolumeIds: (r) => r.extra_info?.exclude_volumes ?? [],
    name: (r) => r.name ?? null,
    type: (r) => resourceType.read(r.type),
  },

  TaskBackupDetails: {
    backupId: (d) => d.backup_id,
    backupName: (d) => d.backup_name ?? null,
    // A string on the wire ("true"/"false").
    incremental: (d) => (d.incremental === 'true' ? true : d.incremental === 'false' ? false : null),
    appConsistencyStatus: (d) => d.app_consistency_status ?? null,
    appConsistencyErrorCode: (d) => d.app_consistency_error_code ?? null,
    appConsistencyErrorMessage: (d) => d.app_consistency_error_message ?? null,
  },

  TaskRestoreDetails: {
    backupId: (d) => d.backup_id ?? null,
    backupName: (d) => d.backup_name ?? null,
    targetResourceId: (d) => d.target_resource_id ?? null,
    targetResourceName: (d) => d.target_resource_name ?? null,
  },

  TaskDeleteDetails: {
    backupId: (d) => d.backup_id ?? null,
    backupName: (d) => d.backup_name ?? null,
  },

  TaskSyncDetails: {
    syncedBackupCount: (d) => d.sync_backup_num ?? null,
    deletedBackupCount: (d) => d.delete_backup_num ?? null,
    failedBackupCount: (d) => d.err_sync_backup_num ?? null,
  },

  TaskRemoveResourcesDetails: {
    failedCount: (d) => d.fail_count ?? null,
    totalCount: (d) => d.total_count ?? null,
    resources: (d) => d.resources ?? [],
  },

  TaskVaultDeleteDetails: {
    failedCount: (d) => d.fail_count ?? null,
    totalCount: (d) => d.total_count ?? null,
  },

  TaskReplicationDetails: {
    sourceBackupId: (d) => d.source_backup_id ?? null,
    sourceBackupName: (d) => d.source_backup_name ?? null,
    sourceRestorePointId: (d) => d.source_checkpoint_id ?? null,
    sourceProjectId: (d) => d.source_project_id ?? null,
    sourceRegion: (d) => d.source_region ?? null,
    destinationBackupId: (d) => d.destination_backup_id ?? null,
    destinationBackupName: (d) => d.destination_backup_name ?? null,
    destinationRestorePointId: (d) => d.destination_checkpoint_id ?? null,
    destinationProjectId: (d) => d.destination_project_id ?? null,
    destinationRegion: (d) => d.destination_region ?? null,
  },

  Vault: {
    tasks: (v, args, context) => taskConnection(context, args, { vault_id: v.id }),
  },
};
