/**
 * Backup replication end to end: replicateBackup copies a server backup into a replication vault of the second
 * project, answering the source backup with its new replication record and the replication task; the refusals carry
 * the upstream code; bad ids are refused before any call.
 */
import { describe, expect, it } from 'vitest';
import { addServer, addVault, backupsOf, createCheckpoint, T0 } from '../helpers/builders';
import { PROJECT_A, PROJECT_B } from '../helpers/emulator';
import { expectBadInput } from '../helpers/graphql';
import { useStack } from '../helpers/stack';

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

const REPLICATE = /* GraphQL */ `
  mutation ($input: ReplicateBackupInput!) {
    replicateBackup(input: $input) {
      destinationProjectId
      destinationRegion
      sourceRegion
      backup { id replicationRecords { status destinationProjectId destinationRegion destinationVaultId destinationBackupId progressPercent } }
      task { operationType status replicationDetails { sourceBackupId destinationBackupId destinationRegion } }
    }
  }
`;

async function setup() {
  const emu = stack.emu.emulator;
  const server = addServer(emu, P, { name: 'web-1' });
  const vault = addVault(emu, P, { resources: [server], size: 1000 });
  const [backup] = await backupsOf(stack.emu, P, (await createCheckpoint(stack.emu, P, vault.id)).id);
  const target = addVault(emu, PROJECT_B, { objectType: 'server', size: 500, name: 'replicas' });
  emu.state.project(PROJECT_B).vaults.get(target.id)!.billing.protect_type = 'replication';
  stack.clearCalls();
  return { backupId: backup.id as string, targetId: target.id };
}

describe('replicateBackup', () => {
  it('copies a backup to the second project and answers its record and task: the POST, then two reads at once', async () => {
    const { backupId, targetId } = await setup();
    const res = await stack.execute(REPLICATE, {
      input: { backupId, destinationProjectId: PROJECT_B, destinationRegion: 'eu-nl', destinationVaultId: targetId },
    });
    const copyId = [...stack.emu.emulator.state.project(PROJECT_B).backups.values()].find((b) => !b.parent_id)!.id;
    expect(res).toEqual({
      data: {
        replicateBackup: {
          destinationProjectId: PROJECT_B,
          destinationRegion: 'eu-nl',
          sourceRegion: 'eu-de',
          backup: {
            id: backupId,
            replicationRecords: [
              { status: 'SUCCESS', destinationProjectId: PROJECT_B, destinationRegion: 'eu-nl', destinationVaultId: targetId, destinationBackupId: copyId, progressPercent: 100 },
            ],
          },
          task: { operationType: 'REPLICATION', status: 'SUCCESS', replicationDetails: { sourceBackupId: backupId, destinationBackupId: copyId, destinationRegion: 'eu-nl' } },
        },
      },
    });
    expect(stack.calls()[0]).toBe(`POST /v3/${P}/backups/${backupId}/replicate`);
    expect(stack.calls().slice(1).sort()).toEqual([`GET /v3/${P}/backups/${backupId}`, `GET /v3/${P}/operation-logs?operation_type=replication`]);
  });

  it('passes the refusal of a vault that is not for replication on with its code (6119)', async () => {
    const { backupId } = await setup();
    const plain = addVault(stack.emu.emulator, PROJECT_B, { objectType: 'server' });
    const res = await stack.execute(REPLICATE, { input: { backupId, destinationProjectId: PROJECT_B, destinationRegion: 'eu-nl', destinationVaultId: plain.id } });
    expect(res.data).toEqual({ replicateBackup: null });
    expect(res.errors?.[0]).toMatchObject({
      message: 'The destination vault does not support replication.',
      path: ['replicateBackup'],
      extensions: { code: 'BAD_USER_INPUT', upstream: { status: 400, code: 'BackupService.6119' } },
    });
  });

  it('refuses a malformed id and an empty region before any call, naming the input path', async () => {
    const badId = await stack.execute(REPLICATE, { input: { backupId: 'a/b', destinationProjectId: PROJECT_B, destinationRegion: 'eu-nl', destinationVaultId: 'v' } });
    expect(badId.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.backupId' });
    const region = await stack.execute(REPLICATE, { input: { backupId: 'b', destinationProjectId: PROJECT_B, destinationRegion: '', destinationVaultId: 'v' } });
    expectBadInput(region, { field: 'input.destinationRegion', message: 'input.destinationRegion: Too small: expected string to have >=1 characters' });
    expect(stack.calls()).toEqual([]);
  });
});

describe('replicateRestorePoint', () => {
  const REPLICATE_VAULT = /* GraphQL */ `
    mutation ($input: ReplicateRestorePointInput!) {
      replicateRestorePoint(input: $input) {
        destinationVaultId
        vault { id }
        backups { id replicationRecords { status destinationVaultId } }
      }
    }
  `;

  it('copies the vault\'s unreplicated backups: the POST, then one backup list and the vault; a second run copies none', async () => {
    const { backupId, targetId } = await setup();
    const vaultId = stack.emu.emulator.state.project(P).backups.get(backupId)!.vault_id;
    const input = { vaultId, destinationProjectId: PROJECT_B, destinationRegion: 'eu-nl', destinationVaultId: targetId };
    const res = await stack.execute(REPLICATE_VAULT, { input });
    expect(res).toEqual({
      data: {
        replicateRestorePoint: {
          destinationVaultId: targetId,
          vault: { id: vaultId },
          backups: [{ id: backupId, replicationRecords: [{ status: 'SUCCESS', destinationVaultId: targetId }] }],
        },
      },
    });
    expect(stack.calls()[0]).toBe(`POST /v3/${P}/checkpoints/replicate`);
    expect(stack.calls().slice(1).sort()).toEqual([
      `GET /v3/${P}/backups?vault_id=${vaultId}&limit=1000`,
      `GET /v3/${P}/vaults/${vaultId}`,
    ]);
    stack.clearCalls();
    const again = await stack.execute(`mutation ($input: ReplicateRestorePointInput!) { replicateRestorePoint(input: $input) { backups { id } } }`, { input });
    expect(again).toEqual({ data: { replicateRestorePoint: { backups: [] } } });
    expect(stack.calls()).toEqual([`POST /v3/${P}/checkpoints/replicate`]);
  });
});
