import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_A, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { addServer, addVault, backupsOf, createCheckpoint, T0 } from '../helpers/builders';
import { canTransition, LifecycleError, MACHINES, transition, type MachineName } from '../../src/emulator/store/lifecycle';

describe('declared state machines', () => {
  it('declares exactly these moves', () => {
    expect(Object.fromEntries(Object.entries(MACHINES).map(([name, m]) => [name, { field: m.field, ...m.transitions }]))).toEqual({
      backup: {
        field: 'status',
        protecting: ['available', 'error'],
        available: ['restoring', 'deleting'],
        restoring: ['available'],
        error: ['deleting'],
        deleting: [],
      },
      checkpoint: { field: 'status', protecting: ['available', 'error'], available: [], error: [] },
      task: { field: 'status', running: ['success', 'failed'], success: [], failed: [] },
      resource: {
        field: 'protect_status',
        available: ['protecting', 'restoring', 'removing'],
        protecting: ['available', 'error'],
        restoring: ['available', 'error'],
        error: ['protecting', 'restoring', 'removing', 'available'],
        removing: [],
      },
      member: { field: 'status', pending: ['accepted', 'rejected'], accepted: ['rejected'], rejected: ['accepted'] },
    });
  });

  it('moves a record along a declared transition, writing the machine’s field', () => {
    const backup = { status: 'protecting' };
    transition('backup', backup, 'available');
    expect(backup.status).toBe('available');
    const resource: { protect_status?: string } = {};
    transition('resource', resource, 'protecting'); // unset counts as available
    expect(resource.protect_status).toBe('protecting');
  });

  it.each([
    ['backup', 'protecting', 'deleting'],
    ['backup', 'deleting', 'available'],
    ['backup', 'restoring', 'deleting'],
    ['checkpoint', 'available', 'protecting'],
    ['task', 'success', 'running'],
    ['member', 'accepted', 'pending'],
  ] as Array<[MachineName, string, string]>)('refuses the undeclared %s move %s → %s as a bug', (machine, from, to) => {
    const record = { status: from };
    expect(canTransition(machine, from, to as never)).toBe(false);
    expect(() => transition(machine, record, to as never)).toThrow(new LifecycleError(machine, from, to));
    expect(record.status).toBe(from);
  });

  it('refuses to move a record without a state (other than a resource)', () => {
    expect(() => transition('backup', {}, 'available')).toThrow('lifecycle: backup cannot go from (none) to available');
    expect(canTransition('task', undefined, 'success')).toBe(false);
  });
});

describe('observed lifecycle of one server backup (manual mode)', () => {
  let emu: TestEmulator;
  afterEach(() => emu.close());

  it('only ever makes declared moves: protect, restore, delete', async () => {
    emu = await startTestEmulator({ lifecycle: 'manual', clock: { mode: 'frozen', start: T0 } });
    const server = addServer(emu.emulator, PROJECT_A, { disks: [{ bootable: true }, { bootable: false }] });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [server] });
    const project = emu.emulator.state.project(PROJECT_A);

    // Every (machine, record) → the sequence of states it was seen in after each request or clock step.
    const history = new Map<string, { machine: MachineName; states: string[] }>();
    const see = (machine: MachineName, id: string, state: string | null | undefined) => {
      const entry = history.get(`${machine}:${id}`) ?? { machine, states: [] };
      const value = state ?? 'gone';
      if (entry.states.at(-1) !== value) entry.states.push(value);
      history.set(`${machine}:${id}`, entry);
    };
    const observe = () => {
      for (const key of history.keys()) {
        const [machine, id] = key.split(':') as [MachineName, string];
        if (machine === 'backup' && !project.backups.has(id)) see(machine, id, 'gone');
      }
      for (const backup of project.backups.values()) see('backup', backup.id, backup.status);
      for (const checkpoint of project.restorePoints.values()) see('checkpoint', checkpoint.id, checkpoint.status);
      for (const task of project.tasks.values()) see('task', task.id, task.status);
      for (const resource of project.vaults.get(vault.id)!.resources) see('resource', resource.id, resource.protect_status ?? 'available');
    };
    const step = () => {
      emu.emulator.clock.advance(1000);
      observe();
    };

    observe();
    const checkpoint = await createCheckpoint(emu, PROJECT_A, vault.id);
    observe();
    step();
    step();
    const [listed] = await backupsOf(emu, PROJECT_A, checkpoint.id);
    const full = (await emu.call('GET', `/v3/${PROJECT_A}/backups/${listed.id}`)).body.backup;
    const mappings = full.children.map((c: any) => ({ backup_id: c.id, volume_id: c.resource_id }));
    expect((await emu.call('POST', `/v3/${PROJECT_A}/backups/${listed.id}/restore`, { restore: { server_id: server.id, mappings } })).status).toBe(202);
    observe();
    step();
    step();
    expect((await emu.call('DELETE', `/v3/${PROJECT_A}/backups/${listed.id}`)).status).toBe(204);
    observe();
    step();

    for (const { machine, states } of history.values()) {
      for (let i = 1; i < states.length; i++) {
        const [from, to] = [states[i - 1]!, states[i]!];
        if (to === 'gone') expect(from).toBe('deleting');
        else expect(canTransition(machine, from, to as never), `${machine} ${from} → ${to}`).toBe(true);
      }
    }
    const byMachine = (machine: MachineName) => [...history.values()].filter((e) => e.machine === machine).map((e) => e.states);
    expect(byMachine('backup')).toEqual([
      ['protecting', 'available', 'restoring', 'available', 'deleting', 'gone'],
      ['protecting', 'available', 'restoring', 'available', 'deleting', 'gone'],
      ['protecting', 'available', 'restoring', 'available', 'deleting', 'gone'],
    ]);
    expect(byMachine('checkpoint')).toEqual([['protecting', 'available']]);
    expect(byMachine('task')).toEqual([
      ['running', 'success'],
      ['running', 'success'],
      ['running', 'success'],
    ]);
    expect(byMachine('resource')).toEqual([['available', 'protecting', 'available', 'restoring', 'available']]);
    expect(emu.emulator.clock.pending()).toBe(0);
  });
});
