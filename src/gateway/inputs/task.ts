/** GraphQL arguments of task lists → the validated `GET /operation-logs` query. */
import { z } from 'zod';
import { TaskListQuery } from '../../upstream/schemas/task';
import type { TaskFilter } from '../__generated__/resolvers-types';
import { taskOperationType, taskStatus } from '../enums';
import type { PageWindow } from '../pagination';
import { pageParams, queryTime, validateQuery } from './backup';
import { FilterText, Id } from './common';
import { compact, validateInput, type PathRules } from './validate';

const LIST_RULES: PathRules = [
  ['', 'filter'],
  ['limit', 'first'],
  ['offset', 'after'],
];

/** The gateway's own rules of a task filter (./common.ts); the wire query schema checks the rest. */
const FilterRules = z.object({
  providerId: Id.nullish(),
  resourceId: Id.nullish(),
  resourceName: FilterText.nullish(),
  vaultId: Id.nullish(),
  vaultName: FilterText.nullish(),
});

/** Filters first (in the API table's order), then `limit`/`offset`; `fixed` (a parent vault) overrides the filter. */
export function taskListQuery(filter: TaskFilter | null | undefined, window: PageWindow, fixed: TaskListQuery = {}): TaskListQuery {
  const f = filter ?? {};
  if (filter) validateInput(FilterRules, filter, 'filter');
  const query: TaskListQuery = compact({
    end_time: queryTime(f.endTime),
    operation_type: f.operationType ? taskOperationType.write(f.operationType, 'filter.operationType') : undefined,
    provider_id: f.providerId,
    resource_id: f.resourceId,
    resource_name: f.resourceName,
    start_time: queryTime(f.startTime),
    status: f.status ? taskStatus.write(f.status, 'filter.status') : undefined,
    vault_id: f.vaultId,
    vault_name: f.vaultName,
    ...fixed,
    ...pageParams(window),
  });
  return validateQuery(TaskListQuery, query, LIST_RULES);
}
