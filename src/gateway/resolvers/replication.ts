/** Backup replication: the replicateBackup mutation and its payload (the source backup and the replication task). */
import type { Resolvers } from '../__generated__/resolvers-types';
import { replicateBody } from '../inputs/replication';
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
