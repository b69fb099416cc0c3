/**
 * HTTP handlers of tasks (API: operation logs, 4.1): get and list.
 *
 * NOT emulated: tasks of operations the emulator does not run (`copy`, `sync`), and the `skipped`,
 * `timeout` and `waiting` statuses (every emulated task goes running → success | failed).
 */
import type { Route } from '../router';
import { parseOrThrow } from '../validation';
import { TaskListQuery } from '../../upstream/schemas/task';
import { getTask, listTasks } from '../store/task';
import { queryParams } from './backup';

export const routes: Route[] = [
  {
    method: 'GET',
    pattern: '/v3/:project_id/operation-logs',
    api: 'cbr',
    handler: (ctx) => {
      const query = parseOrThrow(TaskListQuery, queryParams(ctx.query));
      return { status: 200, body: listTasks(ctx.emulator, ctx.params.project_id ?? '', query) };
    },
  },
  {
    method: 'GET',
    pattern: '/v3/:project_id/operation-logs/:operation_log_id',
    api: 'cbr',
    handler: (ctx) => ({
      status: 200,
      body: { operation_log: getTask(ctx.emulator, ctx.params.project_id ?? '', ctx.params.operation_log_id ?? '') },
    }),
  },
];
