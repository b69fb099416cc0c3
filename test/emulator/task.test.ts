import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_A, PROJECT_B, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { addServer, addVault, addVolume, backupsOf, createCheckpoint, T0 } from '../helpers/builders';
import type { CloudResource } from '../../src/emulator/state';
import { createTask, finishTask } from '../../src/emulator/store/task';

const base = `/v3/${PROJECT_A}`;
const SERVER_PROVIDER = '0daac4c5-6707-4851-97ba-169e36266b66';
const DISK_PROVIDER = 'd1603440-187d-4516-af25-121250c7cc97';

function expectError(res: { status: number; body: any }, status: number, code: string, message: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error_code: code, error_msg: message });
}

describe('GET /operation-logs', () => {
  // One minute apart: backup (server) T1, backup (disk) T2, delete (disk) T3, failed backup (disk, full vault) T4,
  // restore (server) T5, and a running vault_delete T6 started through the store interface.
  let emu: TestEmulator;
  let server: CloudResource;
  let serverVault: { id: string };
  let diskVault: { id: string };
  const task: Record<string, any> = {};
  const names = (res: { body: any }) =>
    res.body.operation_logs.map((log: any) => Object.keys(task).find((key) => task[key].id === log.id));

  beforeAll(async () => {
    emu = await startTestEmulator({ lifecycle: 'immediate', clock: { mode: 'frozen', start: T0 } });
    server = addServer(emu.emulator, PROJECT_A, { name: 'ecs-a' });
    const volume = addVolume(emu.emulator, PROJECT_A, { name: 'evs-a', sizeGb: 20 });
    const tooBig = addVolume(emu.emulator, PROJECT_A, { name: 'evs-big', sizeGb: 20 });
    serverVault = addVault(emu.emulator, PROJECT_A, { name: 'vault-s', resources: [server] });
    diskVault = addVault(emu.emulator, PROJECT_A, { name: 'vault-d', resources: [volume] });
    const tinyVault = addVault(emu.emulator, PROJECT_A, { name: 'vault-tiny', resources: [tooBig], size: 10 });
    const latest = async () => (await emu.call('GET', `${base}/operation-logs?limit=1`)).body.operation_logs[0];
    const minute = () => emu.emulator.clock.advance(60_000);

    const serverBackup = (await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, serverVault.id)).id))[0];
    task.T1 = await latest();
    minute();
    const diskBackup = (await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, diskVault.id)).id))[0];
    task.T2 = await latest();
    minute();
    await emu.call('DELETE', `${base}/backups/${diskBackup.id}`);
    task.T3 = await latest();
    minute();
    await createCheckpoint(emu, PROJECT_A, tinyVault.id);
    task.T4 = await latest();
    minute();
    const full = (await emu.call('GET', `${base}/backups/${serverBackup.id}`)).body.backup;
    const mappings = full.children.map((c: any) => ({ backup_id: c.id, volume_id: c.resource_id }));
    task.T5 = (await emu.call('GET', `${base}/operation-logs/${(await emu.call('POST', `${base}/backups/${serverBackup.id}/restore`, { restore: { server_id: server.id, mappings } })).body.job_id}`)).body.operation_log;
    minute();
    task.T6 = createTask(emu.emulator, PROJECT_A, {
      operation_type: 'vault_delete',
      vault_id: tinyVault.id,
      vault_name: 'vault-tiny',
      provider_id: DISK_PROVIDER,
      extra_info: { vault_delete: { fail_count: 0, total_count: 1 } },
    });
  });
  afterAll(() => emu.close());

  it('lists every task newest first with count, limit and offset', async () => {
    const res = await emu.call('GET', `${base}/operation-logs`);
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['T6', 'T5', 'T4', 'T3', 'T2', 'T1']);
    expect(res.body).toMatchObject({ count: 6, limit: 1000, offset: 0 });
    expect(res.body.operation_logs.map((log: any) => log.operation_type)).toEqual(['vault_delete', 'restore', 'backup', 'delete', 'backup', 'backup']);
  });

  it.each([
    ['operation_type', () => 'operation_type=backup', ['T4', 'T2', 'T1']],
    ['status=failed', () => 'status=failed', ['T4']],
    ['status=running', () => 'status=running', ['T6']],
    ['status=success', () => 'status=success', ['T5', 'T3', 'T2', 'T1']],
    ['provider_id', () => `provider_id=${SERVER_PROVIDER}`, ['T5', 'T1']],
    ['resource_id', () => `resource_id=${server.id}`, ['T5', 'T1']],
    ['resource_name', () => 'resource_name=evs-a', ['T3', 'T2']],
    ['vault_id', () => `vault_id=${diskVault.id}`, ['T3', 'T2']],
    ['vault_name', () => 'vault_name=vault-s', ['T5', 'T1']],
    ['start_time', () => 'start_time=2024-03-01T08:02:00Z', ['T6', 'T5', 'T4', 'T3']],
    ['end_time', () => 'end_time=2024-03-01T08:01:00Z', ['T2', 'T1']],
    ['a time window', () => 'start_time=2024-03-01T08:01:00Z&end_time=2024-03-01T08:03:00Z', ['T4', 'T3', 'T2']],
    ['limit', () => 'limit=2', ['T6', 'T5']],
    ['offset', () => 'offset=4', ['T2', 'T1']],
    ['enterprise_project_id', () => 'enterprise_project_id=0', ['T6', 'T5', 'T4', 'T3', 'T2', 'T1']],
    ['two filters', () => `operation_type=backup&vault_id=${serverVault.id}`, ['T1']],
  ])('filters by %s', async (_label, query, expected) => {
    const res = await emu.call('GET', `${base}/operation-logs?${query()}`);
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(expected);
  });

  it('pages with limit and offset while count stays the total of matching tasks', async () => {
    const res = await emu.call('GET', `${base}/operation-logs?limit=2&offset=1`);
    expect(names(res)).toEqual(['T5', 'T4']);
    expect(res.body).toMatchObject({ count: 6, limit: 2, offset: 1 });
    const filtered = await emu.call('GET', `${base}/operation-logs?operation_type=backup&limit=1`);
    expect(filtered.body).toMatchObject({ count: 3, limit: 1, offset: 0 });
  });

  it('lists nothing of another project', async () => {
    const res = await emu.call('GET', `/v3/${PROJECT_B}/operation-logs`, undefined, { token: emu.otherProject.token });
    expect(res.body).toEqual({ operation_logs: [], count: 0, limit: 1000, offset: 0 });
  });

  it.each([
    ['operation_type=copying', 'operation_type must be one of "backup", "copy", "replication", "restore", "delete", "sync", "vault_delete", "remove_resource"'],
    ['status=done', 'status must be one of "success", "skipped", "failed", "running", "timeout", "waiting"'],
    ['limit=0', 'limit must be at least 1'],
    ['limit=1001', 'limit must be at most 1000'],
    ['offset=-1', 'offset must be at least 0'],
    ['offset=x', 'offset must be a number'],
    ['start_time=2024-03-01 08:00:00', 'start_time must look like 2018-02-01T12:00:00Z'],
    ['end_time=2024-03-01T08:00:00.000Z', 'end_time must look like 2018-02-01T12:00:00Z'],
  ])('answers 9900 for %s', async (query, detail) => {
    expectError(await emu.call('GET', `${base}/operation-logs?${query}`), 400, 'BackupService.9900', `Parameter verification failed: ${detail}`);
  });

  it('answers a task whole by id', async () => {
    const res = await emu.call('GET', `${base}/operation-logs/${task.T1.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      operation_log: {
        id: task.T1.id,
        project_id: PROJECT_A,
        operation_type: 'backup',
        status: 'success',
        checkpoint_id: expect.any(String),
        policy_id: null,
        provider_id: SERVER_PROVIDER,
        vault_id: serverVault.id,
        vault_name: 'vault-s',
        created_at: '2024-03-01T08:00:00Z',
        started_at: '2024-03-01T08:00:00Z',
        updated_at: '2024-03-01T08:00:00Z',
        ended_at: '2024-03-01T08:00:00Z',
        error_info: { code: '', message: '' },
        extra_info: {
          backup: { backup_id: expect.any(String), backup_name: expect.stringMatching(/^manualbk_/), incremental: 'false' },
          resource: { id: server.id, type: 'OS::Nova::Server', name: 'ecs-a' },
          common: { progress: 100, request_id: expect.stringMatching(/^req-/), task_id: expect.any(String) },
        },
      },
    });
  });

  it('answers 404 BackupService.6500 for an unknown task and for another project’s task', async () => {
    expectError(
      await emu.call('GET', `${base}/operation-logs/4827f2da-b008-4507-ab7d-42d0df5ed912`),
      404,
      'BackupService.6500',
      'The operation log does not exist.',
    );
    const foreign = await emu.call('GET', `/v3/${PROJECT_B}/operation-logs/${task.T1.id}`, undefined, { token: emu.otherProject.token });
    expectError(foreign, 404, 'BackupService.6500', 'The operation log does not exist.');
  });
});

describe('createTask / finishTask (the interface other stores use)', () => {
  let emu: TestEmulator;
  afterEach(() => emu.close());

  it('starts running at progress 0 and finishes with progress 100, ended_at and the patch', async () => {
    emu = await startTestEmulator({ clock: { mode: 'frozen', start: T0 } });
    const created = createTask(emu.emulator, PROJECT_A, {
      operation_type: 'remove_resource',
      vault_id: 'v-1',
      vault_name: 'vault-1',
      extra_info: { remove_resources: { fail_count: 0, total_count: 2, resources: [] } },
    });
    expect(created).toMatchObject({ status: 'running', ended_at: null, created_at: '2024-03-01T08:00:00Z', extra_info: { common: { progress: 0 } } });
    emu.emulator.clock.advance(5_000);
    finishTask(emu.emulator, PROJECT_A, created.id, 'success', { remove_resources: { fail_count: 0, total_count: 2, resources: [] } });
    const res = await emu.call('GET', `${base}/operation-logs/${created.id}`);
    expect(res.body.operation_log).toMatchObject({
      status: 'success',
      started_at: '2024-03-01T08:00:00Z',
      updated_at: '2024-03-01T08:00:05Z',
      ended_at: '2024-03-01T08:00:05Z',
      error_info: { code: '', message: '' },
      extra_info: { common: { progress: 100 }, remove_resources: { total_count: 2 } },
    });
  });

  it('records error_info on failure (9910 unless given)', async () => {
    emu = await startTestEmulator();
    const a = createTask(emu.emulator, PROJECT_A, { operation_type: 'vault_delete', extra_info: {} });
    const b = createTask(emu.emulator, PROJECT_A, { operation_type: 'vault_delete', extra_info: {} });
    finishTask(emu.emulator, PROJECT_A, a.id, 'failed');
    finishTask(emu.emulator, PROJECT_A, b.id, 'failed', undefined, { code: 'BackupService.6121', message: 'Vault deletion failed.' });
    expect((await emu.call('GET', `${base}/operation-logs/${a.id}`)).body.operation_log.error_info).toEqual({
      code: 'BackupService.9910',
      message: 'Unknown error.',
    });
    expect((await emu.call('GET', `${base}/operation-logs/${b.id}`)).body.operation_log).toMatchObject({
      status: 'failed',
      error_info: { code: 'BackupService.6121', message: 'Vault deletion failed.' },
    });
  });

  it('refuses to finish a task twice (undeclared transition success → failed)', async () => {
    emu = await startTestEmulator();
    const created = createTask(emu.emulator, PROJECT_A, { operation_type: 'delete', extra_info: {} });
    finishTask(emu.emulator, PROJECT_A, created.id, 'success');
    expect(() => finishTask(emu.emulator, PROJECT_A, created.id, 'failed')).toThrow('lifecycle: task cannot go from success to failed');
  });
});
