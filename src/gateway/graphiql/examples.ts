/**
 * The example operations GraphiQL opens on: one tab per task a user of this API has (examples/*.graphql), with
 * variables taken from the caller's own account (example-ids.ts), so that each runs as it opens.
 */
import { readFileSync } from 'node:fs';

/** Ids of the caller's account the examples' variables need; a missing one is left as a note to replace. */
export interface ExampleIds {
  /** A vault to back up now and to apply a policy to: one without a backup policy when there is one. */
  vaultId?: string;
  /** An existing backup policy. */
  policyId?: string;
  /** The newest available disk backup and the disk it was taken of (restore). */
  diskBackupId?: string;
  volumeId?: string;
  /** The newest available server backup (share). */
  serverBackupId?: string;
  /** Another project of the account to share with (with the embedded emulator: the demo's second project). */
  shareProjectId?: string;
}

export interface ExampleTab {
  /** File name in examples/, without `.graphql`. */
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

const EXAMPLES_DIR = new URL('./examples/', import.meta.url);

/** An example's document, as in examples/<name>.graphql. */
export function exampleDocument(name: string): string {
  return readFileSync(new URL(`${name}.graphql`, EXAMPLES_DIR), 'utf8');
}

/** Placeholder for an id the account lacks (e.g. no disk backup yet): refused as BAD_USER_INPUT, and says why. */
const missing = (what: string) => `replace with ${what}`;

/** The tabs, in the order GraphiQL shows them. */
export function exampleTabs(ids: ExampleIds): ExampleTab[] {
  const vaultId = ids.vaultId ?? missing('a vault id (Dashboard tab)');
  return [
    { name: 'dashboard', variables: {} },
    { name: 'back-up-now', variables: { vaultId } },
    {
      name: 'restore-backup',
      variables: { backupId: ids.diskBackupId ?? missing('a disk backup id (ListDiskBackups)'), volumeId: ids.volumeId ?? missing('its resourceId') },
    },
    {
      name: 'share-backup',
      variables: {
        backupId: ids.serverBackupId ?? missing('a backup id'),
        projectId: ids.shareProjectId ?? missing('the id of the project to share with'),
      },
    },
    { name: 'policy', variables: { vaultId, policyId: ids.policyId ?? missing('a policy id (CreatePolicy answers one)') } },
    { name: 'page-through-backups', variables: { first: 10, after: null } },
  ].map((tab) => ({ ...tab, query: exampleDocument(tab.name) }));
}
