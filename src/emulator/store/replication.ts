/**
 * Backup replication (`POST /backups/{id}/replicate`, and `POST /checkpoints/replicate` for a whole vault): copies an available server backup into a replication vault of
 * another project of this emulator (which plays every region: the region named is recorded, not routed). The copy is
 * a backup of image type `replication` under a new restore point in the destination, `protecting` → `available` one
 * lifecycle step later (a stored step, resumed after a restart); the source records it in `replication_records` (`replicating` → `success`) and in a
 * `replication` task.
 *
 * Errors: backup not found 6200 (404); not available 9900 (no code is documented for it) [decision]; not a server backup
 * 6122; destination project or vault unknown 6120; destination vault not a replication vault 6119; destination vault
 * full 6129. A replication policy's run (`replicateByPolicy`) copies, for each vault it is bound to, every available
 * server backup of the vault without a replication record yet into the binding's `destination_vault_id`, in the
 * policy's `destination_project_id` and `destination_region`, marked `auto_trigger`. NOT emulated:
 * `enable_acceleration` (accepted, no effect).
 */
import type { Emulator } from '../context';
import { DEMO_REGION } from '../demo-identity';
import { ApiError, apiError, invalidParameter } from '../errors';
import type { Backup, ReplicationRecord } from '../../upstream/schemas/backup';
import type { BackupReplicate, BackupReplication, CheckpointReplicate, CheckpointReplication } from '../../upstream/schemas/replication';
import { scheduleSteps, stepKind } from '../async-work';
import { backupTime, childrenOf, vaultUsedGb, vaultView } from './backup';
import { transition } from './lifecycle';
import { createTask, finishTask } from './task';
import type { Policy } from '../../upstream/schemas/policy';

export function replicateBackup(
  emulator: Emulator,
  projectId: string,
  backupId: string,
  body: BackupReplicate,
  autoTrigger = false,
): BackupReplication & { replication_record_id: string } {
  const project = emulator.state.project(projectId);
  const source = project.backups.get(backupId);
  if (!source) throw apiError('BackupService.6200');
  if (source.status !== 'available') throw invalidParameter(`the backup is ${source.status}: only an available backup can be replicated`);
  if (source.resource_type !== 'OS::Nova::Server' || source.parent_id) throw apiError('BackupService.6122');
  const { destination, vault } = destinationOf(emulator, body, source.resource_size ?? 0);

  const now = backupTime(emulator.clock.now());
  const checkpointId = emulator.ids.uuid();
  const copyId = emulator.ids.uuid();
  const name = body.name ?? source.name;
  // The copy and its disk backups: the source's records with the destination's ids, vault and project.
  const copy = (record: Backup, id: string, parentId: string | null): Backup => ({
    ...structuredClone(record),
    id,
    name: parentId ? record.name : name,
    description: body.description ?? record.description ?? null,
    project_id: destination.id,
    vault_id: vault.id,
    checkpoint_id: checkpointId,
    parent_id: parentId,
    image_type: 'replication',
    status: 'protecting',
    created_at: now,
    updated_at: now,
    protected_at: null,
    replication_records: [],
    children: [],
  });
  const top = copy(source, copyId, null);
  destination.backups.set(top.id, top);
  for (const child of childrenOf(project, source.id)) {
    const record = copy(child, emulator.ids.uuid(), copyId);
    destination.backups.set(record.id, record);
  }
  destination.restorePoints.set(checkpointId, {
    id: checkpointId,
    project_id: destination.id,
    status: 'protecting',
    created_at: now,
    vault: { id: vault.id, name: vault.name, resources: [], skipped_resources: [] },
    extra_info: { name, description: body.description ?? null, retention_duration: -1 },
  });

  const record: ReplicationRecord = {
    id: emulator.ids.uuid(),
    created_at: now,
    destination_backup_id: copyId,
    destination_checkpoint_id: checkpointId,
    destination_project_id: destination.id,
    destination_region: body.destination_region,
    destination_vault_id: vault.id,
    source_backup_id: source.id,
    source_checkpoint_id: source.checkpoint_id,
    source_project_id: projectId,
    source_region: DEMO_REGION,
    status: 'replicating',
    vault_id: source.vault_id,
    extra_info: { progress: 0, auto_trigger: autoTrigger, destination_vault_id: vault.id },
  };
  source.replication_records = [...(source.replication_records ?? []), record];
  const task = createTask(emulator, projectId, {
    operation_type: 'replication',
    vault_id: source.vault_id,
    checkpoint_id: source.checkpoint_id,
    provider_id: source.provider_id ?? null,
    extra_info: {
      replication: {
        source_backup_id: source.id,
        source_backup_name: source.name,
        source_checkpoint_id: source.checkpoint_id,
        source_project_id: projectId,
        source_region: DEMO_REGION,
        destination_backup_id: copyId,
        destination_backup_name: name,
        destination_checkpoint_id: checkpointId,
        destination_project_id: destination.id,
        destination_region: body.destination_region,
      },
      resource: { id: source.resource_id, type: source.resource_type, name: source.resource_name ?? '' },
    },
  });
  scheduleSteps(emulator, projectId, [
    replicationCompleteStep({ sourceId: source.id, recordId: record.id, destinationProjectId: destination.id, copyId, checkpointId, taskId: task.id }),
  ]);
  return {
    replication_record_id: record.id,
    backup_id: source.id,
    destination_project_id: destination.id,
    destination_region: body.destination_region,
    project_id: projectId,
    provider_id: source.provider_id ?? null,
    source_region: DEMO_REGION,
  };
}

