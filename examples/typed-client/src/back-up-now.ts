/**
 * Back up a vault now and wait for the task: the README's typed client example. `graphql(...)` returns a document
 * typed by `npm run codegen` (src/gql/): the result and variables types below are generated, not written.
 */
import { execute } from './client';
import { graphql } from './gql';
import type { BackUpNowMutation, TaskStatus } from './gql/graphql';

export const VaultByName = graphql(`
  query VaultByName($name: String!) {
    vaults(first: 1, filter: { name: $name }) { edges { node { id name } } }
  }
`);

export const BackUpNow = graphql(`
  mutation BackUpNow($vaultId: ID!, $name: String) {
    createRestorePoint(input: { vaultId: $vaultId, name: $name }) {
      restorePoint { id name status createdAt }
      task { id status progressPercent }
    }
  }
`);

export const TaskProgress = graphql(`
  query TaskProgress($id: ID!) {
    task(id: $id) { status progressPercent endedAt error { code message } }
  }
`);

const FINISHED: readonly TaskStatus[] = ['SUCCESS', 'SKIPPED', 'FAILED', 'TIMEOUT'];

/** Backs up the vault named `vaultName` and polls its task until it finishes; answers the task's last state. */
export async function backUpNow(endpoint: string, vaultName: string, pollMs = 1_000) {
  const found = await execute(endpoint, VaultByName, { name: vaultName });
  const vault = found.vaults?.edges[0]?.node;
  if (!vault) throw new Error(`no vault named ${vaultName}`);
  const started: BackUpNowMutation = await execute(endpoint, BackUpNow, { vaultId: vault.id, name: 'before-upgrade' });
  const taskId = started.createRestorePoint?.task?.id;
  if (!taskId) throw new Error('the backup started no task');
  for (;;) {
    const { task } = await execute(endpoint, TaskProgress, { id: taskId });
    // `status` is a union of the enum's values: a typo here would not compile.
    if (!task || FINISHED.includes(task.status)) return task;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
