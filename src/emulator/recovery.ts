/**
 * What becomes of asynchronous work that was in flight when the emulator stopped, once a state file of version 1 is
 * loaded: such files predate stored steps (async-work.ts `pendingSteps`, replayed for files of version 2), so the work
 * is inferred from the records. New asynchronous flows need nothing here: they schedule steps of a registered kind.
 *
 * The clock jobs that carry such work (lifecycle steps) are not saved, so without this a backup would stay
 * `protecting` and its task `running` forever. The work resumes and finishes as it would have finished, rather than
 * being marked failed: stopping the emulator stands for a client losing sight of the cloud, not for the cloud
 * crashing, and the real service's work carries on meanwhile. A client that polls a task across a restart should see
 * it end the way it would have ended; a restart that fails every backup in flight would make `--state` runs differ
 * from uninterrupted ones for no reason the API knows of.
 *
 * Each piece of work ends through the very store function its own last lifecycle step calls (`completeRestorePoint`,
 * `completeBackup`, `completeRestore`, `completeBackupDelete`, `completeResourceRemoval`, `completeVaultDelete`, and
 * `completeVbsBackupTasks` for the VBS v2 jobs of "execute at once"), so the declared state machines
 * (store/lifecycle.ts), the capacity check and every side effect are the same as without a restart. All of it is scheduled as stored steps of those functions' kinds (async-work.ts), all due one
 * step after the load (`scheduleStepsTogether`): during the load in `immediate` mode, a second later in `timed`, at
 * the next `clock.advance` in `manual`; the file saved after the load (version 2) holds them, so a second restart
 * before they ran replays them instead of losing the work. Intermediate steps (progress 50) are skipped;
 * their effect is overwritten by the end anyway. Work on records ends before the removal of their container (a
 * backup's protection before its vault's deletion), so each task ends with its own outcome.
 *
 * A running task whose work is gone is ended as that work's last step would end it (a backup task whose backup
 * vanished fails with BackupService.6200, a delete/restore/vault deletion whose target is gone succeeds); a running
 * task of a kind the emulator never runs (copy, sync: only a hand-written file has one), or a replication (version 1
 * files predate replication, whose end is a stored step), fails with BackupService.9910 and a detail saying why.
 */
import { scheduleStepsTogether, stepKind, type Step } from './async-work';
import type { Emulator } from './context';
import { apiError } from './errors';
import type { ProjectState } from './state';
import type { Checkpoint } from '../upstream/schemas/restore-point';
import type { OperationLog } from '../upstream/schemas/task';
import { backupDeleteCompleteStep, completeBackup, restoreCompleteStep, type VaultResourceView } from './store/backup';
import { resourceRemovalCompleteStep } from './store/resource';
import { restorePointCompleteStep, type RestorePointRun } from './store/restore-point';
import { finishTask } from './store/task';
import { vaultDeleteCompleteStep } from './store/vault';
import { UNFINISHED_VBS_JOB, vbsBackupTasksCompleteStep } from './store/vbs-policy';

/** The end of a backup protected outside a restore point's run (only recovery infers such work). */
const backupCompleteStep = stepKind('recovery.backup.complete', (emulator, projectId, args: { backupId: string; taskId?: string; resourceId: string; vaultId: string }) =>
  completeBackup(emulator, projectId, args.backupId, args.taskId, args.resourceId, args.vaultId),
);

/** The end of a running task whose work is gone (see the file comment). */
const taskFinishStep = stepKind(
  'recovery.task.finish',
  (emulator, projectId, args: { taskId: string; status: 'success' | 'failed'; errorInfo?: { code: string; message: string } }) =>
    finishIfRunning(emulator, projectId, args.taskId, args.status, args.errorInfo),
);

/**
 * Schedules the end of every piece of work in flight in the loaded state (see the file comment) and returns how many
 * pieces it found (0: nothing was scheduled).
 */
export function resumeInFlightWork(emulator: Emulator): number {
  // Inferred from the state as loaded, before any of it runs (in `immediate` mode it runs as it is scheduled).
  const plans = [...emulator.state.projects.values()].map((project) => ({ projectId: project.id, work: projectWork(project) }));
  for (const { projectId, work } of plans) if (work.length > 0) scheduleStepsTogether(emulator, projectId, work);
  return plans.reduce((count, plan) => count + plan.work.length, 0);
}