/**
 * The destination project and vault of a replication, checked: unknown 6120, not a replication vault 6119, no room
 * for `neededGb` more 6129.
 */
function destinationOf(emulator: Emulator, body: { destination_project_id: string; destination_vault_id: string }, neededGb: number) {
  const destination = emulator.state.projects.get(body.destination_project_id);
  const vault = destination ? vaultView(destination, body.destination_vault_id) : undefined;
  if (!destination || !vault) throw apiError('BackupService.6120');
  if (vault.billing.protect_type !== 'replication') throw apiError('BackupService.6119');
  if (vaultUsedGb(destination, vault.id) + neededGb > vault.billing.size) throw apiError('BackupService.6129');
  return { destination, vault };
}

/** The end of a replication: the copy and its restore point turn available, the record and the task succeed. Gone records (reset) are skipped. */
export function completeReplication(
  emulator: Emulator,
  projectId: string,
  sourceId: string,
  recordId: string,
  destinationProjectId: string,
  copyId: string,
  checkpointId: string,
  taskId: string,
): void {
  const destination = emulator.state.projects.get(destinationProjectId);
  const copy = destination?.backups.get(copyId);
  if (!destination || copy?.status !== 'protecting') return;
  const now = backupTime(emulator.clock.now());
  for (const record of [copy, ...childrenOf(destination, copyId)]) {
    transition('backup', record, 'available');
    record.updated_at = now;
    record.protected_at = now;
  }
  const checkpoint = destination.restorePoints.get(checkpointId);
  if (checkpoint?.status === 'protecting') transition('checkpoint', checkpoint, 'available');
  const record = emulator.state.projects.get(projectId)?.backups.get(sourceId)?.replication_records?.find((r) => r.id === recordId);
  if (record) Object.assign(record, { status: 'success', extra_info: { ...record.extra_info, progress: 100 } });
  finishTask(emulator, projectId, taskId, 'success');
}

/** The end of a replication as a stored step (async-work.ts), so a replication in flight resumes after a restart with `--state`. */
export const replicationCompleteStep = stepKind(
  'backup.replicate.complete',
  (emulator, projectId, args: { sourceId: string; recordId: string; destinationProjectId: string; copyId: string; checkpointId: string; taskId: string }) =>
    completeReplication(emulator, projectId, args.sourceId, args.recordId, args.destinationProjectId, args.copyId, args.checkpointId, args.taskId),
);

/** The vault's backups a replication copies: available top-level server backups without a replication record. */
function dueForReplication(emulator: Emulator, projectId: string, vaultId: string): Backup[] {
  return [...emulator.state.project(projectId).backups.values()].filter(
    (b) => b.vault_id === vaultId && !b.parent_id && b.status === 'available' && b.resource_type === 'OS::Nova::Server' && !b.replication_records?.length,
  );
}

/**
 * `POST /checkpoints/replicate`: copies every backup of the vault not replicated yet (as a policy run does) and answers
 * each with its replication record. Unknown vault 6105; a destination it cannot use answers as for one backup (6120,
 * 6119, 6129), checked before anything is copied; nothing to copy answers an empty `backups`.
 */
export function replicateVault(emulator: Emulator, projectId: string, body: CheckpointReplicate): CheckpointReplication {
  const project = emulator.state.project(projectId);
  if (!project.vaults.has(body.vault_id)) throw apiError('BackupService.6105');
  const due = dueForReplication(emulator, projectId, body.vault_id);
  destinationOf(emulator, body, due.reduce((sum, b) => sum + (b.resource_size ?? 0), 0));
  const target = { destination_project_id: body.destination_project_id, destination_region: body.destination_region, destination_vault_id: body.destination_vault_id };
  const backups = due.map((backup) => {
    const started = replicateBackup(emulator, projectId, backup.id, target, body.auto_trigger ?? false);
    return { backup_id: backup.id, replication_record_id: started.replication_record_id };
  });
  return {
    backups,
    destination_project_id: body.destination_project_id,
    destination_region: body.destination_region,
    destination_vault_id: body.destination_vault_id,
    project_id: projectId,
    provider_id: project.vaults.get(body.vault_id)!.provider_id,
    source_region: DEMO_REGION,
    vault_id: body.vault_id,
  };
}

/**
 * One run of a replication policy: each bound vault with a destination vault is replicated as `checkpoints/replicate`
 * does, marked `auto_trigger`. A vault the service refuses (full or missing destination) is skipped for this run, as a
 * failed run is recorded and the next one tries again.
 */
export function replicateByPolicy(emulator: Emulator, projectId: string, policy: Policy): void {
  const destinationProjectId = policy.operation_definition.destination_project_id;
  const destinationRegion = policy.operation_definition.destination_region;
  if (!emulator.state.projects.has(projectId) || !destinationProjectId || !destinationRegion) return;
  for (const binding of policy.associated_vaults ?? []) {
    if (!binding.destination_vault_id) continue;
    try {
      replicateVault(emulator, projectId, {
        vault_id: binding.vault_id,
        destination_project_id: destinationProjectId,
        destination_region: destinationRegion,
        destination_vault_id: binding.destination_vault_id,
        auto_trigger: true,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) console.error('emulator: replication run failed', error);
    }
  }
}
