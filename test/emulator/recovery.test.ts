import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STEP_DELAY_MS } from '../../src/emulator/async-work';
import type { EmulatorOptions } from '../../src/emulator/context';
import { createTask } from '../../src/emulator/store/task';
import { addServer, addVault, addVolume, backupsOf, createCheckpoint, T0 } from '../helpers/builders';
import { PROJECT_A, PROJECT_B, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { eventually } from '../helpers/eventually';

const base = `/v3/${PROJECT_A}`;
const manual: EmulatorOptions = { lifecycle: 'manual', clock: { mode: 'frozen', start: T0 } };

describe('restart with work in flight (--state FILE)', () => {
  let dir: string;
  let file: string;
  const running: TestEmulator[] = [];
  const start = async (options: EmulatorOptions = {}) => {
    const emu = await startTestEmulator({ stateFile: file, ...options });
    running.push(emu);
    return emu;
  };
  const get = async (emu: TestEmulator, path: string) => {
    const res = await emu.call('GET', `${base}${path}`);
    return res.body;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cbr-emulator-recovery-'));
    file = join(dir, 'state.json');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emu) => emu.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('replays the stored steps of the demo backup of db-primary with the wait they had left, as it would have finished', async () => {
    const first = await start({ ...manual, demo: true });
    const [inFlight] = (await get(first, '/backups?status=protecting')).backups;
    expect(inFlight).toMatchObject({ resource_name: 'db-primary', status: 'protecting', protected_at: null });
    const [task] = (await get(first, '/operation-logs?status=running')).operation_logs;
    expect(task).toMatchObject({ operation_type: 'backup', extra_info: { backup: { backup_id: inFlight.id }, common: { progress: 35 } } });
    const usedBefore = (await get(first, `/vaults/${inFlight.vault_id}`)).vault.billing.used;
    await first.close();

    const second = await start({ ...manual, demo: true });
    // Resumed, not finished at once: the steps (progress 70 at 20 s, the end at 40 s) keep the wait they had left.
    expect(second.emulator.state.project(PROJECT_A).pendingSteps.map((step) => step.kind)).toEqual(['task.progress', 'restore-point.complete']);
    expect((await get(second, `/backups/${inFlight.id}`)).backup.status).toBe('protecting');
    second.emulator.clock.advance(20_000);
    expect((await get(second, `/operation-logs/${task.id}`)).operation_log.extra_info.common.progress).toBe(70);
    expect((await get(second, `/backups/${inFlight.id}`)).backup.status).toBe('protecting');
    second.emulator.clock.advance(20_000);

    const backup = (await get(second, `/backups/${inFlight.id}`)).backup;
    expect(backup).toMatchObject({ status: 'available', protected_at: expect.any(String) });
    expect(backup.children.map((child: { status: string }) => child.status)).toEqual(['available', 'available', 'available']);
    expect((await get(second, `/operation-logs/${task.id}`)).operation_log).toMatchObject({
      status: 'success',
      ended_at: expect.any(String),
      error_info: { code: '', message: '' },
      extra_info: { common: { progress: 100 } },
    });
    const checkpoint = (await get(second, `/checkpoints/${inFlight.checkpoint_id}`)).checkpoint;
    expect(checkpoint).toMatchObject({ status: 'available', vault: { resources: [{ id: inFlight.resource_id, protect_status: 'available' }] } });
    const vault = (await get(second, `/vaults/${inFlight.vault_id}`)).vault;
    expect(vault.resources.find((r: { id: string }) => r.id === inFlight.resource_id).protect_status).toBe('available');
    expect(vault.billing.used).toBe(usedBefore + inFlight.resource_size * 1024);
    expect(await get(second, '/operation-logs?status=running')).toMatchObject({ operation_logs: [], count: 0 });
  });

  it('finishes it during the load in immediate mode, and saves the finished state', async () => {
    const first = await start({ ...manual, demo: true });
    const [inFlight] = (await get(first, '/backups?status=protecting')).backups;
    await first.close();

    const second = await start({ demo: true, lifecycle: 'immediate' });
    expect((await get(second, `/backups/${inFlight.id}`)).backup.status).toBe('available');
    await second.close();

    const third = await start(manual);
    expect((await get(third, `/backups/${inFlight.id}`)).backup.status).toBe('available');
    expect((await get(third, '/operation-logs?status=running')).count).toBe(0);
  });

  it('resumes every kind of work: protection, restore, backup deletion, resource removal, vault deletion', async () => {
    const first = await start(manual);
    const emulator = first.emulator;
    const settle = () => emulator.clock.advance(10 * STEP_DELAY_MS);
    const server = addServer(emulator, PROJECT_A, { disks: [{ bootable: true, sizeGb: 40 }, { bootable: false, sizeGb: 60 }] });
    const [volDeleted, volRemoved, volKept, volVaultGone, volProtected] = [1, 2, 3, 4, 5].map((i) => addVolume(emulator, PROJECT_A, { name: `vol-${i}`, sizeGb: 10 }));
    const restoreVault = addVault(emulator, PROJECT_A, { resources: [server], size: 500 });
    const deleteVault = addVault(emulator, PROJECT_A, { resources: [volDeleted!] });
    const removeVault = addVault(emulator, PROJECT_A, { resources: [volRemoved!, volKept!] });
    const goneVault = addVault(emulator, PROJECT_A, { resources: [volVaultGone!] });
    const protectVault = addVault(emulator, PROJECT_A, { resources: [volProtected!] });
    const backupIn = async (vaultId: string) => {
      const checkpoint = await createCheckpoint(first, PROJECT_A, vaultId);
      settle();
      return (await backupsOf(first, PROJECT_A, checkpoint.id))[0];
    };
    const restored = await backupIn(restoreVault.id);
    const deleted = await backupIn(deleteVault.id);
    const removedBackup = await backupIn(removeVault.id);
    const goneBackup = await backupIn(goneVault.id);

    const full = (await get(first, `/backups/${restored.id}`)).backup;
    const mappings = full.children.map((c: { id: string; resource_id: string }) => ({ backup_id: c.id, volume_id: c.resource_id }));
    const restore = await first.call('POST', `${base}/backups/${restored.id}/restore`, { restore: { server_id: server.id, mappings } });
    expect(restore.status).toBe(202);
    expect((await first.call('DELETE', `${base}/backups/${deleted.id}`)).status).toBe(204);
    expect((await first.call('POST', `${base}/vaults/${removeVault.id}/removeresources`, { resource_ids: [volRemoved!.id] })).status).toBe(200);
    expect((await first.call('DELETE', `${base}/vaults/${goneVault.id}`)).status).toBe(204);
    const protecting = await createCheckpoint(first, PROJECT_A, protectVault.id);
    const inFlightTasks = (await get(first, '/operation-logs?status=running')).operation_logs;
    expect(inFlightTasks.map((t: { operation_type: string }) => t.operation_type)).toEqual(['backup', 'vault_delete', 'remove_resource', 'delete', 'restore']);
    await first.close();

    const second = await start(manual);
    expect((await get(second, `/backups/${restored.id}`)).backup.status).toBe('restoring');
    expect((await get(second, `/backups/${deleted.id}`)).backup.status).toBe('deleting');
    expect((await get(second, `/vaults/${goneVault.id}`)).vault.billing.status).toBe('deleting');
    second.emulator.clock.advance(STEP_DELAY_MS);
    // The intermediate steps replay too: the restore's task is at 50 one step in, and ends one step later.
    const restoreTask = inFlightTasks.find((t: { operation_type: string }) => t.operation_type === 'restore');
    expect((await get(second, `/operation-logs/${restoreTask.id}`)).operation_log).toMatchObject({ status: 'running', extra_info: { common: { progress: 50 } } });
    second.emulator.clock.advance(STEP_DELAY_MS);

    const afterRestore = (await get(second, `/backups/${restored.id}`)).backup;
    expect([afterRestore.status, ...afterRestore.children.map((c: { status: string }) => c.status)]).toEqual(['available', 'available', 'available']);
    expect((await get(second, `/vaults/${restoreVault.id}`)).vault.resources[0].protect_status).toBe('available');
    expect((await second.call('GET', `${base}/backups/${deleted.id}`)).status).toBe(404);
    const afterRemoval = (await get(second, `/vaults/${removeVault.id}`)).vault;
    expect(afterRemoval.resources.map((r: { id: string }) => r.id)).toEqual([volKept!.id]);
    expect((await second.call('GET', `${base}/backups/${removedBackup.id}`)).status).toBe(404);
    expect((await second.call('GET', `${base}/vaults/${goneVault.id}`)).status).toBe(404);
    expect((await second.call('GET', `${base}/backups/${goneBackup.id}`)).status).toBe(404);
    expect((await get(second, `/checkpoints/${protecting.id}`)).checkpoint).toMatchObject({
      status: 'available',
      vault: { resources: [{ id: volProtected!.id, protect_status: 'available', backup_count: '1', backup_size: '10' }] },
    });
    expect((await backupsOf(second, PROJECT_A, protecting.id)).map((b) => b.status)).toEqual(['available']);
    const ended = await Promise.all(inFlightTasks.map(async (t: { id: string }) => (await get(second, `/operation-logs/${t.id}`)).operation_log));
    expect(ended.map((t) => [t.operation_type, t.status, t.extra_info.common.progress])).toEqual([
      ['backup', 'success', 100],
      ['vault_delete', 'success', 100],
      ['remove_resource', 'success', 100],
      ['delete', 'success', 100],
      ['restore', 'success', 100],
    ]);
    expect(second.emulator.clock.pending()).toBe(0);
  });

  it('resumes replications in flight (one backup, a whole vault): the copies turn available, the records and tasks succeed', async () => {
    const first = await start(manual);
    const emulator = first.emulator;
    const [web, app] = ['web-1', 'app-1'].map((name) => addServer(emulator, PROJECT_A, { name, disks: [{ bootable: true, sizeGb: 20 }] }));
    const oneVault = addVault(emulator, PROJECT_A, { resources: [web!], size: 500 });
    const wholeVault = addVault(emulator, PROJECT_A, { resources: [app!], size: 500 });
    const target = addVault(emulator, PROJECT_B, { objectType: 'server', size: 500 });
    emulator.state.project(PROJECT_B).vaults.get(target.id)!.billing.protect_type = 'replication';
    const destination = { destination_project_id: PROJECT_B, destination_region: 'eu-nl', destination_vault_id: target.id };
    const [one] = await backupsOf(first, PROJECT_A, (await createCheckpoint(first, PROJECT_A, oneVault.id)).id);
    const [whole] = await backupsOf(first, PROJECT_A, (await createCheckpoint(first, PROJECT_A, wholeVault.id)).id);
    emulator.clock.advance(10 * STEP_DELAY_MS);
    expect((await first.call('POST', `${base}/backups/${one!.id}/replicate`, { replicate: destination })).status).toBe(200);
    const byVault = await first.call('POST', `${base}/checkpoints/replicate`, { replicate: { vault_id: wholeVault.id, ...destination } });
    expect(byVault.body.replication.backups.map((b: { backup_id: string }) => b.backup_id)).toEqual([whole!.id]);
    const tasks = (await get(first, '/operation-logs?operation_type=replication')).operation_logs;
    expect(tasks.map((t: { status: string }) => t.status)).toEqual(['running', 'running']);
    await first.close();

    const second = await start(manual);
    expect(second.emulator.state.project(PROJECT_A).pendingSteps.map((step) => step.kind)).toEqual(['backup.replicate.complete', 'backup.replicate.complete']);
    const records = async () =>
      Promise.all([one!, whole!].map(async (b) => (await get(second, `/backups/${b.id}`)).backup.replication_records[0]));
    expect((await records()).map((r) => r.status)).toEqual(['replicating', 'replicating']);
    second.emulator.clock.advance(STEP_DELAY_MS);

    const ended = await records();
    expect(ended.map((r) => [r.status, r.extra_info.progress])).toEqual([['success', 100], ['success', 100]]);
    const asB = { token: second.otherProject.token };
    for (const record of ended) {
      const copy = (await second.call('GET', `/v3/${PROJECT_B}/backups/${record.destination_backup_id}`, undefined, asB)).body.backup;
      expect([copy.status, copy.children.map((c: { status: string }) => c.status)]).toEqual(['available', ['available']]);
      const checkpoint = (await second.call('GET', `/v3/${PROJECT_B}/checkpoints/${record.destination_checkpoint_id}`, undefined, asB)).body.checkpoint;
      expect(checkpoint.status).toBe('available');
    }
    const after = await Promise.all(tasks.map(async (t: { id: string }) => (await get(second, `/operation-logs/${t.id}`)).operation_log));
    expect(after.map((t) => [t.status, t.error_info.code])).toEqual([['success', ''], ['success', '']]);
    expect(second.emulator.clock.pending()).toBe(0);
  });

  it('finishes VBS v2 backup jobs that were RUNNING at the stop, so the policy can be executed again', async () => {
    const first = await start(manual);
    const v2 = `/v2/${PROJECT_A}`;
    const volume = addVolume(first.emulator, PROJECT_A, { sizeGb: 10 });
    const created = await first.call('POST', `${v2}/backuppolicy`, {
      backup_policy_name: 'nightly',
      scheduled_policy: { remain_first_backup_of_curMonth: 'N', rentention_num: 3, frequency: 1, start_time: '23:00', status: 'ON' },
    });
    const policyId = created.body.backup_policy_id;
    await first.call('POST', `${v2}/backuppolicyresources`, { backup_policy_id: policyId, resources: [{ resource_id: volume.id, resource_type: 'volume' }] });
    expect((await first.call('POST', `${v2}/backuppolicy/${policyId}/action`)).status).toBe(204);
    expect((await first.call('GET', `${v2}/backuppolicy/${policyId}/backuptasks`)).body).toMatchObject({ tasks: [{ status: 'RUNNING' }] });
    await first.close();

    const second = await start(manual);
    second.emulator.clock.advance(STEP_DELAY_MS);
    expect((await second.call('GET', `${v2}/backuppolicy/${policyId}/backuptasks`)).body).toMatchObject({
      count: 1,
      tasks: [{ resource_id: volume.id, status: 'EXECUTE_SUCCESS', finished_at: expect.any(String) }],
    });
    expect((await second.call('POST', `${v2}/backuppolicy/${policyId}/action`)).status).toBe(204);
  });

  it('from a file of version 1 (no stored steps), infers the work in flight: a vanished backup fails with 6200, unknown work with 9910', async () => {
    const first = await start(manual);
    const volume = addVolume(first.emulator, PROJECT_A);
    const vault = addVault(first.emulator, PROJECT_A, { resources: [volume] });
    const orphan = createTask(first.emulator, PROJECT_A, {
      operation_type: 'backup',
      vault_id: vault.id,
      extra_info: { backup: { backup_id: 'c0ffee00-0000-4000-a000-000000000000', backup_name: 'lost' }, resource: { id: volume.id, type: 'OS::Cinder::Volume', name: volume.name } },
    });
    const replication = createTask(first.emulator, PROJECT_A, { operation_type: 'replication', vault_id: vault.id, extra_info: {} });
    first.emulator.persistence.markDirty();
    await first.close();
    writeFileSync(file, readFileSync(file, 'utf8').replace('"version":2', '"version":1'));

    const second = await start({ lifecycle: 'immediate' });
    expect((await get(second, `/operation-logs/${orphan.id}`)).operation_log).toMatchObject({
      status: 'failed',
      error_info: { code: 'BackupService.6200', message: 'The backup does not exist.' },
    });
    expect((await get(second, `/operation-logs/${replication.id}`)).operation_log).toMatchObject({
      status: 'failed',
      error_info: {
        code: 'BackupService.9910',
        message: 'Unknown error: the emulator restarted while this replication task was running and does not emulate its work',
      },
    });
  });

  it('from a file of version 1, stores the inferred work as steps: a second restart before it ran still ends it', async () => {
    const first = await start(manual);
    const volume = addVolume(first.emulator, PROJECT_A, { sizeGb: 10 });
    const vault = addVault(first.emulator, PROJECT_A, { resources: [volume] });
    const checkpoint = await createCheckpoint(first, PROJECT_A, vault.id);
    const [task] = (await get(first, '/operation-logs?status=running')).operation_logs;
    await first.close();
    // A file of version 1 has no stored steps.
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    for (const [, project] of saved.state.projects.$map) delete project.pendingSteps;
    writeFileSync(file, JSON.stringify({ ...saved, version: 1 }));

    const second = await start(manual);
    expect(second.emulator.state.project(PROJECT_A).pendingSteps.map((step) => step.kind)).toEqual(['restore-point.complete']);
    await second.close(); // stopped again before the inferred end ran
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(2);

    const third = await start(manual);
    expect((await get(third, `/checkpoints/${checkpoint.id}`)).checkpoint.status).toBe('protecting');
    third.emulator.clock.advance(STEP_DELAY_MS);
    expect((await get(third, `/checkpoints/${checkpoint.id}`)).checkpoint.status).toBe('available');
    expect((await backupsOf(third, PROJECT_A, checkpoint.id)).map((b) => b.status)).toEqual(['available']);
    expect((await get(third, `/operation-logs/${task.id}`)).operation_log.status).toBe('success');
  });

  it('leaves a state without work in flight as it was, with nothing scheduled', async () => {
    const first = await start(manual);
    const volume = addVolume(first.emulator, PROJECT_A);
    const vault = addVault(first.emulator, PROJECT_A, { resources: [volume] });
    await createCheckpoint(first, PROJECT_A, vault.id);
    first.emulator.clock.advance(10 * STEP_DELAY_MS);
    const before = (await get(first, '/backups')).backups;
    await first.close();

    const second = await start(manual);
    expect(second.emulator.clock.pending()).toBe(0);
    expect((await get(second, '/backups')).backups).toEqual(before);
  });

  it('replays stored steps instead of inferring work: a running task without a step stays running, an unknown kind is dropped with a warning', async () => {
    const first = await start(manual);
    const volume = addVolume(first.emulator, PROJECT_A);
    const vault = addVault(first.emulator, PROJECT_A, { resources: [volume] });
    const orphan = createTask(first.emulator, PROJECT_A, { operation_type: 'replication', vault_id: vault.id, extra_info: {} });
    first.emulator.state.project(PROJECT_A).pendingSteps.push({ kind: 'no.such.kind', dueAt: first.emulator.clock.now() + 500, args: {} });
    first.emulator.persistence.markDirty();
    await first.close();
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.state.projects.$map[0][1].pendingSteps).toEqual([{ kind: 'no.such.kind', dueAt: expect.any(Number), args: {} }]);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const second = await start(manual);
      expect(second.emulator.clock.pending()).toBe(1);
      second.emulator.clock.advance(STEP_DELAY_MS);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('unknown kind no.such.kind'));
      expect(second.emulator.state.project(PROJECT_A).pendingSteps).toEqual([]);
      expect((await get(second, `/operation-logs/${orphan.id}`)).operation_log.status).toBe('running');
    } finally {
      warn.mockRestore();
    }
  });

  it('in timed mode, a stored step runs on the real clock after the restart', async () => {
    const first = await start({ lifecycle: 'timed' });
    const volume = addVolume(first.emulator, PROJECT_A);
    const vault = addVault(first.emulator, PROJECT_A, { resources: [volume] });
    expect((await first.call('DELETE', `${base}/vaults/${vault.id}`)).status).toBe(204);
    expect(first.emulator.state.project(PROJECT_A).pendingSteps.map((step) => step.kind)).toEqual(['vault.delete.complete']);
    await first.close();

    const second = await start({ lifecycle: 'timed' });
    expect((await get(second, `/vaults/${vault.id}`)).vault.billing.status).toBe('deleting');
    // About a second later (its remaining wait).
    await eventually(async () => ((await second.call('GET', `${base}/vaults/${vault.id}`)).status === 404 ? true : undefined));
    expect(second.emulator.state.project(PROJECT_A).pendingSteps).toEqual([]);
  });
});
