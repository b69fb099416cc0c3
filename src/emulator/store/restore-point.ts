/**
 * Restore points (checkpoints): `POST /checkpoints` backs up a vault's resources (or a subset), one backup and one
 * `backup` task per resource, and `GET /checkpoints/{id}` follows the run. The policy scheduler calls
 * `createRestorePoint` too, with `auto_trigger: true` and its `policy_id`.
 */
import { scheduleSteps, stepKind } from '../async-work';
import type { Emulator } from '../context';
import type { Principal } from '../identity';
import { apiError } from '../errors';
import type { ProjectState } from '../state';
import type { Checkpoint, CheckpointResource, CheckpointSkippedResource, VaultBackup } from '../../upstream/schemas/restore-point';
import type { ResourceType } from '../../upstream/schemas/backup';
import { OBJECT_TYPE_OF_RESOURCE } from '../../upstream/schemas/common';
import {
  backupTime,
  beginBackup,
  completeBackup,
  type VaultResourceView,
  type VaultView,
  vaultView,
} from './backup';
import { transition } from './lifecycle';
import { taskProgressStep } from './task';

/**
 * Starts a backup of vault `body.vault_id` and returns the restore point as stored (a copy, status `protecting`).
 * Two lifecycle steps later (about 2 s in `timed` mode; at once in `immediate`) every backup and the restore point are
 * `available`, or `error` where the vault ran out of capacity.
 *
 * Errors: vault not found 404 BackupService.6105; replication vault 6124; vault not `available` 6113; a
 * `resource_details` entry whose `type` (Table 4-80 "Type of the resource to be backed up") is not the vault's kind
 * 6102 "The vault does not support this resource type." (the code and order of addresources and vault create); a
 * requested resource not in the vault 6135; nothing to back up 0001; every resource already being backed up 6125.
 * Resources busy with another backup or a restore are listed in `vault.skipped_resources` instead.
 * `principal` (the caller) is accepted for interface symmetry; backups do not record who asked.
 */
export function createRestorePoint(
  emulator: Emulator,
  projectId: string,
  body: VaultBackup,
  principal?: Principal,
): Checkpoint {
  void principal;
  const project = emulator.state.project(projectId);
  const vault = vaultView(project, body.vault_id);
  if (!vault) throw apiError('BackupService.6105');
  const params = body.parameters ?? {};
  if (vault.billing.protect_type === 'replication') throw apiError('BackupService.6124');
  if (vault.billing.status !== 'available') throw apiError('BackupService.6113', `the vault is ${vault.billing.status}`);

  for (const detail of params.resource_details ?? []) {
    // A vault holds resources of its object type only, so a declared type of another kind never names its resource.
    if (OBJECT_TYPE_OF_RESOURCE[detail.type] !== vault.billing.object_type) throw apiError('BackupService.6102');
  }
  const requested = selectResources(vault, params.resources, params.resource_details?.map((detail) => detail.id)).map((resource) => {
    // A `resource_details` entry's `exclude_volumes` replaces the vault's exclusions for this backup only.
    const excluded = params.resource_details?.find((detail) => detail.id === resource.id)?.extra_info?.exclude_volumes;
    return excluded ? { ...resource, extra_info: { ...resource.extra_info, exclude_volumes: excluded } } : resource;
  });
  if (requested.length === 0) throw apiError('BackupService.0001');
  const skipped: CheckpointSkippedResource[] = [];
  const included = requested.filter((resource) => {
    const reason = busyReason(project, resource);
    if (reason) skipped.push({ id: resource.id, type: resource.type, name: resource.name ?? '', ...reason });
    return !reason;
  });
  if (included.length === 0) throw apiError('BackupService.6125');

  const autoTrigger = params.auto_trigger ?? false;
  const name = params.name ?? `${autoTrigger ? 'autobk' : 'manualbk'}_${emulator.ids.hex32().slice(0, 4)}`;
  const retentionDays = retentionOf(project, params.policy_id);
  const now = emulator.clock.now();
  const checkpointId = emulator.ids.uuid();
  const checkpoint: Checkpoint = {
    id: checkpointId,
    project_id: projectId,
    status: 'protecting',
    created_at: backupTime(now),
    vault: {
      id: vault.id,
      name: vault.name,
      resources: included.map((resource) => checkpointResource(project, vault.id, resource, 'protecting')),
      skipped_resources: skipped,
    },
    extra_info: { name, description: params.description ?? null, retention_duration: retentionDays },
  };
  project.restorePoints.set(checkpointId, checkpoint);

  const runs = included.map((resource) => {
    const { backup, taskId } = beginBackup(emulator, project, {
      vault,
      resource,
      checkpointId,
      name,
      description: params.description ?? null,
      autoTrigger,
      incremental: params.incremental,
      policyId: params.policy_id ?? null,
      expiredAt: retentionDays > 0 ? backupTime(now + retentionDays * 86_400_000) : null,
    });
    return { backupId: backup.id, taskId, resource };
  });
  const answer = structuredClone(checkpoint);

  scheduleSteps(emulator, projectId, [
    taskProgressStep({ taskIds: runs.flatMap((run) => (run.taskId ? [run.taskId] : [])), progress: 50 }),
    restorePointCompleteStep({ checkpointId, runs }),
  ]);
  return answer;
}

