import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { PROJECT_A, PROJECT_B, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { addServer, addTurbo, addVault, addVolume, backupsOf, createCheckpoint, T0 } from '../helpers/builders';
import type { CloudResource } from '../../src/emulator/state';
import type { EmulatorOptions } from '../../src/emulator/context';

const base = `/v3/${PROJECT_A}`;

function expectError(res: { status: number; body: any }, status: number, code: string, message: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error_code: code, error_msg: message });
}

const ids = (res: { body: any }) => res.body.backups.map((b: any) => b.name);

describe('GET /backups (list filters, sort, paging)', () => {
  // alpha (server, T0), beta (disk, T0+1min), gamma (server, incremental, T0+2min), delta (disk, error: vault full, T0+3min)
  let emu: TestEmulator;
  let server: CloudResource;
  let volume: CloudResource;
  let serverVault: { id: string };
  let diskVault: { id: string };
  const cp: Record<string, string> = {};
  const backup: Record<string, any> = {};

  beforeAll(async () => {
    emu = await startTestEmulator({ lifecycle: 'immediate', clock: { mode: 'frozen', start: T0 } });
    server = addServer(emu.emulator, PROJECT_A, { name: 'ecs-a', disks: [{ sizeGb: 40, bootable: true }, { sizeGb: 10, bootable: false }] });
    volume = addVolume(emu.emulator, PROJECT_A, { name: 'evs-a', sizeGb: 20, az: 'eu-de-02' });
    serverVault = addVault(emu.emulator, PROJECT_A, { resources: [server], size: 1000 });
    diskVault = addVault(emu.emulator, PROJECT_A, { resources: [volume], size: 30 });
    for (const [name, vault] of [['alpha', serverVault], ['beta', diskVault], ['gamma', serverVault], ['delta', diskVault]] as const) {
      const checkpoint = await createCheckpoint(emu, PROJECT_A, vault.id, { name });
      cp[name] = checkpoint.id;
      backup[name] = (await backupsOf(emu, PROJECT_A, checkpoint.id))[0];
      emu.emulator.clock.advance(60_000);
    }
  });
  afterAll(() => emu.close());

  it('lists top-level backups newest first with count, offset and limit', async () => {
    const res = await emu.call('GET', `${base}/backups`);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(['delta', 'gamma', 'beta', 'alpha']);
    expect(res.body).toMatchObject({ count: 4, offset: 0, limit: 1000 });
    expect(res.body.backups.map((b: any) => b.status)).toEqual(['error', 'available', 'available', 'available']);
    // list rows do not expand a server backup's disk backups (GET does)
    expect(res.body.backups[3].children).toEqual([]);
  });

  it.each([
    ['checkpoint_id', () => `checkpoint_id=${cp.beta}`, ['beta']],
    ['dec (no effect outside dedicated clouds)', () => 'dec=true', ['delta', 'gamma', 'beta', 'alpha']],
    ['end_time', () => 'end_time=2024-03-01T08:01:00Z', ['beta', 'alpha']],
    ['start_time', () => 'start_time=2024-03-01T08:01:00Z', ['delta', 'gamma', 'beta']],
    ['image_type=backup', () => 'image_type=backup', ['delta', 'gamma', 'beta', 'alpha']],
    ['image_type=replication', () => 'image_type=replication', []],
    ['incremental', () => 'incremental=true', ['delta', 'gamma']],
    ['name', () => 'name=beta', ['beta']],
    ['own_type=private', () => 'own_type=private', ['delta', 'gamma', 'beta', 'alpha']],
    ['resource_az', () => 'resource_az=eu-de-02', ['delta', 'beta']],
    ['resource_id', () => `resource_id=${server.id}`, ['gamma', 'alpha']],
    ['resource_name', () => 'resource_name=evs-a', ['delta', 'beta']],
    ['resource_type', () => 'resource_type=OS::Nova::Server', ['gamma', 'alpha']],
    ['status', () => 'status=error', ['delta']],
    ['repeated status', () => 'status=available&status=error', ['delta', 'gamma', 'beta', 'alpha']],
    ['used_percent (backup ≥ 50% of its vault)', () => 'used_percent=50', ['delta', 'beta']],
    ['vault_id', () => `vault_id=${diskVault.id}`, ['delta', 'beta']],
    ['enterprise_project_id=0', () => 'enterprise_project_id=0', ['delta', 'gamma', 'beta', 'alpha']],
    ['enterprise_project_id other', () => 'enterprise_project_id=5b2c', []],
    ['two filters', () => `resource_type=OS::Cinder::Volume&status=available`, ['beta']],
  ])('filters by %s', async (_label, query, expected) => {
    const res = await emu.call('GET', `${base}/backups?${query()}`);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(expected);
    expect(res.body.count).toBe(expected.length);
  });

  it('lists the disk backups of a server backup with parent_id', async () => {
    const res = await emu.call('GET', `${base}/backups?parent_id=${backup.alpha.id}&sort=name:asc`);
    expect(ids(res)).toEqual(['alpha_ecs-a-disk-0', 'alpha_ecs-a-disk-1']);
    expect(res.body.backups.every((b: any) => b.parent_id === backup.alpha.id && b.resource_type === 'OS::Cinder::Volume')).toBe(true);
  });

  it.each([
    ['name:asc', ['alpha', 'beta', 'delta', 'gamma']],
    ['name', ['gamma', 'delta', 'beta', 'alpha']],
    ['created_at:asc', ['alpha', 'beta', 'gamma', 'delta']],
    ['status:asc,created_at:asc', ['alpha', 'beta', 'gamma', 'delta']],
    ['status:desc,name:asc', ['delta', 'alpha', 'beta', 'gamma']],
    ['protected_at:asc', ['alpha', 'beta', 'gamma', 'delta']],
    ['updated_at:desc', ['delta', 'gamma', 'beta', 'alpha']],
  ])('sorts by %s (nulls last ascending)', async (sort, expected) => {
    expect(ids(await emu.call('GET', `${base}/backups?sort=${sort}`))).toEqual(expected);
  });

  it('sorts by id', async () => {
    const sorted = Object.values(backup).map((b) => b.id).sort();
    const res = await emu.call('GET', `${base}/backups?sort=id:asc`);
    expect(res.body.backups.map((b: any) => b.id)).toEqual(sorted);
  });

  it('pages with limit and offset; count stays the total', async () => {
    const res = await emu.call('GET', `${base}/backups?limit=2&offset=1`);
    expect(ids(res)).toEqual(['gamma', 'beta']);
    expect(res.body).toMatchObject({ count: 4, limit: 2, offset: 1 });
  });

  it('pages with marker: the backups after that one, in the same order', async () => {
    const first = await emu.call('GET', `${base}/backups?limit=2`);
    expect(ids(first)).toEqual(['delta', 'gamma']);
    const next = await emu.call('GET', `${base}/backups?limit=2&marker=${first.body.backups[1].id}`);
    expect(ids(next)).toEqual(['beta', 'alpha']);
    const last = await emu.call('GET', `${base}/backups?limit=2&marker=${backup.alpha.id}`);
    expect(ids(last)).toEqual([]);
    expect(last.body.count).toBe(4);
  });

  it.each([
    ['limit=0', 'limit must be at least 1'],
    ['limit=1001', 'limit must be at most 1000'],
    ['limit=ten', 'limit must be a number'],
    ['offset=-1', 'offset must be at least 0'],
    ['status=gone', 'status.0 must be one of "available", "protecting", "deleting", "restoring", "error", "waiting_protect", "waiting_delete", "waiting_restore"'],
    ['own_type=everyone', 'own_type must be one of "private", "shared", "all_granted"'],
    ['member_status=maybe', 'member_status must be one of "pending", "accepted", "rejected"'],
    ['resource_type=OS::Nova::Bogus', 'resource_type must be one of "OS::Nova::Server", "OS::Cinder::Volume", "OS::Sfs::Turbo"'],
    ['image_type=snapshot', 'image_type must be one of "backup", "replication"'],
    ['start_time=2024-03-01', 'start_time must look like 2018-02-01T12:00:00Z'],
    ['end_time=2024-13-45T00:00:00Z', 'end_time must be a valid time'],
    ['used_percent=0', 'used_percent must be at least 1'],
    ['used_percent=101', 'used_percent must be at most 100'],
    ['dec=yes', 'dec must be one of "true", "false"'],
    ['sort=size', 'sort must be <key>[:asc|desc],… with keys created_at, updated_at, name, status, protected_at, id'],
    ['sort=name:up', 'sort must be <key>[:asc|desc],… with keys created_at, updated_at, name, status, protected_at, id'],
    [`sort=${'name,'.repeat(60)}name`, 'sort must be at most 255 characters long'],
    ['marker=0b07081e-3ec7-4e77-8571-54e2947da422', 'marker 0b07081e-3ec7-4e77-8571-54e2947da422 is not in the result'],
  ])('answers 9900 for %s', async (query, detail) => {
    expectError(await emu.call('GET', `${base}/backups?${query}`), 400, 'BackupService.9900', `Parameter verification failed: ${detail}`);
  });
});

