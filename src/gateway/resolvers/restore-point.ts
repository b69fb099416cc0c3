/**
 * Restore points (API: checkpoints): the `restorePoint` query, the RestorePoint type, its edges to the vault and from
 * backups and tasks, and `createRestorePoint` ("back up now") with the backups and tasks to follow.
 */
import { ResourceExtraInfo } from '../../upstream/schemas/backup';
import type { Checkpoint, CheckpointResource } from '../../upstream/schemas/restore-point';
import type { OperationLog } from '../../upstream/schemas/task';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { Loaders } from '../loaders';
import { resourceProtectStatus, resourceType, restorePointStatus } from '../enums';
import { queryTime } from '../inputs/backup';
import { requireId } from '../inputs/common';
import { byCreation } from '../loaders/task';
import { createRestorePointBody } from '../inputs/restore-point';
import { normalizeDateTime } from './scalars';

/** Sizes and counts arrive as strings (`"40"`) or numbers; anything else is unknown (null), not a failure. */
function toInt(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
}

/**
 * A restore point resource's `extra_info`: a JSON string (the seed) or an object (some answers); null when it is
 * neither readable JSON nor of the documented shape, so one odd resource does not fail the restore point.
 */
function extraInfoOf(value: CheckpointResource['extra_info']): ResourceExtraInfo | null {
  if (value === null || value === undefined) return null;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const result = ResourceExtraInfo.safeParse(parsed);
  return result.success ? result.data : null;
}

/** How much earlier than its restore point a task may be stamped (see `tasksOfRestorePoint`). */
const START_TIME_MARGIN_MS = 60_000;

/**
 * The `backup` tasks of a restore point, oldest first. The list has no checkpoint filter; its `vault_id`,
 * `operation_type` and `start_time` narrow it to one short page, and `checkpoint_id` picks the tasks. `start_time` is
 * a minute before the restore point's creation: the seed does not say which task time the filter compares, and the
 * service may stamp a task a moment before its restore point; `checkpoint_id` keeps the wider window exact.
 */
async function tasksOfRestorePoint(loaders: Loaders, cp: Checkpoint): Promise<OperationLog[]> {
  const vaultId = cp.vault?.id;
  const created = cp.created_at ? normalizeDateTime(cp.created_at) : undefined;
  if (!vaultId || !created) return [];
  const { operation_logs } = await loaders.taskList.load({
    operation_type: 'backup',
    start_time: queryTime(new Date(Date.parse(created) - START_TIME_MARGIN_MS).toISOString()),
    vault_id: vaultId,
  });
  // The API documents no order for the list: sorted here by creation, in the order the tasks were started. Tasks of
  // one second tie; they keep the reverse of the list's order (newest first, as the emulator and the console list).
  return operation_logs
    .filter((t) => t.checkpoint_id === cp.id)
    .reverse()
    .sort(byCreation);
}

export const restorePointResolvers: Resolvers = {
  Query: {
    restorePoint: (_, { id }, { loaders }) => loaders.restorePoint.load(requireId(id, 'id')),
  },

  Mutation: {
    createRestorePoint: async (_, { input }, { client, loaders }) => {
      const restorePoint = await client.createRestorePoint(createRestorePointBody(input));
      loaders.forgetBackups();
      loaders.forgetTasks();
      loaders.restorePoint.clear(restorePoint.id).prime(restorePoint.id, restorePoint);
      return { restorePoint };
    },
  },

  CreateRestorePointPayload: {
    backups: (p, _, { loaders }) => loaders.backupsByRestorePoint.load(p.restorePoint.id),
    tasks: (p, _, { loaders }) => tasksOfRestorePoint(loaders, p.restorePoint),
    task: async (p, _, { loaders }) => (await tasksOfRestorePoint(loaders, p.restorePoint))[0] ?? null,
  },

  RestorePoint: {
    projectId: (cp) => cp.project_id,
    status: (cp) => restorePointStatus.read(cp.status),
    createdAt: (cp) => cp.created_at ?? null,
    name: (cp) => cp.extra_info?.name ?? null,
    description: (cp) => cp.extra_info?.description ?? null,
    retentionDurationDays: (cp) => cp.extra_info?.retention_duration ?? null,
    vaultName: (cp) => cp.vault?.name ?? null,
    vaultId: (cp) => cp.vault?.id ?? null,
    resources: (cp) => cp.vault?.resources ?? [],
    skippedResources: (cp) => cp.vault?.skipped_resources ?? [],
    vault: (cp, _, { loaders }) => (cp.vault?.id ? loaders.vault.load(cp.vault.id) : null),
  },

  RestorePointResource: {
    name: (r) => r.name ?? null,
    type: (r) => resourceType.read(r.type),
    protectStatus: (r) => resourceProtectStatus.readNullable(r.protect_status),
    resourceSizeGb: (r) => toInt(r.resource_size),
    backupSizeGb: (r) => toInt(r.backup_size),
    backupCount: (r) => toInt(r.backup_count),
    excludedVolumeIds: (r) => extraInfoOf(r.extra_info)?.exclude_volumes ?? [],
    extraInfoJson: (r) => (r.extra_info === null || r.extra_info === undefined ? null : typeof r.extra_info === 'string' ? r.extra_info : JSON.stringify(r.extra_info)),
  },

  RestorePointSkippedResource: {
    name: (r) => r.name ?? null,
    type: (r) => resourceType.readNullable(r.type),
    code: (r) => r.code ?? null,
    reason: (r) => r.reason ?? null,
  },

  Backup: {
    restorePoint: (b, _, { loaders }) => loaders.restorePoint.load(b.checkpoint_id),
  },

  Task: {
    restorePoint: (t, _, { loaders }) => (t.checkpoint_id ? loaders.restorePoint.load(t.checkpoint_id) : null),
  },
};