/** One backup of a restore point's run: the backup, its `backup` task and the vault resource it protects. */
export interface RestorePointRun {
  backupId: string;
  taskId: string | undefined;
  /** The resource as it was when the run began (used for the checkpoint entry if it has left the vault since). */
  resource: VaultResourceView;
}

/**
 * The end of a restore point's run: each backup completes (`completeBackup`: available, or error when the vault is
 * full or the backup vanished), each checkpoint resource entry shows its outcome with fresh counts, and the restore
 * point turns `available` if any backup succeeded, `error` otherwise. A restore point no longer `protecting` (or gone
 * with a reset) is left alone.
 */
export function completeRestorePoint(emulator: Emulator, projectId: string, checkpointId: string, runs: readonly RestorePointRun[]): void {
  const current = emulator.state.projects.get(projectId);
  const checkpoint = current?.restorePoints.get(checkpointId);
  if (!current || !checkpoint?.vault || checkpoint.status !== 'protecting') return;
  const vaultId = checkpoint.vault.id;
  const outcomes = new Map(
    runs.map((run) => [run.resource.id, completeBackup(emulator, projectId, run.backupId, run.taskId, run.resource.id, vaultId)]),
  );
  const currentVault = vaultView(current, vaultId);
  for (const entry of checkpoint.vault.resources ?? []) {
    const fresh = currentVault?.resources.find((r) => r.id === entry.id) ?? runs.find((run) => run.resource.id === entry.id)?.resource;
    if (fresh) Object.assign(entry, checkpointResource(current, vaultId, fresh, outcomes.get(entry.id) ? 'available' : 'error'));
  }
  transition('checkpoint', checkpoint, [...outcomes.values()].some(Boolean) ? 'available' : 'error');
}

/** Step: the end of a restore point's run (`completeRestorePoint`). */
export const restorePointCompleteStep = stepKind('restore-point.complete', (emulator, projectId, args: { checkpointId: string; runs: RestorePointRun[] }) =>
  completeRestorePoint(emulator, projectId, args.checkpointId, args.runs),
);

/** `GET /checkpoints/{id}`; 404 BackupService.6217. */
export function getRestorePoint(emulator: Emulator, projectId: string, checkpointId: string): Checkpoint {
  const checkpoint = emulator.state.project(projectId).restorePoints.get(checkpointId);
  if (!checkpoint) throw apiError('BackupService.6217');
  return checkpoint;
}

/** The vault resources to back up: all of them, or the ones named by `resources`/`resource_details` (6135 if not in the vault). */
function selectResources(vault: VaultView, ...idLists: Array<string[] | undefined>): VaultResourceView[] {
  const given = idLists.filter((ids): ids is string[] => ids !== undefined);
  if (given.length === 0) return [...vault.resources];
  const ids = [...new Set(given.flat())];
  return ids.map((id) => {
    const resource = vault.resources.find((r) => r.id === id);
    if (!resource) throw apiError('BackupService.6135', `resource ${id}`);
    return resource;
  });
}

/** Why a resource cannot be backed up now (it is being backed up or restored), as a skipped-resource code and reason. */
function busyReason(project: ProjectState, resource: VaultResourceView): { code: string; reason: string } | undefined {
  for (const backup of project.backups.values()) {
    if (backup.resource_id !== resource.id) continue;
    if (backup.status === 'protecting') {
      const error = apiError('BackupService.0002');
      return { code: error.code, reason: error.message };
    }
    if (backup.status === 'restoring') {
      const error = apiError('BackupService.6215');
      return { code: error.code, reason: error.message };
    }
  }
  return undefined;
}

/** Retention in days from the triggering policy's `retention_duration_days`; -1 (kept forever) without one. */
function retentionOf(project: ProjectState, policyId: string | undefined): number {
  if (!policyId) return -1;
  // The policy record belongs to the policy store; only this one field matters here.
  const policy = project.policies.get(policyId) as unknown as
    | { operation_definition?: { retention_duration_days?: number | null } | null }
    | undefined;
  const days = policy?.operation_definition?.retention_duration_days;
  return typeof days === 'number' && days > 0 ? days : -1;
}

/**
 * Table 4-72 entry: sizes and counts as strings (as the seed and SDK type them), `extra_info` the resource's extra
 * info as a JSON string (`"{}"` in the 5.1 example); counts are of the resource's completed backups in the vault.
 */
function checkpointResource(
  project: ProjectState,
  vaultId: string,
  resource: VaultResourceView,
  protectStatus: 'protecting' | 'available' | 'error',
): CheckpointResource {
  const done = [...project.backups.values()].filter(
    (b) => b.resource_id === resource.id && b.vault_id === vaultId && b.parent_id == null && b.status === 'available',
  );
  const cloud = project.cloudResources.get(resource.id);
  return {
    id: resource.id,
    type: resource.type as ResourceType,
    name: cloud?.name ?? resource.name ?? '',
    extra_info: JSON.stringify(resource.extra_info ?? {}),
    resource_size: String(cloud?.sizeGb ?? resource.size ?? 0),
    backup_size: String(done.reduce((sum, b) => sum + (b.resource_size ?? 0), 0)),
    backup_count: String(done.length),
    protect_status: protectStatus,
  };
}
