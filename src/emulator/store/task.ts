/**
 * Tasks (operation logs): creation and completion for every asynchronous operation of the emulator (backup, restore,
 * delete here; vault_delete and remove_resource by the vault store), and the list/get reads of 4.1.
 */
import { stepKind } from '../async-work';
import type { Emulator } from '../context';
import { apiError } from '../errors';
import type {
  OpErrorInfo,
  OpExtendInfoCommon,
  OpExtraInfo,
  OperationLog,
  OperationType,
  TaskListQuery,
} from '../../upstream/schemas/task';
import { transition } from './lifecycle';

/** `2020-02-23T01:00:32Z`: the operation-log time format (Table 4-4). */
export function taskTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** What a caller knows when it starts a task; `extra_info.common` is filled in here. */
export interface TaskInit {
  operation_type: OperationType;
  vault_id?: string | null;
  vault_name?: string | null;
  policy_id?: string | null;
  checkpoint_id?: string | null;
  provider_id?: string | null;
  extra_info: Omit<OpExtraInfo, 'common'> & { common?: Partial<OpExtendInfoCommon> };
}

/**
 * Creates a `running` task at progress 0 in `projectId` and returns it (the stored record).
 * Its times are `now`; `ended_at` stays null until `finishTask`.
 */
export function createTask(emulator: Emulator, projectId: string, init: TaskInit): OperationLog {
  const project = emulator.state.project(projectId);
  const now = taskTime(emulator.clock.now());
  const { common, ...extra } = init.extra_info;
  const task: OperationLog = {
    id: emulator.ids.uuid(),
    project_id: projectId,
    operation_type: init.operation_type,
    status: 'running',
    checkpoint_id: init.checkpoint_id ?? null,
    policy_id: init.policy_id ?? null,
    provider_id: init.provider_id ?? null,
    vault_id: init.vault_id ?? null,
    vault_name: init.vault_name ?? null,
    created_at: now,
    started_at: now,
    updated_at: now,
    ended_at: null,
    error_info: { code: '', message: '' },
    extra_info: {
      ...extra,
      common: {
        progress: 0,
        request_id: common?.request_id ?? `req-${emulator.ids.uuid()}`,
        task_id: common?.task_id ?? emulator.ids.uuid(),
      },
    },
  };
  project.tasks.set(task.id, task);
  return task;
}

/** Moves a running task's progress (0–100) without finishing it. Missing tasks (project reset) are ignored. */
export function setTaskProgress(emulator: Emulator, projectId: string, taskId: string, progress: number): void {
  const task = emulator.state.projects.get(projectId)?.tasks.get(taskId);
  if (!task?.extra_info) return;
  task.extra_info.common.progress = Math.max(0, Math.min(100, Math.round(progress)));
  task.updated_at = taskTime(emulator.clock.now());
}

/**
 * Ends a running task: `success` or `failed`, progress 100, `ended_at` now. `extraInfoPatch` is merged into
 * `extra_info` (e.g. the backup id once known). A failed task carries `errorInfo`
 * (default: BackupService.9910 "Unknown error."). Finishing a task twice is a bug (LifecycleError); an unknown or
 * `undefined` task (project reset, work recovered without its task) is ignored.
 */
export function finishTask(
  emulator: Emulator,
  projectId: string,
  taskId: string | undefined,
  status: 'success' | 'failed',
  extraInfoPatch?: Partial<Omit<OpExtraInfo, 'common'>>,
  errorInfo?: OpErrorInfo,
): OperationLog | undefined {
  const task = taskId === undefined ? undefined : emulator.state.projects.get(projectId)?.tasks.get(taskId);
  if (!task) return undefined;
  transition('task', task, status);
  const now = taskTime(emulator.clock.now());
  const common = task.extra_info?.common ?? { progress: 0 };
  task.extra_info = { ...task.extra_info, ...extraInfoPatch, common: { ...common, progress: 100 } };
  task.updated_at = now;
  task.ended_at = now;
  if (status === 'failed') task.error_info = errorInfo ?? { code: 'BackupService.9910', message: 'Unknown error.' };
  return task;
}

/** `GET /operation-logs/{id}`; 404 BackupService.6500 when the project has no such task. */
export function getTask(emulator: Emulator, projectId: string, taskId: string): OperationLog {
  const task = emulator.state.project(projectId).tasks.get(taskId);
  if (!task) throw apiError('BackupService.6500');
  return task;
}

/**
 * `GET /operation-logs`: the tasks matching every given filter, newest first, then `offset`/`limit`
 * (defaults 0 and 1000, as the response table documents). `count` is the number matching before paging.
 * `start_time`/`end_time` bound the task's creation time (inclusive).
 */
export function listTasks(
  emulator: Emulator,
  projectId: string,
  query: TaskListQuery,
): { operation_logs: OperationLog[]; count: number; limit: number; offset: number } {
  const project = emulator.state.project(projectId);
  const start = query.start_time ? Date.parse(query.start_time) : undefined;
  const end = query.end_time ? Date.parse(query.end_time) : undefined;
  const matching = [...project.tasks.values()]
    .filter((task) => matchesTask(task, query, start, end))
    .reverse(); // insertion order is creation order; newest first, and ties keep a stable order
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 1000;
  return { operation_logs: matching.slice(offset, offset + limit), count: matching.length, limit, offset };
}

function matchesTask(
  task: OperationLog,
  query: TaskListQuery,
  start: number | undefined,
  end: number | undefined,
): boolean {
  const resource = task.extra_info?.resource;
  if (query.operation_type !== undefined && task.operation_type !== query.operation_type) return false;
  if (query.status !== undefined && task.status !== query.status) return false;
  if (query.provider_id !== undefined && task.provider_id !== query.provider_id) return false;
  if (query.vault_id !== undefined && task.vault_id !== query.vault_id) return false;
  if (query.vault_name !== undefined && task.vault_name !== query.vault_name) return false;
  if (query.resource_id !== undefined && resource?.id !== query.resource_id) return false;
  if (query.resource_name !== undefined && resource?.name !== query.resource_name) return false;
  if (start !== undefined || end !== undefined) {
    const created = Date.parse(task.created_at); // only when asked: most lists have no time bounds
    if (start !== undefined && created < start) return false;
    if (end !== undefined && created > end) return false;
  }
  // Every vault of the emulator lives in the default enterprise project "0".
  if (query.enterprise_project_id !== undefined && !['0', 'all_granted_eps'].includes(query.enterprise_project_id)) {
    return false;
  }
  return true;
}

/** Step: the tasks' progress moves to `progress` (the intermediate step of a backup or restore). */
export const taskProgressStep = stepKind('task.progress', (emulator, projectId, args: { taskIds: string[]; progress: number }) => {
  for (const taskId of args.taskIds) setTaskProgress(emulator, projectId, taskId, args.progress);
});
