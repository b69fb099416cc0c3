import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_A, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { addServer, addTurbo, addVault, addVolume, backupsOf, createCheckpoint, T0 } from '../helpers/builders';

const base = `/v3/${PROJECT_A}`;
let emu: TestEmulator;
afterEach(() => emu?.close());

const immediate = () => startTestEmulator({ lifecycle: 'immediate', clock: { mode: 'frozen', start: T0 } });
const manual = () => startTestEmulator({ lifecycle: 'manual', clock: { mode: 'frozen', start: T0 } });

async function expectError(res: { status: number; body: any }, status: number, code: string, message: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error_code: code, error_msg: message });
}

describe('POST /checkpoints', () => {
  it('answers the restore point as protecting, with the vault resources and extra_info', async () => {
    emu = await manual();
    const server = addServer(emu.emulator, PROJECT_A, { disks: [{ sizeGb: 40, bootable: true }, { sizeGb: 10, bootable: false }] });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [server] });
    const res = await emu.call('POST', `${base}/checkpoints`, {
      checkpoint: { vault_id: vault.id, parameters: { name: 'backup_name', description: 'backup_description', incremental: true } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      checkpoint: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        project_id: PROJECT_A,
        status: 'protecting',
        created_at: '2024-03-01T08:00:00.000000',
        vault: {
          id: vault.id,
          name: 'vault-test',
          resources: [
            {
              id: server.id,
              type: 'OS::Nova::Server',
              name: 'ecs-test',
              extra_info: '{}',
              resource_size: '50',
              backup_size: '0',
              backup_count: '0',
              protect_status: 'protecting',
            },
          ],
          skipped_resources: [],
        },
        extra_info: { name: 'backup_name', description: 'backup_description', retention_duration: -1 },
      },
    });
  });

  it('runs protecting → available in manual mode: backups, task progress 0 → 50 → 100, resource protect_status', async () => {
    emu = await manual();
    const server = addServer(emu.emulator, PROJECT_A, { disks: [{ sizeGb: 40, bootable: true }, { sizeGb: 10, bootable: false }] });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [server] });
    const checkpoint = await createCheckpoint(emu, PROJECT_A, vault.id, { name: 'bk' });
    const vaultResource = () => emu.emulator.state.project(PROJECT_A).vaults.get(vault.id)!.resources[0]!;

    const [backup] = await backupsOf(emu, PROJECT_A, checkpoint.id);
    expect(backup).toMatchObject({ status: 'protecting', protected_at: null, name: 'bk', children: [] });
    const tasks = (await emu.call('GET', `${base}/operation-logs`)).body.operation_logs;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ operation_type: 'backup', status: 'running', checkpoint_id: checkpoint.id, extra_info: { common: { progress: 0 } } });
    expect(vaultResource().protect_status).toBe('protecting');

    emu.emulator.clock.advance(1000);
    expect((await emu.call('GET', `${base}/operation-logs/${tasks[0].id}`)).body.operation_log).toMatchObject({
      status: 'running',
      extra_info: { common: { progress: 50 } },
    });
    expect((await emu.call('GET', `${base}/checkpoints/${checkpoint.id}`)).body.checkpoint.status).toBe('protecting');

    emu.emulator.clock.advance(1000);
    const done = (await emu.call('GET', `${base}/checkpoints/${checkpoint.id}`)).body.checkpoint;
    expect(done.status).toBe('available');
    expect(done.vault.resources[0]).toMatchObject({ protect_status: 'available', backup_count: '1', backup_size: '50' });
    const full = (await emu.call('GET', `${base}/backups/${backup.id}`)).body.backup;
    expect(full.status).toBe('available');
    expect(full.protected_at).toBe('2024-03-01T08:00:02.000000');
    expect(full.children.map((c: any) => c.status)).toEqual(['available', 'available']);
    expect((await emu.call('GET', `${base}/operation-logs/${tasks[0].id}`)).body.operation_log).toMatchObject({
      status: 'success',
      ended_at: '2024-03-01T08:00:02Z',
      error_info: { code: '', message: '' },
      extra_info: { common: { progress: 100 }, backup: { backup_id: backup.id, backup_name: 'bk', incremental: 'false' } },
    });
    expect(vaultResource().protect_status).toBe('available');
  });

  it('gives a server backup one child per disk, leaving out exclude_volumes', async () => {
    emu = await immediate();
    const server = addServer(emu.emulator, PROJECT_A, {
      name: 'ecs-1',
      disks: [
        { name: 'sys', sizeGb: 40, bootable: true },
        { name: 'data', sizeGb: 100, bootable: false },
        { name: 'scratch', sizeGb: 500, bootable: false },
      ],
    });
    const scratch = server.disks![2]!.id;
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [server], excludeVolumes: [scratch] });
    const checkpoint = await createCheckpoint(emu, PROJECT_A, vault.id, { name: 'bk' });
    expect(checkpoint.vault.resources[0].extra_info).toBe(JSON.stringify({ exclude_volumes: [scratch] }));
    const [listed] = await backupsOf(emu, PROJECT_A, checkpoint.id);
    const backup = (await emu.call('GET', `${base}/backups/${listed.id}`)).body.backup;
    expect(backup.resource_size).toBe(140);
    expect(backup.extend_info).toEqual({
      auto_trigger: false,
      incremental: false,
      encrypted: false,
      is_multi_az: false,
      os_images_data: null,
      supported_restore_mode: 'backup',
      contain_system_disk: true,
      support_lld: true,
      system_disk: false,
      bootable: null,
      snapshot_id: null,
    });
    expect(backup.children).toHaveLength(2);
    expect(backup.children[0]).toEqual({
      id: expect.any(String),
      name: 'bk_sys',
      description: null,
      status: 'available',
      checkpoint_id: checkpoint.id,
      project_id: PROJECT_A,
      vault_id: vault.id,
      parent_id: backup.id,
      provider_id: '0daac4c5-6707-4851-97ba-169e36266b66',
      image_type: 'backup',
      resource_id: server.disks![0]!.id,
      resource_name: 'sys',
      resource_type: 'OS::Cinder::Volume',
      resource_size: 40,
      resource_az: 'eu-de-01',
      created_at: '2024-03-01T08:00:00.000000',
      updated_at: '2024-03-01T08:00:00.000000',
      protected_at: '2024-03-01T08:00:00.000000',
      expired_at: null,
      enterprise_project_id: '0',
      incremental: false,
      extend_info: {
        auto_trigger: false,
        bootable: true,
        system_disk: true,
        incremental: false,
        snapshot_id: expect.any(String),
        support_lld: true,
        encrypted: false,
        supported_restore_mode: null,
        os_images_data: null,
        is_multi_az: false,
      },
      replication_records: [],
      children: [],
    });
    expect(backup.children[1]).toMatchObject({ name: 'bk_data', resource_size: 100, extend_info: { bootable: false, system_disk: false } });
  });

  it('backs up a disk with the disk provider and a snapshot id, and an SFS Turbo without lazy loading', async () => {
    emu = await immediate();
    const volume = addVolume(emu.emulator, PROJECT_A, { name: 'evs-1', sizeGb: 20 });
    const turbo = addTurbo(emu.emulator, PROJECT_A, { name: 'turbo-1', sizeGb: 500 });
    const disks = addVault(emu.emulator, PROJECT_A, { resources: [volume] });
    const files = addVault(emu.emulator, PROJECT_A, { resources: [turbo], size: 1000 });
    const [disk] = await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, disks.id)).id);
    const [file] = await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, files.id)).id);
    expect(disk).toMatchObject({
      resource_type: 'OS::Cinder::Volume',
      provider_id: 'd1603440-187d-4516-af25-121250c7cc97',
      resource_size: 20,
      parent_id: null,
      extend_info: { bootable: false, snapshot_id: expect.any(String), supported_restore_mode: 'backup', support_lld: true },
    });
    expect(file).toMatchObject({
      resource_type: 'OS::Sfs::Turbo',
      provider_id: '3f3c3220-245c-4805-b811-758870015881',
      resource_size: 500,
      extend_info: { support_lld: false, supported_restore_mode: 'backup' },
    });
  });

  it('names unnamed backups manualbk_xxxx, or autobk_xxxx when auto-triggered', async () => {
    emu = await immediate();
    const volume = addVolume(emu.emulator, PROJECT_A);
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [volume] });
    const manualOne = await createCheckpoint(emu, PROJECT_A, vault.id);
    const autoOne = await createCheckpoint(emu, PROJECT_A, vault.id, { auto_trigger: true });
    expect(manualOne.extra_info.name).toMatch(/^manualbk_[0-9a-f]{4}$/);
    const [auto] = await backupsOf(emu, PROJECT_A, autoOne.id);
    expect(auto.name).toMatch(/^autobk_[0-9a-f]{4}$/);
    expect(auto.extend_info.auto_trigger).toBe(true);
  });

  it('makes a backup incremental once the resource has an available backup, unless incremental is false', async () => {
    emu = await immediate();
    const volume = addVolume(emu.emulator, PROJECT_A);
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [volume] });
    const first = (await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, vault.id)).id))[0];
    const second = (await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, vault.id)).id))[0];
    const full = (await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, vault.id, { incremental: false })).id))[0];
    expect([first.incremental, second.incremental, full.incremental]).toEqual([false, true, false]);
    expect([first.extend_info.incremental, second.extend_info.incremental]).toEqual([false, true]);
    const tasks = (await emu.call('GET', `${base}/operation-logs?operation_type=backup`)).body.operation_logs;
    expect(tasks.map((t: any) => t.extra_info.backup.incremental)).toEqual(['false', 'true', 'false']);
  });

  it('takes exclude_volumes of a resource_details entry for this backup only, and names them in the task resource', async () => {
    emu = await immediate();
    const server = addServer(emu.emulator, PROJECT_A, { disks: [{ sizeGb: 40, bootable: true }, { sizeGb: 100, bootable: false }] });
    const data = server.disks![1]!.id;
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [server] });
    const res = await emu.call('POST', `${base}/checkpoints`, {
      checkpoint: { vault_id: vault.id, parameters: { resource_details: [{ id: server.id, type: 'OS::Nova::Server', extra_info: { exclude_volumes: [data] } }] } },
    });
    expect(res.status).toBe(200);
    expect(res.body.checkpoint.vault.resources[0].extra_info).toBe(JSON.stringify({ exclude_volumes: [data] }));
    const [listed] = await backupsOf(emu, PROJECT_A, res.body.checkpoint.id);
    const backup = (await emu.call('GET', `${base}/backups/${listed.id}`)).body.backup;
    expect([backup.resource_size, backup.children.length]).toEqual([40, 1]);
    const task = (await emu.call('GET', `${base}/operation-logs?operation_type=backup`)).body.operation_logs[0];
    expect(task.extra_info.resource).toEqual({ id: server.id, type: 'OS::Nova::Server', name: server.name, extra_info: { exclude_volumes: [data] } });
    // The vault keeps its own (no) exclusions.
    expect((await emu.call('GET', `${base}/vaults/${vault.id}`)).body.vault.resources[0].extra_info ?? {}).toEqual({});
  });

  it('backs up only the resources named by resources or resource_details', async () => {
    emu = await immediate();
    const [v1, v2, v3] = [1, 2, 3].map((i) => addVolume(emu.emulator, PROJECT_A, { name: `evs-${i}` }));
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [v1!, v2!, v3!] });
    const byIds = await createCheckpoint(emu, PROJECT_A, vault.id, { resources: [v1!.id] });
    expect(byIds.vault.resources.map((r: any) => r.id)).toEqual([v1!.id]);
    const byDetails = await createCheckpoint(emu, PROJECT_A, vault.id, {
      resource_details: [{ id: v2!.id, type: 'OS::Cinder::Volume', name: 'evs-2' }],
    });
    expect((await backupsOf(emu, PROJECT_A, byDetails.id)).map((b) => b.resource_id)).toEqual([v2!.id]);
  });

  it('refuses a resource declared with a type other than its own (6102, as addresources does) and backs up nothing', async () => {
    emu = await immediate();
    const disk = addVolume(emu.emulator, PROJECT_A);
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [disk] });
    const res = await emu.call('POST', `${base}/checkpoints`, {
      checkpoint: { vault_id: vault.id, parameters: { resource_details: [{ id: disk.id, type: 'OS::Nova::Server' }] } },
    });
    await expectError(res, 400, 'BackupService.6102', 'The vault does not support this resource type.');
    expect((await emu.call('GET', `${base}/backups?vault_id=${vault.id}`)).body.count).toBe(0);
    expect((await emu.call('GET', `${base}/operation-logs?operation_type=backup`)).body.count).toBe(0);
    // `resources` is a list of UUIDs (Table 4-79), so an object there is a parameter error, not a typed resource
    const objects = await emu.call('POST', `${base}/checkpoints`, {
      checkpoint: { vault_id: vault.id, parameters: { resources: [{ id: disk.id, type: 'OS::Nova::Server' }] } },
    });
    await expectError(objects, 400, 'BackupService.9900', 'Parameter verification failed: checkpoint.parameters.resources.0 must be a string');
  });

  it('checks the declared type before the membership: another kind is 6102 for any id, an id the vault lacks of its own kind 6135', async () => {
    emu = await immediate();
    const disk = addVolume(emu.emulator, PROJECT_A);
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [disk] });
    const detail = (id: string, type: string) =>
      emu.call('POST', `${base}/checkpoints`, { checkpoint: { vault_id: vault.id, parameters: { resource_details: [{ id, type }] } } });
    const stranger = '3b5816b5-f29c-4172-9d9a-76c719a659ce';
    await expectError(await detail(stranger, 'OS::Sfs::Turbo'), 400, 'BackupService.6102', 'The vault does not support this resource type.');
    await expectError(await detail(stranger, 'OS::Cinder::Volume'), 400, 'BackupService.6135', `The resource does not exist in the vault: resource ${stranger}`);
    expect((await detail(disk.id, 'OS::Cinder::Volume')).status).toBe(200);
  });

  it('answers 404 BackupService.6105 for an unknown vault', async () => {
    emu = await immediate();
    const res = await emu.call('POST', `${base}/checkpoints`, { checkpoint: { vault_id: '3b5816b5-f29c-4172-9d9a-76c719a659ce' } });
    await expectError(res, 404, 'BackupService.6105', 'The vault does not exist.');
  });

  it('answers BackupService.0001 for a vault without resources', async () => {
    emu = await immediate();
    const vault = addVault(emu.emulator, PROJECT_A);
    const res = await emu.call('POST', `${base}/checkpoints`, { checkpoint: { vault_id: vault.id } });
    await expectError(res, 400, 'BackupService.0001', 'No resource is available for backup.');
  });

  it('answers BackupService.6113 for a vault that is being deleted', async () => {
    emu = await immediate();
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [addVolume(emu.emulator, PROJECT_A)], status: 'deleting' });
    const res = await emu.call('POST', `${base}/checkpoints`, { checkpoint: { vault_id: vault.id } });
    await expectError(res, 400, 'BackupService.6113', 'Backup is not allowed in the current vault status: the vault is deleting');
  });

  it('answers BackupService.6124 for a replication vault', async () => {
    emu = await immediate();
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [addVolume(emu.emulator, PROJECT_A)], protectType: 'replication' });
    const res = await emu.call('POST', `${base}/checkpoints`, { checkpoint: { vault_id: vault.id } });
    await expectError(res, 400, 'BackupService.6124', 'Backup is not allowed for the current type of vaults.');
  });

  it('answers BackupService.6135 for a resource that is not in the vault', async () => {
    emu = await immediate();
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [addVolume(emu.emulator, PROJECT_A)] });
    const stranger = addVolume(emu.emulator, PROJECT_A);
    const res = await emu.call('POST', `${base}/checkpoints`, { checkpoint: { vault_id: vault.id, parameters: { resources: [stranger.id] } } });
    await expectError(res, 400, 'BackupService.6135', `The resource does not exist in the vault: resource ${stranger.id}`);
  });

  it('skips a resource that is being backed up (BackupService.0002), and answers 6125 when nothing is left', async () => {
    emu = await manual();
    const [v1, v2] = [addVolume(emu.emulator, PROJECT_A), addVolume(emu.emulator, PROJECT_A, { name: 'evs-2' })];
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [v1!, v2!] });
    await createCheckpoint(emu, PROJECT_A, vault.id, { resources: [v1!.id] });
    const second = await createCheckpoint(emu, PROJECT_A, vault.id);
    expect(second.vault.resources.map((r: any) => r.id)).toEqual([v2!.id]);
    expect(second.vault.skipped_resources).toEqual([
      { id: v1!.id, type: 'OS::Cinder::Volume', name: 'evs-test', code: 'BackupService.0002', reason: 'Resources are being backed up.' },
    ]);
    const third = await emu.call('POST', `${base}/checkpoints`, { checkpoint: { vault_id: vault.id, parameters: { resources: [v1!.id] } } });
    await expectError(third, 400, 'BackupService.6125', 'A backup task is in progress.');
  });

  it('fails the backup (error, task failed with 6114) when the vault has no capacity left', async () => {
    emu = await immediate();
    const server = addServer(emu.emulator, PROJECT_A, { disks: [{ sizeGb: 50, bootable: true }] });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [server], size: 60 });
    const ok = await createCheckpoint(emu, PROJECT_A, vault.id);
    const full = await createCheckpoint(emu, PROJECT_A, vault.id);
    expect((await emu.call('GET', `${base}/checkpoints/${ok.id}`)).body.checkpoint.status).toBe('available');
    expect((await emu.call('GET', `${base}/checkpoints/${full.id}`)).body.checkpoint).toMatchObject({
      status: 'error',
      vault: { resources: [{ protect_status: 'error' }] },
    });
    const [failed] = await backupsOf(emu, PROJECT_A, full.id);
    expect(failed.status).toBe('error');
    expect((await emu.call('GET', `${base}/backups/${failed.id}`)).body.backup.children.map((c: any) => c.status)).toEqual(['error']);
    const task = (await emu.call('GET', `${base}/operation-logs?status=failed`)).body.operation_logs[0];
    expect(task).toMatchObject({
      operation_type: 'backup',
      error_info: { code: 'BackupService.6114', message: 'The used capacity of the vault exceeds the maximum capacity.' },
      extra_info: { common: { progress: 100 } },
    });
    expect(emu.emulator.state.project(PROJECT_A).vaults.get(vault.id)!.resources[0]!.protect_status).toBe('error');
  });

  it('keeps policy backups for the policy retention: expired_at, retention_duration and the task policy_id', async () => {
    emu = await immediate();
    const volume = addVolume(emu.emulator, PROJECT_A);
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [volume] });
    const policyId = 'b8e0ea1c-5a5f-4f8b-9b59-111111111111';
    // A policy record as the policy store keeps it; only its retention matters to a restore point.
    emu.emulator.state.project(PROJECT_A).policies.set(policyId, {
      id: policyId,
      name: 'daily',
      enabled: true,
      operation_type: 'backup',
      operation_definition: { retention_duration_days: 30 },
      trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0'] } },
    } as never);
    const checkpoint = await createCheckpoint(emu, PROJECT_A, vault.id, { auto_trigger: true, policy_id: policyId });
    expect(checkpoint.extra_info.retention_duration).toBe(30);
    expect((await backupsOf(emu, PROJECT_A, checkpoint.id))[0].expired_at).toBe('2024-03-31T08:00:00.000000');
    expect((await emu.call('GET', `${base}/operation-logs`)).body.operation_logs[0].policy_id).toBe(policyId);
  });

  it.each([
    [undefined, 'body is mandatory'],
    [{ checkpoint: { vault_id: 'v', foo: 1 } }, 'invalid key checkpoint.foo'],
    [{ checkpoint: {} }, 'checkpoint.vault_id is mandatory'],
    [{ checkpoint: { vault_id: 'v', parameters: { name: 'two words' } } }, 'checkpoint.parameters.name must contain only digits, letters, underscores (_) and hyphens (-)'],
    [{ checkpoint: { vault_id: 'v', parameters: { name: 'x'.repeat(65) } } }, 'checkpoint.parameters.name must be at most 64 characters long'],
    [{ checkpoint: { vault_id: 'v', parameters: { description: 'x'.repeat(256) } } }, 'checkpoint.parameters.description must be at most 255 characters long'],
    [{ checkpoint: { vault_id: 'v', parameters: { auto_trigger: 'yes' } } }, 'checkpoint.parameters.auto_trigger must be a boolean'],
    [{ checkpoint: { vault_id: 'v', parameters: { resources: ['not-a-uuid'] } } }, 'checkpoint.parameters.resources.0 Invalid GUID'],
    [
      { checkpoint: { vault_id: 'v', parameters: { resource_details: [{ id: 'x', type: 'OS::Nova::Bogus' }] } } },
      'checkpoint.parameters.resource_details.0.type must be one of "OS::Nova::Server", "OS::Cinder::Volume", "OS::Sfs::Turbo"',
    ],
  ])('answers 9900 naming the field for %j', async (body, detail) => {
    emu = await immediate();
    const res = await emu.call('POST', `${base}/checkpoints`, body);
    await expectError(res, 400, 'BackupService.9900', `Parameter verification failed: ${detail}`);
  });
});