describe('GET /backups/{id}', () => {
  let emu: TestEmulator;
  afterEach(() => emu.close());

  it('answers a disk backup whole', async () => {
    emu = await startTestEmulator({ lifecycle: 'immediate', clock: { mode: 'frozen', start: T0 } });
    const volume = addVolume(emu.emulator, PROJECT_A, { name: 'evs-1', sizeGb: 20 });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [volume] });
    const checkpoint = await createCheckpoint(emu, PROJECT_A, vault.id, { name: 'bk', description: 'nightly' });
    const [listed] = await backupsOf(emu, PROJECT_A, checkpoint.id);
    const res = await emu.call('GET', `${base}/backups/${listed.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      backup: {
        id: listed.id,
        name: 'bk',
        description: 'nightly',
        status: 'available',
        checkpoint_id: checkpoint.id,
        project_id: PROJECT_A,
        vault_id: vault.id,
        parent_id: null,
        provider_id: 'd1603440-187d-4516-af25-121250c7cc97',
        image_type: 'backup',
        resource_id: volume.id,
        resource_name: 'evs-1',
        resource_type: 'OS::Cinder::Volume',
        resource_size: 20,
        resource_az: 'eu-de-01',
        created_at: '2024-03-01T08:00:00.000000',
        updated_at: '2024-03-01T08:00:00.000000',
        protected_at: '2024-03-01T08:00:00.000000',
        expired_at: null,
        enterprise_project_id: '0',
        incremental: false,
        extend_info: {
          auto_trigger: false,
          incremental: false,
          encrypted: false,
          is_multi_az: false,
          os_images_data: null,
          supported_restore_mode: 'backup',
          bootable: false,
          system_disk: false,
          snapshot_id: expect.any(String),
          support_lld: true,
        },
        replication_records: [],
        children: [],
      },
    });
  });

  it('expands the disk backups of a server backup, and answers a disk backup by its own id', async () => {
    emu = await startTestEmulator({ lifecycle: 'immediate' });
    const server = addServer(emu.emulator, PROJECT_A, { disks: [{ bootable: true }, { bootable: false }] });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [server] });
    const [listed] = await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, vault.id)).id);
    const full = (await emu.call('GET', `${base}/backups/${listed.id}`)).body.backup;
    expect(full.children.map((c: any) => c.resource_id)).toEqual(server.disks!.map((d) => d.id));
    const child = await emu.call('GET', `${base}/backups/${full.children[1].id}`);
    expect(child.body.backup).toEqual(full.children[1]);
  });

  it('answers 404 BackupService.6200 for an unknown backup and for another project’s backup', async () => {
    emu = await startTestEmulator({ lifecycle: 'immediate' });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [addVolume(emu.emulator, PROJECT_A)] });
    const [listed] = await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, vault.id)).id);
    expectError(await emu.call('GET', `${base}/backups/6df2b54c-dd62-4059-a07c-1b8f24f2725d`), 404, 'BackupService.6200', 'The backup does not exist.');
    const foreign = await emu.call('GET', `/v3/${PROJECT_B}/backups/${listed.id}`, undefined, { token: emu.otherProject.token });
    expectError(foreign, 404, 'BackupService.6200', 'The backup does not exist.');
  });
});

describe('DELETE /backups/{id}', () => {
  let emu: TestEmulator;
  afterEach(() => emu.close());

  it('answers 204, goes deleting with a delete task, then is gone with its disk backups (manual mode)', async () => {
    emu = await startTestEmulator({ lifecycle: 'manual', clock: { mode: 'frozen', start: T0 } });
    const server = addServer(emu.emulator, PROJECT_A, { disks: [{ bootable: true }, { bootable: false }] });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [server] });
    const checkpoint = await createCheckpoint(emu, PROJECT_A, vault.id, { name: 'bk' });
    emu.emulator.clock.advance(1000);
    emu.emulator.clock.advance(1000);
    const [listed] = await backupsOf(emu, PROJECT_A, checkpoint.id);
    const children = (await emu.call('GET', `${base}/backups/${listed.id}`)).body.backup.children;

    const res = await emu.call('DELETE', `${base}/backups/${listed.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    const deleting = (await emu.call('GET', `${base}/backups/${listed.id}`)).body.backup;
    expect(deleting.status).toBe('deleting');
    expect(deleting.children.map((c: any) => c.status)).toEqual(['deleting', 'deleting']);
    const task = (await emu.call('GET', `${base}/operation-logs?operation_type=delete`)).body.operation_logs[0];
    expect(task).toMatchObject({
      status: 'running',
      vault_id: vault.id,
      vault_name: 'vault-test',
      checkpoint_id: checkpoint.id,
      provider_id: '0daac4c5-6707-4851-97ba-169e36266b66',
      extra_info: {
        common: { progress: 0 },
        delete: { backup_id: listed.id, backup_name: 'bk' },
        resource: { id: server.id, type: 'OS::Nova::Server', name: 'ecs-test' },
      },
    });

    emu.emulator.clock.advance(1000);
    expectError(await emu.call('GET', `${base}/backups/${listed.id}`), 404, 'BackupService.6200', 'The backup does not exist.');
    expect((await emu.call('GET', `${base}/backups/${children[0].id}`)).status).toBe(404);
    expect((await emu.call('GET', `${base}/operation-logs/${task.id}`)).body.operation_log).toMatchObject({
      status: 'success',
      ended_at: '2024-03-01T08:00:03Z',
      extra_info: { common: { progress: 100 } },
    });
    expect(emu.emulator.state.project(PROJECT_A).backups.size).toBe(0);
  });

  it('answers 6201 for a backup that is still protecting and for a disk backup of a server backup', async () => {
    emu = await startTestEmulator({ lifecycle: 'manual' });
    const server = addServer(emu.emulator, PROJECT_A);
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [server] });
    const [listed] = await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, vault.id)).id);
    expectError(
      await emu.call('DELETE', `${base}/backups/${listed.id}`),
      400,
      'BackupService.6201',
      'The backup cannot be deleted: the backup is protecting',
    );
    emu.emulator.clock.advance(1000);
    emu.emulator.clock.advance(1000);
    const child = (await emu.call('GET', `${base}/backups/${listed.id}`)).body.backup.children[0];
    expectError(
      await emu.call('DELETE', `${base}/backups/${child.id}`),
      400,
      'BackupService.6201',
      'The backup cannot be deleted: the backup is a disk backup of a server backup',
    );
  });

  it('deletes a failed backup, and answers 6200 for an unknown one', async () => {
    emu = await startTestEmulator({ lifecycle: 'immediate' });
    const volume = addVolume(emu.emulator, PROJECT_A, { sizeGb: 20 });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [volume], size: 10 });
    const [failed] = await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, vault.id)).id);
    expect(failed.status).toBe('error');
    expect((await emu.call('DELETE', `${base}/backups/${failed.id}`)).status).toBe(204);
    expect((await emu.call('GET', `${base}/backups/${failed.id}`)).status).toBe(404);
    expectError(await emu.call('DELETE', `${base}/backups/${failed.id}`), 404, 'BackupService.6200', 'The backup does not exist.');
  });
});