/** The ends of the work in flight in one project, in the order they run. */
function projectWork(project: ProjectState): Step[] {
  const work: Step[] = [];
  const running = [...project.tasks.values()].filter((task) => task.status === 'running');
  const claimed = new Set<string>();
  /** The first running task of `type` not yet tied to other work that `matches`, now tied to this work. */
  const claim = (type: OperationLog['operation_type'], matches: (task: OperationLog) => boolean): string | undefined => {
    const task = running.find((t) => t.operation_type === type && !claimed.has(t.id) && matches(t));
    if (task) claimed.add(task.id);
    return task?.id;
  };
  const backupIdOf = (task: OperationLog) => task.extra_info?.backup?.backup_id ?? undefined;
  const topLevel = [...project.backups.values()].filter((backup) => backup.parent_id == null);
  const settled = new Set<string>();

  // Restore points being protected: their backups complete together, then the restore point.
  for (const checkpoint of project.restorePoints.values()) {
    if (checkpoint.status !== 'protecting' || !checkpoint.vault) continue;
    const runs: RestorePointRun[] = [];
    for (const entry of checkpoint.vault.resources ?? []) {
      const backup = topLevel.find((b) => b.checkpoint_id === checkpoint.id && b.resource_id === entry.id);
      const taskId = claim('backup', (t) =>
        backup ? backupIdOf(t) === backup.id : t.checkpoint_id === checkpoint.id && t.extra_info?.resource?.id === entry.id,
      );
      const backupId = backup?.id ?? (taskId ? backupIdOf(project.tasks.get(taskId)!) : undefined);
      if (backupId === undefined) continue; // no trace of this resource's backup: its entry ends `error`
      settled.add(backupId);
      runs.push({ backupId, taskId, resource: entryResource(entry) });
    }
    work.push(restorePointCompleteStep({ checkpointId: checkpoint.id, runs }));
  }

  // Backups being protected outside such a restore point, and backup tasks whose backup vanished (fails with 6200).
  for (const backup of topLevel) {
    if (backup.status !== 'protecting' || settled.has(backup.id)) continue;
    const taskId = claim('backup', (t) => backupIdOf(t) === backup.id);
    work.push(backupCompleteStep({ backupId: backup.id, taskId, resourceId: backup.resource_id, vaultId: backup.vault_id }));
  }
  for (const task of running) {
    if (task.operation_type !== 'backup' || claimed.has(task.id)) continue;
    claimed.add(task.id);
    const backupId = backupIdOf(task) ?? '';
    const resourceId = task.extra_info?.resource?.id ?? '';
    work.push(backupCompleteStep({ backupId, taskId: task.id, resourceId, vaultId: task.vault_id ?? '' }));
  }

  // Restores and deletions of backups.
  for (const backup of topLevel) {
    if (backup.status === 'restoring') {
      const taskId = claim('restore', (t) => t.extra_info?.restore?.backup_id === backup.id);
      work.push(restoreCompleteStep({ backupId: backup.id, taskId }));
    } else if (backup.status === 'deleting') {
      const taskId = claim('delete', (t) => t.extra_info?.delete?.backup_id === backup.id);
      work.push(backupDeleteCompleteStep({ backupId: backup.id, taskId }));
    }
  }

  // Resources being removed from vaults: per removal task, then any left without one.
  for (const task of running) {
    if (task.operation_type !== 'remove_resource' || claimed.has(task.id)) continue;
    claimed.add(task.id);
    const ids = (task.extra_info?.remove_resources?.resources ?? []).map((r) => r.id);
    work.push(resourceRemovalCompleteStep({ vaultId: task.vault_id ?? '', resourceIds: ids, taskId: task.id }));
  }
  for (const vault of project.vaults.values()) {
    const removing = vault.resources.filter(
      (r) => r.protect_status === 'removing' && !running.some((t) => claimed.has(t.id) && t.vault_id === vault.id && removes(t, r.id)),
    );
    if (removing.length > 0) work.push(resourceRemovalCompleteStep({ vaultId: vault.id, resourceIds: removing.map((r) => r.id) }));
  }

  // Vaults being deleted, after everything that happens inside them.
  for (const vault of project.vaults.values()) {
    if (vault.billing.status !== 'deleting') continue;
    const taskId = claim('vault_delete', (t) => t.vault_id === vault.id);
    work.push(vaultDeleteCompleteStep({ vaultId: vault.id, taskId }));
  }

  // VBS v2 backup jobs of "execute at once".
  for (const [policyId, jobs] of project.vbsBackupTasks) {
    const unfinished = jobs.filter((job) => UNFINISHED_VBS_JOB.includes(job.status)).map((job) => job.job_id);
    if (unfinished.length > 0) work.push(vbsBackupTasksCompleteStep({ policyId, jobIds: unfinished }));
  }

  // Running tasks whose work is gone.
  for (const task of running) {
    if (claimed.has(task.id)) continue;
    claimed.add(task.id);
    switch (task.operation_type) {
      case 'restore':
        work.push(restoreCompleteStep({ backupId: task.extra_info?.restore?.backup_id ?? '', taskId: task.id }));
        break;
      case 'delete':
        work.push(backupDeleteCompleteStep({ backupId: task.extra_info?.delete?.backup_id ?? '', taskId: task.id }));
        break;
      case 'vault_delete':
        work.push(taskFinishStep({ taskId: task.id, status: 'success' }));
        break;
      default: {
        const error = apiError('BackupService.9910', `the emulator restarted while this ${task.operation_type} task was running and does not emulate its work`);
        work.push(taskFinishStep({ taskId: task.id, status: 'failed', errorInfo: { code: error.code, message: error.message } }));
      }
    }
  }
  return work;
}

function removes(task: OperationLog, resourceId: string): boolean {
  return task.extra_info?.remove_resources?.resources?.some((r) => r.id === resourceId) ?? false;
}

/** Ends a task unless something ended it meanwhile (a request between the load and a `timed` step). */
function finishIfRunning(
  emulator: Emulator,
  projectId: string,
  taskId: string,
  status: 'success' | 'failed',
  errorInfo?: { code: string; message: string },
): void {
  if (emulator.state.projects.get(projectId)?.tasks.get(taskId)?.status !== 'running') return;
  finishTask(emulator, projectId, taskId, status, undefined, errorInfo);
}

/** A checkpoint's resource entry as the vault resource it was taken from (its size, and usually its extra info, are strings). */
function entryResource(entry: NonNullable<NonNullable<Checkpoint['vault']>['resources']>[number]): VaultResourceView {
  let extraInfo: unknown = entry.extra_info ?? null;
  if (typeof extraInfo === 'string') {
    try {
      extraInfo = JSON.parse(extraInfo);
    } catch {
      extraInfo = null; // a hand-edited file: the entry keeps no extra info
    }
  }
  return { id: entry.id, type: entry.type, name: entry.name, size: Number(entry.resource_size ?? 0), extra_info: extraInfo as VaultResourceView['extra_info'] };
}