describe('GET /checkpoints/{id}', () => {
  it('answers the stored restore point', async () => {
    emu = await immediate();
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [addVolume(emu.emulator, PROJECT_A)] });
    const created = await createCheckpoint(emu, PROJECT_A, vault.id, { name: 'n1', description: 'd1' });
    const res = await emu.call('GET', `${base}/checkpoints/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      checkpoint: {
        ...created,
        status: 'available',
        vault: { ...created.vault, resources: [{ ...created.vault.resources[0], protect_status: 'available', backup_count: '1', backup_size: '20' }] },
      },
    });
  });

  it('answers 404 BackupService.6217 for an unknown restore point', async () => {
    emu = await immediate();
    const res = await emu.call('GET', `${base}/checkpoints/8b0851a8-adf3-4f4c-a914-dead08bf9664`);
    await expectError(res, 404, 'BackupService.6217', 'The backup restore point does not exist.');
  });
});

describe('Application case 5.1: creating an ECS backup', () => {
  it('creates a vault, associates a server, creates a restore point and confirms it becomes available', async () => {
    emu = await manual();
    const server = addServer(emu.emulator, PROJECT_A, { name: 'ecs-9f93-0002', disks: [{ sizeGb: 40, bootable: true }] });
    const vault = await emu.call('POST', `${base}/vaults`, {
      vault: {
        billing: { cloud_type: 'public', consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 200 },
        name: 'my_vault',
        resources: [],
      },
    });
    expect(vault.status).toBe(200);
    const vaultId = vault.body.vault.id;
    const added = await emu.call('POST', `${base}/vaults/${vaultId}/addresources`, {
      resources: [{ id: server.id, type: 'OS::Nova::Server', name: 'server-4690-0002' }],
    });
    expect(added.body).toEqual({ add_resource_ids: [server.id] });

    const created = await emu.call('POST', `${base}/checkpoints`, {
      checkpoint: {
        parameters: { auto_trigger: false, description: 'backupauto', incremental: true, name: 'backup_auto', resources: [server.id] },
        vault_id: vaultId,
      },
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      checkpoint: {
        id: expect.any(String),
        project_id: PROJECT_A,
        status: 'protecting',
        created_at: '2024-03-01T08:00:00.000000',
        vault: {
          id: vaultId,
          name: 'my_vault',
          resources: [
            {
              id: server.id,
              type: 'OS::Nova::Server',
              name: 'ecs-9f93-0002',
              extra_info: '{}',
              resource_size: '40',
              backup_size: '0',
              backup_count: '0',
              protect_status: 'protecting',
            },
          ],
          skipped_resources: [],
        },
        extra_info: { name: 'backup_auto', description: 'backupauto', retention_duration: -1 },
      },
    });

    // "Verify that the server is backed up successfully": poll GET /checkpoints/{id} while the clock moves.
    const id = created.body.checkpoint.id;
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      seen.push((await emu.call('GET', `${base}/checkpoints/${id}`)).body.checkpoint.status);
      emu.emulator.clock.advance(1000);
    }
    expect(seen).toEqual(['protecting', 'protecting', 'available']);
    const [backup] = await backupsOf(emu, PROJECT_A, id);
    expect(backup).toMatchObject({ name: 'backup_auto', description: 'backupauto', status: 'available', resource_id: server.id, vault_id: vaultId });
    const shown = (await emu.call('GET', `${base}/vaults/${vaultId}`)).body.vault;
    expect(shown.resources[0]).toMatchObject({ id: server.id, protect_status: 'available' });
  });
});

describe('Application case 5.2: automatic backup for a vault', () => {
  it('backs the vault up at the policy time, retained for the policy retention', async () => {
    emu = await manual();
    const server = addServer(emu.emulator, PROJECT_A, { name: 'ecs-auto' });
    const vault = await emu.call('POST', `${base}/vaults`, {
      vault: {
        billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 200 },
        name: 'auto_vault',
        resources: [{ id: server.id, type: 'OS::Nova::Server' }],
      },
    });
    const vaultId = vault.body.vault.id;
    // The seed's sample omits operation_type, which its own table marks mandatory; it is sent here.
    const policy = await emu.call('POST', `${base}/policies`, {
      policy: {
        name: 'dh_test_policy',
        operation_type: 'backup',
        trigger: { properties: { pattern: ['FREQ=WEEKLY;BYDAY=SU,MO,TU,WE,TH,FR,SA;BYHOUR=23;BYMINUTE=00'] } },
        operation_definition: { retention_duration_days: 30 },
      },
    });
    expect(policy.status).toBe(200);
    const policyId = policy.body.policy.id;
    const applied = await emu.call('POST', `${base}/vaults/${vaultId}/associatepolicy`, { policy_id: policyId });
    expect(applied.body).toEqual({ associate_policy: { vault_id: vaultId, policy_id: policyId } });

    emu.emulator.clock.advance(15 * 3600_000 - 1000); // 22:59:59: nothing yet
    expect((await emu.call('GET', `${base}/backups`)).body.count).toBe(0);
    emu.emulator.clock.advance(1000); // 23:00
    const [running] = (await emu.call('GET', `${base}/backups`)).body.backups;
    expect(running).toMatchObject({ status: 'protecting', created_at: '2024-03-01T23:00:00.000000' });
    emu.emulator.clock.advance(1000);
    emu.emulator.clock.advance(1000);
    const backup = (await emu.call('GET', `${base}/backups/${running.id}`)).body.backup;
    expect(backup).toMatchObject({
      status: 'available',
      name: expect.stringMatching(/^autobk_[0-9a-f]{4}$/),
      vault_id: vaultId,
      resource_id: server.id,
      expired_at: '2024-03-31T23:00:00.000000',
      extend_info: { auto_trigger: true },
    });
    expect((await emu.call('GET', `${base}/checkpoints/${backup.checkpoint_id}`)).body.checkpoint).toMatchObject({
      status: 'available',
      extra_info: { retention_duration: 30 },
    });
    expect((await emu.call('GET', `${base}/operation-logs?operation_type=backup`)).body.operation_logs[0]).toMatchObject({
      status: 'success',
      policy_id: policyId,
      vault_id: vaultId,
    });

    emu.emulator.clock.advance(24 * 3600_000 - 2000); // the next evening, 23:00 sharp: an incremental backup
    emu.emulator.clock.advance(1000);
    emu.emulator.clock.advance(1000);
    // The test's token was issued at 08:00 the day before and has expired (24 h): take a fresh one.
    const token = emu.emulator.identity.issueToken(PROJECT_A).token;
    const both = (await emu.call('GET', `${base}/backups?vault_id=${vaultId}`, undefined, { token })).body.backups;
    expect(both.map((b: any) => [b.created_at, b.status, b.incremental])).toEqual([
      ['2024-03-02T23:00:00.000000', 'available', true],
      ['2024-03-01T23:00:00.000000', 'available', false],
    ]);
  });
});