describe('POST /backups/{id}/restore', () => {
  let emu: TestEmulator;
  afterEach(() => emu.close());

  /** A server with a system and a data disk, backed up (available). */
  async function serverBackup(mode: 'immediate' | 'manual' = 'immediate', options: EmulatorOptions = {}) {
    emu = await startTestEmulator({ lifecycle: mode, clock: { mode: 'frozen', start: T0 }, ...options });
    const server = addServer(emu.emulator, PROJECT_A, {
      name: 'ecs-1',
      disks: [{ name: 'sys', sizeGb: 40, bootable: true }, { name: 'data', sizeGb: 100, bootable: false }],
    });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [server] });
    const checkpoint = await createCheckpoint(emu, PROJECT_A, vault.id, { name: 'bk' });
    if (mode === 'manual') {
      emu.emulator.clock.advance(1000);
      emu.emulator.clock.advance(1000);
    }
    const [listed] = await backupsOf(emu, PROJECT_A, checkpoint.id);
    const backup = (await emu.call('GET', `${base}/backups/${listed.id}`)).body.backup;
    const mappings = backup.children.map((child: any) => ({ backup_id: child.id, volume_id: child.resource_id }));
    return { server, vault, backup, mappings, disks: server.disks! };
  }

  it('answers 202 with the job id; restoring → available with a restore task (manual mode)', async () => {
    const { server, vault, backup, mappings } = await serverBackup('manual');
    const res = await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { server_id: server.id, mappings, power_on: true } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ job_id: expect.any(String) });
    const restoring = (await emu.call('GET', `${base}/backups/${backup.id}`)).body.backup;
    expect([restoring.status, ...restoring.children.map((c: any) => c.status)]).toEqual(['restoring', 'restoring', 'restoring']);
    expect(emu.emulator.state.project(PROJECT_A).vaults.get(vault.id)!.resources[0]!.protect_status).toBe('restoring');
    const task = (await emu.call('GET', `${base}/operation-logs/${res.body.job_id}`)).body.operation_log;
    expect(task).toMatchObject({
      operation_type: 'restore',
      status: 'running',
      vault_id: vault.id,
      checkpoint_id: backup.checkpoint_id,
      extra_info: {
        common: { progress: 0 },
        restore: { backup_id: backup.id, backup_name: 'bk', target_resource_id: server.id, target_resource_name: 'ecs-1' },
        resource: { id: server.id, type: 'OS::Nova::Server', name: 'ecs-1' },
      },
    });

    emu.emulator.clock.advance(1000);
    expect((await emu.call('GET', `${base}/operation-logs/${res.body.job_id}`)).body.operation_log.extra_info.common.progress).toBe(50);
    expect((await emu.call('GET', `${base}/backups/${backup.id}`)).body.backup.status).toBe('restoring');

    emu.emulator.clock.advance(1000);
    const restored = (await emu.call('GET', `${base}/backups/${backup.id}`)).body.backup;
    expect([restored.status, ...restored.children.map((c: any) => c.status)]).toEqual(['available', 'available', 'available']);
    expect((await emu.call('GET', `${base}/operation-logs/${res.body.job_id}`)).body.operation_log).toMatchObject({
      status: 'success',
      extra_info: { common: { progress: 100 } },
    });
    expect(emu.emulator.state.project(PROJECT_A).vaults.get(vault.id)!.resources[0]!.protect_status).toBe('available');
  });

  it('answers 202 with no body, as the API Reference documents, with restoreAnswer: documented; the restore task is listed', async () => {
    const { server, backup, mappings } = await serverBackup('immediate', { restoreAnswer: 'documented' });
    const res = await fetch(`${emu.url}${base}/backups/${backup.id}/restore`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': emu.project.token },
      body: JSON.stringify({ restore: { server_id: server.id, mappings } }),
    });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    const tasks = (await emu.call('GET', `${base}/operation-logs?operation_type=restore`)).body.operation_logs;
    expect(tasks.map((t: any) => [t.status, t.extra_info.restore.backup_id])).toEqual([['success', backup.id]]);
  });

  it('answers 2010 while the backup is being restored, and 2005 while it is protecting', async () => {
    const { server, backup, mappings } = await serverBackup('manual');
    expect((await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { server_id: server.id, mappings } })).status).toBe(202);
    expectError(
      await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { server_id: server.id, mappings } }),
      400,
      'BackupService.2010',
      'The resource is being restored.',
    );
    emu.emulator.clock.advance(1000);
    emu.emulator.clock.advance(1000);
    const vaultId = backup.vault_id;
    const [fresh] = await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, vaultId)).id);
    expectError(
      await emu.call('POST', `${base}/backups/${fresh.id}/restore`, { restore: { server_id: server.id, mappings: [] } }),
      400,
      'BackupService.2005',
      'Restoration is not allowed in the current backup status: the backup is protecting',
    );
    // restoring the older backup while the newer one protects the same server
    expectError(
      await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { server_id: server.id, mappings } }),
      400,
      'BackupService.2002',
      'The resource is being backed up. Restore the resource after the backup is complete.',
    );
  });

  it('requires server_id and mappings for a server backup (9900)', async () => {
    const { server, backup, mappings } = await serverBackup();
    expectError(
      await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { mappings } }),
      400,
      'BackupService.9900',
      'Parameter verification failed: restore.server_id is mandatory for a server backup',
    );
    expectError(
      await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { server_id: server.id } }),
      400,
      'BackupService.9900',
      'Parameter verification failed: restore.mappings is mandatory for a server backup',
    );
  });

  it('refuses an empty mappings list for a server backup (9900) and changes nothing', async () => {
    const { server, backup } = await serverBackup();
    expectError(
      await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { server_id: server.id, mappings: [] } }),
      400,
      'BackupService.9900',
      'Parameter verification failed: restore.mappings must contain at least 1 items for a server backup',
    );
    expect((await emu.call('GET', `${base}/backups/${backup.id}`)).body.backup.status).toBe('available');
    expect((await emu.call('GET', `${base}/operation-logs?operation_type=restore`)).body.count).toBe(0);
  });

  it('refuses two disk backups mapped onto one disk (9900)', async () => {
    const { server, backup, mappings } = await serverBackup();
    // the 40 GB system disk backup fits the 100 GB data disk and is no data-onto-system restore: only the shared target is wrong
    const res = await emu.call('POST', `${base}/backups/${backup.id}/restore`, {
      restore: { server_id: server.id, mappings: [mappings[1], { backup_id: mappings[0].backup_id, volume_id: mappings[1].volume_id }] },
    });
    expectError(
      res,
      400,
      'BackupService.9900',
      `Parameter verification failed: restore.mappings.1.volume_id ${mappings[1].volume_id} is already the target of restore.mappings.0`,
    );
    expect((await emu.call('GET', `${base}/backups/${backup.id}`)).body.backup.status).toBe('available');
  });

  it('refuses a disk backup mapped twice, also as the same mapping listed twice (9900)', async () => {
    const { server, backup, mappings } = await serverBackup();
    const restore = (m: unknown) => emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { server_id: server.id, mappings: m } });
    const twice = `Parameter verification failed: restore.mappings.1.backup_id ${mappings[0].backup_id} is already mapped by restore.mappings.0`;
    expectError(await restore([mappings[0], mappings[0]]), 400, 'BackupService.9900', twice);
    const extra = addServer(emu.emulator, PROJECT_A, { name: 'ecs-3' }).disks![0]!;
    server.disks!.push({ ...extra }); // a second system-size disk attached to the server
    expectError(await restore([mappings[0], { backup_id: mappings[0].backup_id, volume_id: extra.id }]), 400, 'BackupService.9900', twice);
    expect((await emu.call('GET', `${base}/backups/${backup.id}`)).body.backup.status).toBe('available');
  });

  it('answers 7100 for an unknown server and 2003 for another server', async () => {
    const { backup, mappings } = await serverBackup();
    const other = addServer(emu.emulator, PROJECT_A, { name: 'ecs-2' });
    expectError(
      await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { server_id: '94eba8b2-acc9-4d82-badc-127144cc5526', mappings } }),
      404,
      'BackupService.7100',
      'The server does not exist.',
    );
    expectError(
      await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { server_id: other.id, mappings } }),
      400,
      'BackupService.2003',
      'Restoration to a different server is not allowed.',
    );
  });

  it('checks each mapping: a disk backup of this backup (9900), a known disk (7000), of this server (2012), data not onto system (2013), big enough (2001)', async () => {
    const { server, backup, mappings, disks } = await serverBackup();
    const restore = (m: unknown) => emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { server_id: server.id, mappings: m } });
    expectError(
      await restore([{ backup_id: backup.id, volume_id: disks[0]!.id }]),
      400,
      'BackupService.9900',
      `Parameter verification failed: restore.mappings.0.backup_id is not a disk backup of backup ${backup.id}`,
    );
    expectError(
      await restore([{ backup_id: mappings[0].backup_id, volume_id: 'eccbcfdd-f843-4bbb-b2c0-a5ce861f9376' }]),
      404,
      'BackupService.7000',
      'The disk does not exist: restore.mappings.0.volume_id',
    );
    const otherServer = addServer(emu.emulator, PROJECT_A, { name: 'ecs-2' });
    expectError(
      await restore([{ backup_id: mappings[0].backup_id, volume_id: otherServer.disks![0]!.id }]),
      400,
      'BackupService.2012',
      `Restoration of some disks is not allowed: disk ${otherServer.disks![0]!.id} is not attached to server ${server.id}`,
    );
    expectError(
      await restore([{ backup_id: mappings[1].backup_id, volume_id: disks[0]!.id }]),
      400,
      'BackupService.2013',
      'Backup data of a data disk cannot be restored to a system disk.',
    );
    disks[1]!.sizeGb = 50; // the data disk shrank below its 100 GB backup
    expectError(
      await restore(mappings),
      400,
      'BackupService.2001',
      'Restoration cannot be executed because the size of the disk on the server is smaller than the backup size.',
    );
  });

  it('restores a disk backup onto a disk big enough (volume_id mandatory, 7000, 2001)', async () => {
    emu = await startTestEmulator({ lifecycle: 'immediate' });
    const volume = addVolume(emu.emulator, PROJECT_A, { name: 'evs-1', sizeGb: 20 });
    const small = addVolume(emu.emulator, PROJECT_A, { name: 'evs-small', sizeGb: 10 });
    const big = addVolume(emu.emulator, PROJECT_A, { name: 'evs-big', sizeGb: 40 });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [volume] });
    const [backup] = await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, vault.id)).id);
    const restore = (body: unknown) => emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: body });
    expectError(await restore({}), 400, 'BackupService.9900', 'Parameter verification failed: restore.volume_id is mandatory for a disk backup');
    expectError(await restore({ volume_id: 'eccbcfdd-f843-4bbb-b2c0-a5ce861f9376' }), 404, 'BackupService.7000', 'The disk does not exist.');
    expectError(
      await restore({ volume_id: small.id }),
      400,
      'BackupService.2001',
      'Restoration cannot be executed because the size of the disk on the server is smaller than the backup size.',
    );
    const res = await restore({ volume_id: big.id });
    expect(res.status).toBe(202);
    expect((await emu.call('GET', `${base}/operation-logs/${res.body.job_id}`)).body.operation_log).toMatchObject({
      status: 'success',
      extra_info: { restore: { target_resource_id: big.id, target_resource_name: 'evs-big' } },
    });
  });

  it('restores an SFS Turbo backup only to its own file system (7510)', async () => {
    emu = await startTestEmulator({ lifecycle: 'immediate' });
    const turbo = addTurbo(emu.emulator, PROJECT_A);
    const other = addTurbo(emu.emulator, PROJECT_A, { name: 'other' });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [turbo], size: 2000 });
    const [backup] = await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, vault.id)).id);
    expectError(
      await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { resource_id: other.id } }),
      400,
      'BackupService.7510',
      'SFS Turbo backups can only be restored to original SFS Turbo file systems.',
    );
    expect((await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: {} })).status).toBe(202);
  });

  it('answers 6202 when the vault is not available', async () => {
    const { server, vault, backup, mappings } = await serverBackup();
    (emu.emulator.state.project(PROJECT_A).vaults.get(vault.id)!.billing as { status: string }).status = 'lock';
    expectError(
      await emu.call('POST', `${base}/backups/${backup.id}/restore`, { restore: { server_id: server.id, mappings } }),
      400,
      'BackupService.6202',
      'Backups can be used for restoration only when the vault status is Available.',
    );
  });

  it.each([
    [undefined, 'body is mandatory'],
    [{}, 'restore is mandatory'],
    [{ restore: { foo: 1 } }, 'invalid key restore.foo'],
    [{ restore: { power_on: 'yes' } }, 'restore.power_on must be a boolean'],
    [{ restore: { mappings: [{ backup_id: 'x' }] } }, 'restore.mappings.0.volume_id is mandatory'],
    [{ restore: { details: { destination_path: '' } } }, 'restore.details.destination_path must be at least 1 characters long'],
  ])('answers 9900 for the body %j', async (body, detail) => {
    const { backup } = await serverBackup();
    expectError(await emu.call('POST', `${base}/backups/${backup.id}/restore`, body), 400, 'BackupService.9900', `Parameter verification failed: ${detail}`);
  });

  it('answers 6200 for an unknown backup', async () => {
    emu = await startTestEmulator();
    expectError(
      await emu.call('POST', `${base}/backups/a5200268-74a5-4806-acc6-95793ab0228b/restore`, { restore: {} }),
      404,
      'BackupService.6200',
      'The backup does not exist.',
    );
  });
});

