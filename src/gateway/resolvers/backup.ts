/**
 * Backups: the `backup`/`backups` queries, the Backup type (wire BackupResp with `extend_info` flattened), the backup
 * edges of vaults, protected resources, restore points, tasks and share members, and the restore/delete mutations.
 */
import type { Backup, BackupListQuery } from '../../upstream/schemas/backup';
import type { BackupFilter, BackupOrder, Resolvers } from '../__generated__/resolvers-types';
import type { GraphQLContext } from '../context';
import { backupImageType, backupReplicationStatus, backupRestoreMode, backupStatus, resourceType } from '../enums';
import { backupListQuery, restoreBody } from '../inputs/backup';
import { requireId } from '../inputs/common';
import { newestOf } from '../loaders/task';
import { pageWindow, toConnection } from '../pagination';

interface BackupListArgs {
  filter?: BackupFilter | null;
  orderBy?: readonly BackupOrder[] | null;
  first?: number | null;
  after?: string | null;
}

/**
 * One page of backups as a connection; `fixed` are the parent's conditions (its vault or resource). `loader` reads the
 * page: a vault's go through the plan that may answer several vaults from one project page (loaders/backup-plan.ts).
 */
export async function backupConnection({ loaders }: GraphQLContext, args: BackupListArgs, fixed?: BackupListQuery, loader = loaders.backupList) {
  const window = pageWindow(args);
  const page = await loader.load(backupListQuery(args.filter, args.orderBy, window, fixed));
  return toConnection(page.backups, window.offset, page.count);
}

/** Only a top-level server backup has disk backups: anything else has none, known without a call. */
const mayHaveChildren = (b: Backup) => b.resource_type === 'OS::Nova::Server' && !b.parent_id;

