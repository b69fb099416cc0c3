import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routes } from '../../src/emulator/handlers';
import { SAVE_DEBOUNCE_MS } from '../../src/emulator/persistence';
import { startEmulator } from '../../src/emulator/server';
import { addVolume, T0 } from '../helpers/builders';
import { policyCreate, vaultCreate } from '../helpers/cbr';
import { PROBE_ROUTES, PROJECT_A, startTestEmulator, type TestEmulator } from '../helpers/emulator';

// A vault in wire shape, put into state directly so these tests do not depend on the vault handlers.
const vault = {
  id: '3b5d7f9e-1a3c-4b7d-a9f1-e3a5c7b9d1f3',
  name: 'persisted-vault',
  resources: [],
  billing: { size: 100, status: 'available' },
} as never;

describe('persistence (--state FILE)', () => {
  let dir: string;
  let file: string;
  const running: TestEmulator[] = [];
  const start = async (options: Parameters<typeof startTestEmulator>[0] = {}) => {
    const emu = await startTestEmulator({ stateFile: file, ...options }, [...routes, ...PROBE_ROUTES]);
    running.push(emu);
    return emu;
  };
  const waitFor = async (predicate: () => boolean) => {
    for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
    return predicate();
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cbr-emulator-state-'));
    file = join(dir, 'nested', 'state.json');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((emu) => emu.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a vault, nested maps and sets across a restart', async () => {
    const first = await start();
    const project = first.emulator.state.project(PROJECT_A);
    project.vaults.set('3b5d7f9e-1a3c-4b7d-a9f1-e3a5c7b9d1f3', vault);
    project.vbsPolicyResources.set('policy-1', new Set(['vol-1', 'vol-2']));
    project.shareMembers.set('backup-1', new Map([['p2', { id: 'm1' } as never]]));
    first.emulator.persistence.markDirty();
    await first.close();

    const second = await start();
    const restored = second.emulator.state.project(PROJECT_A);
    expect([...restored.vaults.values()]).toEqual([vault]);
    expect(restored.vbsPolicyResources.get('policy-1')).toEqual(new Set(['vol-1', 'vol-2']));
    expect(restored.shareMembers.get('backup-1')?.get('p2')).toEqual({ id: 'm1' });
    expect([...second.emulator.state.projects.keys()].sort()).toEqual([...first.emulator.state.projects.keys()].sort());
  });

  it('writes the file atomically: valid JSON, no temp file left behind', async () => {
    const emu = await start();
    emu.emulator.state.project(PROJECT_A).vaults.set('v', vault);
    emu.emulator.persistence.markDirty();
    await emu.close();
    expect(readdirSync(join(dir, 'nested'))).toEqual(['state.json']);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({ format: 'cbr-emulator-state', version: 2, generation: 0 });
    expect(saved.state.projects.$map.map(([id]: [string]) => id)).toContain(PROJECT_A);
  });

  it('saves shortly after a mutating request, without waiting for close', async () => {
    const emu = await start();
    const res = await emu.call('POST', '/v3/auth/tokens', {
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'demo-user', password: 'demo-password', domain: { name: 'cbr-emulator-demo' } } } },
        scope: { project: { name: 'eu-de' } },
      },
    });
    expect(res.status).toBe(201);
    const token = res.headers.get('x-subject-token')!;
    expect(await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').includes(token))).toBe(true);
    expect(SAVE_DEBOUNCE_MS).toBeLessThan(1000);
  });

  it('keeps tokens valid across a restart', async () => {
    const first = await start();
    const token = first.project.token;
    first.emulator.persistence.markDirty();
    await first.close();
    const second = await start();
    const res = await second.call('GET', `/v3/${PROJECT_A}/probe`, undefined, { token });
    expect(res).toMatchObject({ status: 200, body: { project: PROJECT_A } });
  });

  it('never repeats an id after a restart', async () => {
    const first = await start();
    const before = [first.emulator.ids.uuid(), first.emulator.ids.uuid()];
    first.emulator.persistence.markDirty();
    await first.close();
    const second = await start();
    expect(before).not.toContain(second.emulator.ids.uuid());
  });

  it('saves state changed by async work that runs on the clock', async () => {
    const emu = await start({ lifecycle: 'manual' });
    emu.emulator.persistence.flush();
    emu.emulator.clock.schedule(1000, () => emu.emulator.state.project(PROJECT_A).vaults.set('late', vault));
    emu.emulator.clock.advance(1000);
    expect(await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').includes('"late"'))).toBe(true);
  });

  it('overwrites the file with the initial dataset on reset', async () => {
    const emu = await start();
    emu.emulator.state.project(PROJECT_A).vaults.set('v', vault);
    emu.emulator.persistence.markDirty();
    emu.emulator.persistence.flush();
    expect(readFileSync(file, 'utf8')).toContain('persisted-vault');
    expect((await emu.call('POST', '/__admin/reset', undefined, { token: null })).status).toBe(204);
    emu.emulator.persistence.flush();
    expect(readFileSync(file, 'utf8')).not.toContain('persisted-vault');
    expect(emu.emulator.state.project(PROJECT_A).vaults.size).toBe(0);
  });

  it('re-arms the backup policies after a restart (clock jobs are not persisted)', async () => {
    const clock = { start: T0, mode: 'frozen' as const };
    const first = await start({ clock });
    const base = `/v3/${PROJECT_A}`;
    const disk = addVolume(first.emulator, PROJECT_A, { sizeGb: 10 });
    const vault = await first.call('POST', `${base}/vaults`, { vault: vaultCreate('disk', { resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] }) });
    const policy = await first.call('POST', `${base}/policies`, { policy: policyCreate({ trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=14;BYMINUTE=00'] } } }) });
    const bound = await first.call('POST', `${base}/vaults/${vault.body.vault.id}/associatepolicy`, { policy_id: policy.body.policy.id });
    expect(bound.status).toBe(200);
    await first.close();

    const second = await start({ clock });
    second.emulator.clock.advance(7 * 3600_000); // T0 is 08:00, the policy runs at 14:00
    const backups = await second.call('GET', `${base}/backups?vault_id=${vault.body.vault.id}`);
    expect(backups.status).toBe(200);
    expect(backups.body.backups).toMatchObject([{ resource_id: disk.id, extend_info: { auto_trigger: true } }]);
  });

  it('keeps VBS v2 backup jobs across a restart and drops them on reset', async () => {
    const first = await start();
    const v2 = `/v2/${PROJECT_A}`;
    const volume = addVolume(first.emulator, PROJECT_A, { sizeGb: 10 });
    const created = await first.call('POST', `${v2}/backuppolicy`, {
      backup_policy_name: 'nightly',
      scheduled_policy: { remain_first_backup_of_curMonth: 'N', rentention_num: 3, frequency: 1, start_time: '23:00', status: 'ON' },
    });
    const policyId = created.body.backup_policy_id;
    const associated = await first.call('POST', `${v2}/backuppolicyresources`, {
      backup_policy_id: policyId,
      resources: [{ resource_id: volume.id, resource_type: 'volume' }],
    });
    expect(associated.status).toBe(200);
    expect((await first.call('POST', `${v2}/backuppolicy/${policyId}/action`)).status).toBe(204);
    const jobs = (await first.call('GET', `${v2}/backuppolicy/${policyId}/backuptasks`)).body;
    expect(jobs).toMatchObject({ count: 1, tasks: [{ resource_id: volume.id, status: 'EXECUTE_SUCCESS' }] });
    await first.close();

    const second = await start();
    expect((await second.call('GET', `${v2}/backuppolicy/${policyId}/backuptasks`)).body).toEqual(jobs);
    second.reset();
    expect(second.emulator.state.project(PROJECT_A).vbsBackupTasks.size).toBe(0);
    second.emulator.persistence.flush();
    expect(readFileSync(file, 'utf8')).not.toContain(jobs.tasks[0].job_id);
  });

  it('refuses to start on a file that is not emulator state, leaving it untouched', async () => {
    writeFileSync(file.replace('nested/', ''), '{"hello":1}');
    const other = join(dir, 'state.json');
    await expect(startEmulator({ stateFile: other })).rejects.toThrow(
      `cannot load emulator state from ${other}: not an emulator state file (format undefined, version undefined)`,
    );
    writeFileSync(other, 'not json');
    await expect(startEmulator({ stateFile: other })).rejects.toThrow(/^cannot load emulator state from .*: Unexpected token/);
    expect(readFileSync(other, 'utf8')).toBe('not json');
  });
});
