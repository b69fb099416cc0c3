/**
 * `Vault.backups` pages of one request, read by the plan of backup-plan.ts: the vaults asked for at once share one
 * project-wide page when the project is known to hold few backups, else each vault has its own `GET /backups?vault_id=`.
 * A project page answers only if it is complete (`count` ≤ the backups it holds); if not, the per-vault calls are made
 * after all. Every page goes through `backupList`, which primes the by-id loader; each vault's share is primed there
 * under its per-vault query, so a later identical question of the request costs nothing.
 */
import DataLoader from 'dataloader';
import type { Backup, BackupList, BackupListQuery } from '../../upstream/schemas/backup';
import type { Vault } from '../../upstream/schemas/vault';
import { backupsOfVaults, planVaultBackupPages, type ProjectPage } from './backup-plan';

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

export function createVaultBackupLoaders(
  backupList: DataLoader<BackupListQuery, BackupList, string>,
  projectVaults: () => readonly Vault[] | undefined,
) {
  /** One vault's share of a complete project page: the API's order kept (filtered, never re-sorted). */
  function share(all: readonly Backup[], key: BackupListQuery): BackupList {
    const mine = all.filter((b) => b.vault_id === key.vault_id);
    return { backups: mine.slice(0, key.limit ?? mine.length), count: mine.length, offset: 0, limit: key.limit };
  }

  /** The keys of one project page: split from it when complete, else each key's own call. */
  async function fromProjectPage(page: ProjectPage, keys: readonly BackupListQuery[]): Promise<Array<Promise<BackupList>>> {
    const answer = await backupList.load(page.query);
    const complete = answer.count <= answer.backups.length;
    return page.keys.map((i) => {
      const key = keys[i]!;
      if (!complete) return backupList.load(key);
      const own = share(answer.backups, key);
      backupList.prime(key, own);
      return Promise.resolve(own);
    });
  }

  const vaultBackupPage = new DataLoader<BackupListQuery, BackupList, string>(
    async (keys) => {
      const vaults = projectVaults();
      const plan = planVaultBackupPages(keys, vaults && backupsOfVaults(vaults));
      const answers = new Array<Promise<BackupList>>(keys.length);
      for (const i of plan.ownCalls) answers[i] = backupList.load(keys[i]!);
      for (const page of plan.projectPages) {
        const split = fromProjectPage(page, keys);
        // A failing project page fails each of its keys: each vault's field is nulled with that error, the vaults stand.
        page.keys.forEach((i, n) => (answers[i] = split.then((pages) => pages[n]!)));
      }
      return Promise.all(answers.map((answer) => answer.catch(asError)));
    },
    // Batches only: the pages are cached by `backupList` (forgotten with it after a mutation), so nothing here is.
    { cache: false },
  );

  return { vaultBackupPage };
}
