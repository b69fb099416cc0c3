/**
 * The plan for the `Vault.backups` pages one request asks for at once: the list's `vault_id` filter takes one vault,
 * so N vaults cost N calls; when the request already knows the project holds few backups, ONE project-wide page
 * (`GET /backups?sort=…&limit=…`) holds every vault's backups and is split by `vault_id` instead. A pure function of
 * the keys and what is known (tested by a table); `vault-backups.ts` runs the plan and checks the answer is complete,
 * so a wrong estimate costs a call, never a wrong result.
 */
import type { BackupListQuery } from '../../upstream/schemas/backup';
import type { Vault } from '../../upstream/schemas/vault';

/**
 * Most backups a project may hold, by the request's estimate, for one project-wide page to replace per-vault pages;
 * also that page's `limit`. Measured (README, Performance): below it the project page saves calls at no CPU cost worth
 * counting; a page of hundreds of backups costs the gateway more parse CPU than the calls it saves.
 */
export const PROJECT_PAGE_MAX_BACKUPS = 100;

/** One project-wide page and the keys (indexes into the batch) it answers. */
export interface ProjectPage {
  query: BackupListQuery;
  keys: number[];
}

export interface VaultBackupPlan {
  projectPages: ProjectPage[];
  /** Keys (indexes) read with their own call, as without a plan. */
  ownCalls: number[];
}

/** Query parameters a key may have and still be answered from a project page: the vault, the order, the page length. */
const PLANNABLE = new Set(['vault_id', 'sort', 'limit']);

function plannable(key: BackupListQuery): boolean {
  if (key.vault_id === undefined) return false;
  for (const [name, value] of Object.entries(key)) if (value !== undefined && !PLANNABLE.has(name)) return false;
  return true;
}

/**
 * Which keys share a project page: keys with only a vault, an order and a length (no `offset`: a later page of one
 * vault is not the first N of a project page's share), grouped by order, in groups of two vaults or more, when the
 * project's backups are known to be at most `maxBackups`. Everything else keeps its own call.
 */
export function planVaultBackupPages(
  keys: readonly BackupListQuery[],
  projectBackups: number | undefined,
  maxBackups = PROJECT_PAGE_MAX_BACKUPS,
): VaultBackupPlan {
  const ownCalls: number[] = [];
  const bySort = new Map<string | undefined, number[]>();
  const known = projectBackups !== undefined && projectBackups <= maxBackups;
  keys.forEach((key, i) => {
    if (!known || !plannable(key)) return void ownCalls.push(i);
    const group = bySort.get(key.sort);
    if (group) group.push(i);
    else bySort.set(key.sort, [i]);
  });
  const projectPages: ProjectPage[] = [];
  for (const [sort, group] of bySort) {
    if (new Set(group.map((i) => keys[i]!.vault_id)).size < 2) {
      ownCalls.push(...group);
      continue;
    }
    projectPages.push({ query: sort === undefined ? { limit: maxBackups } : { sort, limit: maxBackups }, keys: group });
  }
  ownCalls.sort((a, b) => a - b);
  return { projectPages, ownCalls };
}

/**
 * The project's backups as a complete vault list counts them (the sum of its resources' `backup_count`), or undefined
 * when a count is missing. Backups of resources no longer in their vault are not counted: the runner's completeness
 * check catches that.
 */
export function backupsOfVaults(vaults: readonly Vault[]): number | undefined {
  let total = 0;
  for (const vault of vaults) {
    for (const resource of vault.resources) {
      if (resource.backup_count === undefined || resource.backup_count === null) return undefined;
      total += resource.backup_count;
    }
  }
  return total;
}