export const backupResolvers: Resolvers = {
  Query: {
    backup: (_, { id }, { loaders }) => loaders.backup.load(requireId(id, 'id')),
    backups: (_, args, context) => backupConnection(context, args),
  },

  Mutation: {
    restoreBackup: async (_, { input }, { client, loaders }) => {
      const backupId = requireId(input.backupId, 'input.backupId');
      const answer = await client.restoreBackup(backupId, restoreBody(input));
      loaders.forgetBackups();
      loaders.forgetTasks();
      return { backupId, jobId: answer.job_id ?? null };
    },
    deleteBackup: async (_, { input }, { client, loaders }) => {
      const backupId = requireId(input.backupId, 'input.backupId');
      await client.deleteBackup(backupId);
      loaders.forgetBackups();
      loaders.forgetTasks();
      return { backupId };
    },
  },

  RestoreBackupPayload: {
    backup: (p, _, { loaders }) => loaders.backup.load(p.backupId),
    // Huawei Cloud names the task (`job_id`); the documented answer has no body: then it is the newest `restore`
    // operation log naming this backup, found as DeleteBackupPayload.task finds its delete task (one list call).
    task: async (p, _, { loaders }) => {
      if (p.jobId) return loaders.task.load(p.jobId);
      const { operation_logs } = await loaders.taskList.load({ operation_type: 'restore' });
      return newestOf(operation_logs.filter((t) => t.extra_info?.restore?.backup_id === p.backupId));
    },
  },

  DeleteBackupPayload: {
    deletedBackupId: (p) => p.backupId,
    // The API answers no task: it is the newest `delete` operation log naming this backup, looked for in one default
    // page (1000) of delete tasks, whatever their order; beyond that it is not found (null, as the field allows).
    task: async (p, _, { loaders }) => {
      const { operation_logs } = await loaders.taskList.load({ operation_type: 'delete' });
      return newestOf(operation_logs.filter((t) => t.extra_info?.delete?.backup_id === p.backupId));
    },
  },

  Backup: {
    description: (b) => b.description ?? null,
    status: (b) => backupStatus.read(b.status),
    // The seed: "Backup type, which is backup." An answer without the field is a regular backup.
    imageType: (b) => backupImageType.read(b.image_type ?? 'backup'),
    projectId: (b) => b.project_id,
    providerId: (b) => b.provider_id ?? null,
    enterpriseProjectId: (b) => b.enterprise_project_id ?? null,
    vaultId: (b) => b.vault_id,
    restorePointId: (b) => b.checkpoint_id,
    parentId: (b) => b.parent_id ?? null,
    resourceId: (b) => b.resource_id,
    resourceName: (b) => b.resource_name ?? null,
    resourceType: (b) => resourceType.read(b.resource_type),
    resourceAz: (b) => b.resource_az ?? null,
    resourceSizeGb: (b) => b.resource_size ?? null,
    // Top level in current SDKs, inside extend_info in the 2021 reference: either place.
    incremental: (b) => b.incremental ?? b.extend_info?.incremental ?? null,
    autoTrigger: (b) => b.extend_info?.auto_trigger ?? null,
    bootable: (b) => b.extend_info?.bootable ?? null,
    snapshotId: (b) => b.extend_info?.snapshot_id ?? null,
    // The seed spells the flag three ways (support_lld, support_llid, support_ll): whichever the answer carries.
    supportsLazyLoading: (b) => b.extend_info?.support_lld ?? b.extend_info?.support_llid ?? b.extend_info?.support_ll ?? null,
    supportedRestoreMode: (b) => backupRestoreMode.readNullable(b.extend_info?.supported_restore_mode),
    imageIds: (b) => (b.extend_info?.os_images_data ?? []).map((image) => image.image_id),
    containsSystemDisk: (b) => b.extend_info?.contain_system_disk ?? null,
    encrypted: (b) => b.extend_info?.encrypted ?? null,
    systemDisk: (b) => b.extend_info?.system_disk ?? null,
    multiAz: (b) => b.extend_info?.is_multi_az ?? null,
    createdAt: (b) => b.created_at,
    updatedAt: (b) => b.updated_at ?? null,
    protectedAt: (b) => b.protected_at ?? null,
    expiresAt: (b) => b.expired_at ?? null,
    replicationRecords: (b) => b.replication_records ?? [],
    vault: (b, _, { loaders }) => loaders.vault.load(b.vault_id),
    parent: (b, _, { loaders }) => (b.parent_id ? loaders.backup.load(b.parent_id) : null),
    children: (b, _, { loaders }) => (mayHaveChildren(b) ? loaders.backupChildren.load(b.id) : []),
  },

  BackupReplicationRecord: {
    status: (r) => backupReplicationStatus.readNullable(r.status) ?? 'UNKNOWN',
    createdAt: (r) => r.created_at ?? null,
    sourceBackupId: (r) => r.source_backup_id ?? null,
    sourceRestorePointId: (r) => r.source_checkpoint_id ?? null,
    sourceProjectId: (r) => r.source_project_id ?? null,
    sourceRegion: (r) => r.source_region ?? null,
    destinationBackupId: (r) => r.destination_backup_id ?? null,
    destinationRestorePointId: (r) => r.destination_checkpoint_id ?? null,
    destinationProjectId: (r) => r.destination_project_id ?? null,
    destinationRegion: (r) => r.destination_region ?? null,
    destinationVaultId: (r) => r.destination_vault_id ?? r.extra_info?.destination_vault_id ?? null,
    progressPercent: (r) => r.extra_info?.progress ?? null,
    // "This field is empty if the operation is successful": an empty string is no failure.
    failCode: (r) => r.extra_info?.fail_code || null,
    failReason: (r) => r.extra_info?.fail_reason || null,
    autoTrigger: (r) => r.extra_info?.auto_trigger ?? null,
  },

  Vault: {
    backups: (v, args, context) => backupConnection(context, args, { vault_id: v.id }, context.loaders.vaultBackupPage),
  },

  ProtectedResource: {
    backups: (p, args, context) => backupConnection(context, args, { resource_id: p.resource.id }),
    latestBackup: (p, _, { loaders }) => loaders.latestBackupByResource.load(p.resource.id),
  },

  RestorePoint: {
    backups: (cp, _, { loaders }) => loaders.backupsByRestorePoint.load(cp.id),
  },

  Task: {
    // The backup the task is about, created, restored from or deleted (a deleted one reads as null).
    backup: (t, _, { loaders }) => {
      const info = t.extra_info;
      const id = info?.backup?.backup_id ?? info?.restore?.backup_id ?? info?.delete?.backup_id;
      return id ? loaders.backup.load(id) : null;
    },
  },

  ShareMember: {
    backup: (m, _, { loaders }) => loaders.backup.load(m.backup_id),
  },
};
