/**
 * Backup loaders. By id: `GET /backups/{id}` (the API has no id filter on the list). Every other lookup is one page
 * of `GET /backups` per distinct query, shared by every field of the request that asks the same question:
 * the backups of a restore point (`checkpoint_id=`), the disk backups of a server backup (`parent_id=`), the newest
 * backup of a resource (`resource_id=…&limit=1&sort=created_at:desc`). Every list result primes the by-id loader;
 * a GET that answers a server backup with its children expanded (the API's GET example does) primes its children.
 */
import DataLoader from 'dataloader';
import type { CbrClient } from '../../upstream/client';
import type { Backup, BackupList, BackupListQuery } from '../../upstream/schemas/backup';
import { nullIfNotFound } from '../errors';
import { eachKey } from './each-key';
import { stableKey } from './keys';

export function createBackupLoaders(client: CbrClient) {
  const backup = new DataLoader<string, Backup | null>(
    eachKey(async (id) => {
      const found = await nullIfNotFound(client.getBackup(id));
      // An empty `children` proves nothing (lists answer it empty for server backups too): only a filled one is used.
      if (found?.children?.length) {
        backupChildren.prime(id, found.children);
        for (const child of found.children) backup.prime(child.id, child);
      }
      return found;
    }),
  );

  /** One page per distinct query (key order does not matter), once per request. */
  const backupList: DataLoader<BackupListQuery, BackupList, string> = new DataLoader(
    eachKey(async (query) => {
      const page = await client.listBackups(query);
      // List entries answer `children: []` even for server backups (doc examples); `Backup.children` never
      // reads that field, so a primed entry serves every field a GET would.
      for (const b of page.backups) backup.prime(b.id, b);
      return page;
    }),
    { cacheKeyFn: stableKey },
  );

  /**
   * The backups of a restore point: one `GET /backups?checkpoint_id=` each (there is no checkpoint list and the list
   * filter takes one id). A restore point holds at most 256 resources, below the list's default page of 1000.
   */
  const backupsByRestorePoint = new DataLoader<string, Backup[]>(eachKey(async (id) => (await backupList.load({ checkpoint_id: id })).backups));

  /** The disk backups of a server backup: `GET /backups?parent_id=` (the list shows them only when asked that way). */
  const backupChildren = new DataLoader<string, Backup[]>(eachKey(async (id) => (await backupList.load({ parent_id: id })).backups));

  /** The newest backup of a resource, or null. */
  const latestBackupByResource = new DataLoader<string, Backup | null>(
    eachKey(async (id) => (await backupList.load({ resource_id: id, limit: 1, sort: 'created_at:desc' })).backups[0] ?? null),
  );

  return {
    backup,
    backupList,
    backupsByRestorePoint,
    backupChildren,
    latestBackupByResource,
    /** Forgets everything read about backups: after a mutation, reads see the new state. */
    forgetBackups(): void {
      backup.clearAll();
      backupList.clearAll();
      backupsByRestorePoint.clearAll();
      backupChildren.clearAll();
      latestBackupByResource.clearAll();
    },
  };
}
