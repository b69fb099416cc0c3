/**
 * Counts per status for dashboards: one page of one item per status, whose `count` is the number of matches, all sent
 * at once (the API has no count or group-by call). The filter's own `status` is refused, since each call sets it.
 */
import type { BackupStatus, Resolvers, TaskStatus, VaultStatus } from '../__generated__/resolvers-types';
import { backupStatus, taskStatus, vaultStatus } from '../enums';
import { badUserInput } from '../errors';
import { backupListQuery } from '../inputs/backup';
import { taskListQuery } from '../inputs/task';
import { vaultListQuery } from '../inputs/vault';
import { hasTagCondition } from '../inputs/vault-tag';

const BACKUP_STATUSES: BackupStatus[] = [
  'AVAILABLE',
  'PROTECTING',
  'DELETING',
  'RESTORING',
  'ERROR',
  'WAITING_PROTECT',
  'WAITING_DELETE',
  'WAITING_RESTORE',
];
const TASK_STATUSES: TaskStatus[] = ['SUCCESS', 'SKIPPED', 'FAILED', 'RUNNING', 'TIMEOUT', 'WAITING'];
const VAULT_STATUSES: VaultStatus[] = ['AVAILABLE', 'LOCKED', 'FROZEN', 'DELETING', 'ERROR'];

/** The statuses asked for, each once, in the order given (default: all known). */
function statusesOf<S extends string>(given: readonly S[] | null | undefined, all: readonly S[]): S[] {
  return [...new Set(given?.length ? given : all)];
}

function refuseStatusFilter(filter: { status?: unknown } | null | undefined): void {
  if (filter?.status !== undefined && filter.status !== null) {
    throw badUserInput('filter.status: cannot be used here: name the statuses to count in `statuses`', 'filter.status');
  }
}

const ONE = { offset: 0, limit: 1 };

export const countResolvers: Resolvers = {
  Query: {
    backupCounts: async (_, { filter, statuses }, { loaders }) => {
      refuseStatusFilter(filter);
      const wanted = statusesOf(statuses, BACKUP_STATUSES);
      const queries = wanted.map((s, i) => backupListQuery(filter, null, ONE, { status: [backupStatus.write(s, `statuses[${i}]`)] }));
      const pages = await Promise.all(queries.map((q) => loaders.backupList.load(q)));
      return wanted.map((status, i) => ({ status, count: pages[i]!.count }));
    },
    taskCounts: async (_, { filter, statuses }, { loaders }) => {
      refuseStatusFilter(filter);
      const wanted = statusesOf(statuses, TASK_STATUSES);
      const queries = wanted.map((s, i) => taskListQuery(filter, ONE, { status: taskStatus.write(s, `statuses[${i}]`) }));
      const pages = await Promise.all(queries.map((q) => loaders.taskList.load(q)));
      return wanted.map((status, i) => ({ status, count: pages[i]!.count }));
    },
    vaultCounts: async (_, { filter, statuses }, { loaders }) => {
      refuseStatusFilter(filter);
      if (hasTagCondition(filter)) throw badUserInput('filter.tags: cannot be used here: the tag query does not filter by status', 'filter.tags');
      const wanted = statusesOf(statuses, VAULT_STATUSES);
      const queries = wanted.map((s, i) => ({ ...vaultListQuery(filter), status: vaultStatus.write(s, `statuses[${i}]`), limit: 1 }));
      const pages = await Promise.all(queries.map((q) => loaders.vaultList.load(q)));
      return wanted.map((status, i) => ({ status, count: pages[i]!.count }));
    },
  },
};
