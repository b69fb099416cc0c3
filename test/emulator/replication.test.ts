/**
 * Backup replication over REST: a server backup copied into a replication vault of another project (the emulator's
 * second region), protecting → available with its disk backups, a restore point, the source's replication record
 * and a replication task; and the documented refusals.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_A, PROJECT_B, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { addServer, addVault, addVolume, backupsOf, createCheckpoint, T0 } from '../helpers/builders';
import { policyCreate } from '../helpers/cbr';

const base = `/v3/${PROJECT_A}`;
let emu: TestEmulator;
afterEach(() => emu?.close());

async function setup(lifecycle: 'immediate' | 'manual') {
  emu = await startTestEmulator({ lifecycle, clock: { mode: 'frozen', start: T0 } });
  const server = addServer(emu.emulator, PROJECT_A, { name: 'web-1', disks: [{ sizeGb: 40 }, { sizeGb: 20, bootable: false }] });
  const vault = addVault(emu.emulator, PROJECT_A, { resources: [server], size: 1000 });
  const checkpoint = await createCheckpoint(emu, PROJECT_A, vault.id, { name: 'golden' });
  if (lifecycle === 'manual') {
    emu.emulator.clock.advance(1000);
    emu.emulator.clock.advance(1000);
  }
  const [backup] = await backupsOf(emu, PROJECT_A, checkpoint.id);
  const target = addVault(emu.emulator, PROJECT_B, { objectType: 'server', size: 500, name: 'replica-vault' });
  emu.emulator.state.project(PROJECT_B).vaults.get(target.id)!.billing.protect_type = 'replication';
  const replicate = { destination_project_id: PROJECT_B, destination_region: 'eu-nl', destination_vault_id: target.id };
  return { server, vault, backup, target, replicate };
}

describe('POST /backups/{id}/replicate', () => {
  it('answers 200 with the replication, then copies the backup into the destination vault (manual mode)', async () => {
    const { backup, target, replicate } = await setup('manual');
    const res = await emu.call('POST', `${base}/backups/${backup.id}/replicate`, { replicate: { ...replicate, name: 'copy-1' } });
    expect([res.status, res.body]).toEqual([
      200,
      { replication: { backup_id: backup.id, destination_project_id: PROJECT_B, destination_region: 'eu-nl', project_id: PROJECT_A, provider_id: backup.provider_id, source_region: 'eu-de' } },
    ]);
    const asB = { token: emu.otherProject.token };
    const copies = (await emu.call('GET', `/v3/${PROJECT_B}/backups?vault_id=${target.id}`, undefined, asB)).body.backups;
    expect(copies.map((b: any) => [b.name, b.status, b.image_type])).toEqual([['copy-1', 'protecting', 'replication']]);
    // Lists answer children: []; the GET expands the two disk backups.
    expect((await emu.call('GET', `/v3/${PROJECT_B}/backups/${copies[0].id}`, undefined, asB)).body.backup.children).toHaveLength(2);
    const source = (await emu.call('GET', `${base}/backups/${backup.id}`)).body.backup;
    expect(source.replication_records).toEqual([
      expect.objectContaining({ destination_backup_id: copies[0].id, destination_project_id: PROJECT_B, destination_region: 'eu-nl', destination_vault_id: target.id, status: 'replicating' }),
    ]);
    const task = (await emu.call('GET', `${base}/operation-logs?operation_type=replication`)).body.operation_logs[0];
    expect(task).toMatchObject({ status: 'running', extra_info: { replication: { source_backup_id: backup.id, destination_backup_id: copies[0].id } } });

    emu.emulator.clock.advance(1000);
    const done = (await emu.call('GET', `/v3/${PROJECT_B}/backups/${copies[0].id}`, undefined, asB)).body.backup;
    expect([done.status, done.children.map((c: any) => c.status)]).toEqual(['available', ['available', 'available']]);
    const checkpoint = (await emu.call('GET', `/v3/${PROJECT_B}/checkpoints/${done.checkpoint_id}`, undefined, asB)).body.checkpoint;
    expect(checkpoint.status).toBe('available');
    expect((await emu.call('GET', `${base}/backups/${backup.id}`)).body.backup.replication_records[0]).toMatchObject({ status: 'success', extra_info: { progress: 100 } });
    expect((await emu.call('GET', `${base}/operation-logs/${task.id}`)).body.operation_log.status).toBe('success');
  });

  it('refuses an unknown backup (6200), a disk backup (6122), an unknown or non-replication vault (6120, 6119), a full one (6129)', async () => {
    const { backup, target, replicate } = await setup('immediate');
    const code = async (id: string, body: object) => {
      const res = await emu.call('POST', `${base}/backups/${id}/replicate`, { replicate: body });
      return [res.status, res.body.error_code];
    };
    expect(await code('nope', replicate)).toEqual([404, 'BackupService.6200']);
    const volume = addVolume(emu.emulator, PROJECT_A);
    const diskVault = addVault(emu.emulator, PROJECT_A, { resources: [volume] });
    const [diskBackup] = await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, diskVault.id)).id);
    expect(await code(diskBackup.id, replicate)).toEqual([400, 'BackupService.6122']);
    expect(await code(backup.id, { ...replicate, destination_vault_id: 'nope' })).toEqual([400, 'BackupService.6120']);
    expect(await code(backup.id, { ...replicate, destination_project_id: 'nope' })).toEqual([400, 'BackupService.6120']);
    const plain = addVault(emu.emulator, PROJECT_B, { objectType: 'server' });
    expect(await code(backup.id, { ...replicate, destination_vault_id: plain.id })).toEqual([400, 'BackupService.6119']);
    emu.emulator.state.project(PROJECT_B).vaults.get(target.id)!.billing.size = 10;
    expect(await code(backup.id, replicate)).toEqual([400, 'BackupService.6129']);
    expect(await code(backup.id, { destination_region: 'eu-nl' })).toEqual([400, 'BackupService.9900']);
  });
});

describe('replication policies', () => {
  it('fire on their schedule and copy the bound vault\'s backups not yet replicated, marked auto_trigger', async () => {
    const { vault, backup, target } = await setup('immediate');
    // T0 is 08:00 UTC; the policy fires at 09:00.
    const created = await emu.call('POST', `${base}/policies`, {
      policy: policyCreate({
        name: 'to-nl',
        operation_type: 'replication',
        operation_definition: { destination_project_id: PROJECT_B, destination_region: 'eu-nl' },
        trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=09;BYMINUTE=00'] } },
      }),
    });
    expect(created.status).toBe(200);
    const bound = await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: created.body.policy.id, destination_vault_id: target.id });
    expect(bound.status).toBe(200);
    expect(emu.emulator.state.project(PROJECT_B).backups.size).toBe(0);

    emu.emulator.clock.advance(3600_000);
    const records = emu.emulator.state.project(PROJECT_A).backups.get(backup.id)!.replication_records!;
    expect(records).toEqual([expect.objectContaining({ status: 'success', destination_vault_id: target.id, extra_info: expect.objectContaining({ auto_trigger: true }) })]);
    const copies = [...emu.emulator.state.project(PROJECT_B).backups.values()].filter((b) => !b.parent_id);
    expect(copies.map((b) => [b.vault_id, b.status, b.image_type])).toEqual([[target.id, 'available', 'replication']]);

    // The next day's run finds nothing new to copy.
    emu.emulator.clock.advance(24 * 3600_000);
    expect([...emu.emulator.state.project(PROJECT_B).backups.values()].filter((b) => !b.parent_id)).toHaveLength(1);
  });
});

describe('POST /checkpoints/replicate', () => {
  it('copies every backup of the vault not replicated yet and answers each with its record; a second call copies none', async () => {
    const { vault, backup, target, replicate } = await setup('immediate');
    const res = await emu.call('POST', `${base}/checkpoints/replicate`, { replicate: { ...replicate, vault_id: vault.id } });
    const recordId = emu.emulator.state.project(PROJECT_A).backups.get(backup.id)!.replication_records![0]!.id;
    expect([res.status, res.body]).toEqual([
      200,
      {
        replication: {
          backups: [{ backup_id: backup.id, replication_record_id: recordId }],
          destination_project_id: PROJECT_B,
          destination_region: 'eu-nl',
          destination_vault_id: target.id,
          project_id: PROJECT_A,
          provider_id: vault.provider_id,
          source_region: 'eu-de',
          vault_id: vault.id,
        },
      },
    ]);
    const again = await emu.call('POST', `${base}/checkpoints/replicate`, { replicate: { ...replicate, vault_id: vault.id } });
    expect(again.body.replication.backups).toEqual([]);
    const unknown = await emu.call('POST', `${base}/checkpoints/replicate`, { replicate: { ...replicate, vault_id: 'nope' } });
    expect([unknown.status, unknown.body.error_code]).toEqual([404, 'BackupService.6105']);
  });
});
