/**
 * Task (operation log) loaders: `GET /operation-logs/{id}` per id (the list has no id filter), and one page of
 * `GET /operation-logs` per distinct query, whose entries prime the by-id loader.
 */
import DataLoader from 'dataloader';
import type { CbrClient } from '../../upstream/client';
import type { OperationLog, TaskList, TaskListQuery } from '../../upstream/schemas/task';
import { nullIfNotFound } from '../errors';
import { stableKey } from './keys';

export function createTaskLoaders(client: CbrClient) {
  const task = new DataLoader<string, OperationLog | null>((ids) => Promise.all(ids.map((id) => nullIfNotFound(client.getTask(id)))));

  const taskList: DataLoader<TaskListQuery, TaskList, string> = new DataLoader(
    (queries) =>
      Promise.all(
        queries.map(async (query) => {
          const page = await client.listTasks(query);
          for (const t of page.operation_logs) task.prime(t.id, t);
          return page;
        }),
      ),
    { cacheKeyFn: stableKey },
  );

  return {
    task,
    taskList,
    forgetTasks(): void {
      task.clearAll();
      taskList.clearAll();
    },
  };
}