describe('timed lifecycle', () => {
  it('reaches available about two seconds after a restore point, as clients poll for it', async () => {
    const emu = await startTestEmulator({ lifecycle: 'timed' });
    try {
      const volume = addVolume(emu.emulator, PROJECT_A);
      const vault = addVault(emu.emulator, PROJECT_A, { resources: [volume] });
      const checkpoint = await createCheckpoint(emu, PROJECT_A, vault.id);
      expect(checkpoint.status).toBe('protecting');
      const started = Date.now();
      let status = 'protecting';
      while (status === 'protecting' && Date.now() - started < 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = (await emu.call('GET', `${base}/checkpoints/${checkpoint.id}`)).body.checkpoint.status;
      }
      expect(status).toBe('available');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      const [backup] = await backupsOf(emu, PROJECT_A, checkpoint.id);
      expect(backup.status).toBe('available');
    } finally {
      await emu.close();
    }
  });
});

describe('Application case 5.3: querying backups', () => {
  it('pages all backups with limit/offset and filters them by resource type', async () => {
    const emu = await startTestEmulator({ lifecycle: 'immediate', clock: { mode: 'frozen', start: T0 } });
    try {
      const server = addServer(emu.emulator, PROJECT_A, { name: 'xzl_ecs-0003-0001' });
      const volume = addVolume(emu.emulator, PROJECT_A, { name: 'qsy_000' });
      const servers = addVault(emu.emulator, PROJECT_A, { resources: [server], size: 10_000 });
      const disks = addVault(emu.emulator, PROJECT_A, { resources: [volume], size: 10_000 });
      for (let i = 0; i < 7; i++) {
        await createCheckpoint(emu, PROJECT_A, servers.id, { auto_trigger: true });
        await createCheckpoint(emu, PROJECT_A, disks.id, { auto_trigger: true });
        emu.emulator.clock.advance(3_600_000);
      }
      const page = await emu.call('GET', `${base}/backups?limit=100&offset=0`);
      expect(page.status).toBe(200);
      expect(page.body.count).toBe(14);
      expect(page.body.backups).toHaveLength(14);
      expect(page.body.backups[0]).toMatchObject({
        children: [],
        image_type: 'backup',
        parent_id: null,
        project_id: PROJECT_A,
        provider_id: expect.any(String),
        status: 'available',
        replication_records: [],
        extend_info: { auto_trigger: true },
      });
      const servers5 = await emu.call('GET', `${base}/backups?resource_type=OS::Nova::Server&limit=5&offset=0`);
      expect(servers5.body.count).toBe(7);
      expect(servers5.body.backups).toHaveLength(5);
      expect(servers5.body.backups.every((b: any) => b.resource_type === 'OS::Nova::Server' && b.resource_name === 'xzl_ecs-0003-0001')).toBe(true);
      expect(servers5.body.backups.map((b: any) => b.created_at)).toEqual([
        '2024-03-01T14:00:00.000000',
        '2024-03-01T13:00:00.000000',
        '2024-03-01T12:00:00.000000',
        '2024-03-01T11:00:00.000000',
        '2024-03-01T10:00:00.000000',
      ]);
    } finally {
      await emu.close();
    }
  });
});
