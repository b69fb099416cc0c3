/**
 * Task (operation log) loaders: `GET /operation-logs/{id}` per id (the list has no id filter), and one page of
 * `GET /operation-logs` per distinct query, whose entries prime the by-id loader.
 *
 * The task list has no sort parameter and the API documents no order (seed Table 4-18), so nothing here trusts the
 * order of a page: the newest task of a query is picked by `created_at` from the whole default page (up to 1000).
 */
import DataLoader from 'dataloader';
import type { CbrClient } from '../../upstream/client';
import type { OperationLog, TaskList, TaskListQuery } from '../../upstream/schemas/task';
import { nullIfNotFound } from '../errors';
import { normalizeDateTime } from '../resolvers/scalars';
import { eachKey } from './each-key';
import { stableKey } from './keys';

export function createTaskLoaders(client: CbrClient) {
  const task = new DataLoader<string, OperationLog | null>(eachKey((id) => nullIfNotFound(client.getTask(id))));

  const taskList: DataLoader<TaskListQuery, TaskList, string> = new DataLoader(
    eachKey(async (query) => {
      const page = await client.listTasks(query);
      for (const t of page.operation_logs) task.prime(t.id, t);
      return page;
    }),
    { cacheKeyFn: stableKey },
  );

  /** The newest task the query lists, whatever order the page comes in; null when it lists none. */
  async function newestTask(query: TaskListQuery): Promise<OperationLog | null> {
    return newestOf((await taskList.load(query)).operation_logs);
  }

  return {
    task,
    taskList,
    newestTask,
    forgetTasks(): void {
      task.clearAll();
      taskList.clearAll();
    },
  };
}

/** Orders tasks by `created_at`, oldest first, across the upstream's timestamp formats; an unreadable one first. */
export function byCreation(a: OperationLog, b: OperationLog): number {
  // Normalised timestamps compare as strings.
  const [at, bt] = [normalizeDateTime(a.created_at) ?? '', normalizeDateTime(b.created_at) ?? ''];
  return at < bt ? -1 : at > bt ? 1 : 0;
}

/** The task with the latest `created_at` (ties: the first listed); null for none. Pure. */
export function newestOf(tasks: readonly OperationLog[]): OperationLog | null {
  return tasks.reduce<OperationLog | null>((newest, t) => (newest === null || byCreation(t, newest) > 0 ? t : newest), null);
}
