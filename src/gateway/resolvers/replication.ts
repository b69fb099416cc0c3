/** Replication: replicateBackup (one backup) and replicateRestorePoint (a vault's backups) with their payloads. */
import type { Resolvers } from '../__generated__/resolvers-types';
import { replicateBody, replicateRestorePointBody } from '../inputs/replication';
import { newestOf } from '../loaders/task';

export const replicationResolvers: Resolvers = {
  Mutation: {
    replicateBackup: async (_, { input }, { client, loaders }) => {
      const body = replicateBody(input);
      const replication = await client.replicateBackup(input.backupId, body);
      loaders.forgetBackups();
      loaders.forgetTasks();
      return { ...replication, backup_id: replication.backup_id || input.backupId };
    },
    replicateRestorePoint: async (_, { input }, { client, loaders }) => {
      const replication = await client.replicateCheckpoint(replicateRestorePointBody(input));
      loaders.forgetBackups();
      loaders.forgetTasks();
      return { ...replication, vault_id: replication.vault_id ?? input.vaultId };
    },
  },

  ReplicateRestorePointPayload: {
    // One list of the vault's backups (its first 1000, the API's largest page) answers every copied backup: they are
    // all of that vault.
    backups: async (r, _, { loaders }) => {
      if (r.backups.length === 0) return [];
      const page = await loaders.backupList.load({ vault_id: r.vault_id!, limit: 1000 });
      const wanted = new Set(r.backups.map((b) => b.backup_id));
      return page.backups.filter((b) => wanted.has(b.id));
    },
    vault: (r, _, { loaders }) => loaders.vault.load(r.vault_id!),
    destinationProjectId: (r) => r.destination_project_id ?? null,
    destinationRegion: (r) => r.destination_region ?? null,
    destinationVaultId: (r) => r.destination_vault_id ?? null,
  },

  ReplicateBackupPayload: {
    backup: (r, _, { loaders }) => loaders.backup.load(r.backup_id),
    destinationProjectId: (r) => r.destination_project_id ?? null,
    destinationRegion: (r) => r.destination_region ?? null,
    sourceRegion: (r) => r.source_region ?? null,
    // The answer names no task: the newest replication task of this backup, as deleteBackup finds its delete task.
    task: async (r, _, { loaders }) => {
      const { operation_logs } = await loaders.taskList.load({ operation_type: 'replication' });
      return newestOf(operation_logs.filter((t) => t.extra_info?.replication?.source_backup_id === r.backup_id));
    },
  },
};
