import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEmulator } from '../../src/emulator/server';
import type { Emulator } from '../../src/emulator/context';
import { DAILY_RETENTION_DAYS, loadDemoData, WEEKLY_MAX_BACKUPS } from '../../src/emulator/demo-data';
import { DEMO_PROJECT, DEMO_PROJECT_2 } from '../../src/emulator/demo-identity';
import { parsePatterns } from '../../src/upstream/rrule';
import type { ProjectState } from '../../src/emulator/state';
import { Vault } from '../../src/upstream/schemas/vault';
import { OperationDefinitionCreate, Policy } from '../../src/upstream/schemas/policy';
import { Backup } from '../../src/upstream/schemas/backup';
import { Checkpoint } from '../../src/upstream/schemas/restore-point';
import { OperationLog } from '../../src/upstream/schemas/task';
import { Member } from '../../src/upstream/schemas/share-member';
import { VbsPolicy } from '../../src/upstream/schemas/vbs-policy';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';

/** A Wednesday, mid-morning UTC: the counts below hold for this clock start. */
const START = Date.parse('2025-03-12T10:15:00.000Z');
const DAY = 86_400_000;

function demoEmulator(start = START): Emulator {
  const emulator = createEmulator({ demo: false, lifecycle: 'manual', clock: { start, mode: 'frozen' } });
  loadDemoData(emulator);
  return emulator;
}

const main = (emulator: Emulator) => emulator.state.project(DEMO_PROJECT.id);
const second = (emulator: Emulator) => emulator.state.project(DEMO_PROJECT_2.id);
const topLevel = (project: ProjectState) => [...project.backups.values()].filter((b) => b.parent_id == null);
const countBy = <T>(items: Iterable<T>, key: (item: T) => string) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

/** Parses every record with its wire schema and asserts nothing is lost or renamed by the parse. */
function expectWireShape<S extends z.ZodType>(schema: S, records: Iterable<unknown>): number {
  let n = 0;
  for (const record of records) {
    const parsed = schema.safeParse(record);
    if (!parsed.success) throw new Error(`${JSON.stringify(record).slice(0, 300)}\n${parsed.error.message}`);
    expect(parsed.data).toEqual(record);
    n++;
  }
  return n;
}

describe('demo dataset', () => {
  let emu: TestEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  it('stores every record of every map of both projects in its wire shape', () => {
    const emulator = demoEmulator();
    let records = 0;
    for (const project of [main(emulator), second(emulator)]) {
      records += expectWireShape(Vault, project.vaults.values());
      records += expectWireShape(Policy, project.policies.values());
      records += expectWireShape(Backup, project.backups.values());
      records += expectWireShape(Checkpoint, project.restorePoints.values());
      records += expectWireShape(OperationLog, project.tasks.values());
      records += expectWireShape(Member, [...project.shareMembers.values()].flatMap((members) => [...members.values()]));
      records += expectWireShape(VbsPolicy, project.vbsPolicies.values());
    }
    // main: 6 vaults, 3 policies, 766 backups, 129 restore points, 83 tasks, 1 member, 2 VBS policies; second: 1 vault
    expect(records).toBe(991);
  });

  it('has the documented counts: vaults, policies, a few hundred backups, tasks of every type', () => {
    const emulator = demoEmulator();
    const project = main(emulator);
    const cloud = [...project.cloudResources.values()];
    expect(countBy(cloud, (r) => r.type)).toEqual({ 'OS::Nova::Server': 9, 'OS::Cinder::Volume': 7, 'OS::Sfs::Turbo': 3 });
    expect(countBy(project.vaults.values(), (v) => v.billing.object_type ?? '')).toEqual({ server: 3, disk: 2, turbo: 1 });
    expect([...project.policies.values()].map((p) => [p.name, p.enabled, p.associated_vaults?.length])).toEqual([
      ['daily-0200', true, 3],
      ['weekly-sunday', true, 2],
      ['db-workdays-2x', false, 0],
    ]);

    // 10 resources daily for 30 days, 4 weekly for 16 weeks, 6 manual, 1 running now.
    const backups = topLevel(project);
    expect(backups).toHaveLength(10 * DAILY_RETENTION_DAYS + 4 * WEEKLY_MAX_BACKUPS + 6 + 1);
    expect(project.backups.size - backups.length).toBe(395); // disk backups of server backups
    expect(countBy(project.backups.values(), (b) => b.status)).toEqual({ available: 753, error: 9, protecting: 4 });
    expect(countBy(backups, (b) => b.status)).toEqual({ available: 366, error: 4, protecting: 1 });
    expect(project.restorePoints.size).toBe(3 * DAILY_RETENTION_DAYS + 2 * WEEKLY_MAX_BACKUPS + 6 + 1);

    expect(countBy(project.tasks.values(), (t) => `${t.operation_type}:${t.status}`)).toEqual({
      'backup:success': 74,
      'backup:failed': 1,
      'backup:running': 1,
      'delete:success': 2,
      'restore:success': 2,
      'restore:failed': 1,
      'vault_delete:success': 1,
      'remove_resource:success': 1,
    });
    const members = [...project.shareMembers.values()].flatMap((m) => [...m.values()]);
    expect(members.map((m) => [m.status, m.dest_project_id])).toEqual([['pending', DEMO_PROJECT_2.id]]);
    expect([...project.vbsPolicies.values()].map((p) => [p.backup_policy_name, p.scheduled_policy.status, p.policy_resource_count])).toEqual([
      ['vbs-nightly-legacy', 'ON', 2],
      ['vbs-weekly-archive', 'OFF', 0],
    ]);

    const other = second(emulator);
    expect([...other.vaults.values()].map((v) => [v.name, v.resources.length])).toEqual([['vault-shared-imports', 0]]);
    expect([...other.cloudResources.values()].map((r) => r.name)).toEqual(['sandbox-01']);
  });

  it('keeps references consistent: vaults, resources, policies, children, restore points, shares', () => {
    const emulator = demoEmulator();
    const project = main(emulator);
    const vaultIds = new Set(project.vaults.keys());

    for (const vault of project.vaults.values()) {
      for (const resource of vault.resources) {
        const cloud = project.cloudResources.get(resource.id);
        expect(cloud, `${vault.name}/${resource.name}`).toBeDefined();
        expect(cloud!.type).toBe(resource.type);
        expect({ server: 'OS::Nova::Server', disk: 'OS::Cinder::Volume', turbo: 'OS::Sfs::Turbo' }[vault.billing.object_type!]).toBe(resource.type);
      }
      // No resource is in two vaults; the stored usage never exceeds the capacity.
      expect(vault.billing.used! / 1024).toBeLessThanOrEqual(vault.billing.size);
    }
    const inVaults = [...project.vaults.values()].flatMap((v) => v.resources.map((r) => r.id));
    expect(new Set(inVaults).size).toBe(inVaults.length);

    const policyOfVault = new Map<string, string>();
    for (const policy of project.policies.values()) {
      expect(parsePatterns(policy.trigger.properties.pattern)).toMatchObject({ ok: true });
      expect(OperationDefinitionCreate.safeParse(policy.operation_definition).success).toBe(true);
      for (const { vault_id } of policy.associated_vaults ?? []) {
        expect(vaultIds.has(vault_id)).toBe(true);
        expect(policyOfVault.has(vault_id)).toBe(false); // one backup policy per vault
        policyOfVault.set(vault_id, policy.id);
      }
    }

    for (const backup of project.backups.values()) {
      expect(vaultIds.has(backup.vault_id)).toBe(true);
      expect(project.restorePoints.get(backup.checkpoint_id)?.vault?.id).toBe(backup.vault_id);
      expect(backup.project_id).toBe(project.id);
      if (backup.parent_id == null) {
        expect(project.vaults.get(backup.vault_id)!.resources.some((r) => r.id === backup.resource_id)).toBe(true);
        if (backup.extend_info?.auto_trigger) expect(backup.checkpoint_id && policyOfVault.get(backup.vault_id)).toBeTruthy();
      } else {
        const parent = project.backups.get(backup.parent_id);
        expect(parent?.resource_type).toBe('OS::Nova::Server');
        expect(parent?.checkpoint_id).toBe(backup.checkpoint_id);
        expect(parent?.status).toBe(backup.status);
        const server = project.cloudResources.get(parent!.resource_id);
        expect(server?.disks?.some((d) => d.id === backup.resource_id)).toBe(true);
        expect(backup.name).toBe(`${parent!.name}_${backup.resource_name}`);
      }
    }

    for (const task of project.tasks.values()) {
      if (task.operation_type === 'vault_delete') expect(vaultIds.has(task.vault_id!)).toBe(false);
      else expect(vaultIds.has(task.vault_id!)).toBe(true);
      const backupId = task.extra_info?.backup?.backup_id;
      if (backupId) expect(project.backups.has(backupId)).toBe(true);
      const restored = task.extra_info?.restore?.backup_id;
      if (restored) expect(project.backups.get(restored)?.status).toBe('available');
    }

    for (const [backupId, members] of project.shareMembers) {
      const backup = project.backups.get(backupId);
      expect(backup).toMatchObject({ resource_type: 'OS::Nova::Server', status: 'available', parent_id: null });
      for (const member of members.values()) {
        expect(member.backup_id).toBe(backupId);
        expect(emulator.state.projects.has(member.dest_project_id)).toBe(true);
      }
    }

    for (const [policyId, volumes] of project.vbsPolicyResources) {
      expect(project.vbsPolicies.has(policyId)).toBe(true);
      for (const id of volumes) expect(project.cloudResources.get(id)?.type).toBe('OS::Cinder::Volume');
    }
  });

  it('dates everything relative to the clock: daily backups at 01:00 UTC within 30 days, history up to 150 days back', () => {
    const start = Date.parse('2031-07-04T23:59:00.000Z');
    const project = main(demoEmulator(start));
    const created = (value: string) => Date.parse(value.endsWith('Z') ? value : `${value}Z`);
    const times = [...project.backups.values()].map((b) => created(b.created_at));
    expect(Math.max(...times)).toBe(start);
    expect(Math.min(...times)).toBe(Date.parse('2031-02-04T14:17:00.000Z')); // the 150-day-old manual backup
    const daily = topLevel(project).filter((b) => b.expired_at != null);
    expect(daily).toHaveLength(10 * DAILY_RETENTION_DAYS);
    for (const backup of daily) {
      const at = created(backup.created_at);
      expect(start - at).toBeLessThan(DAILY_RETENTION_DAYS * DAY);
      expect(new Date(at).getUTCHours()).toBe(1);
      expect(created(backup.expired_at!) - at).toBe(DAILY_RETENTION_DAYS * DAY);
    }
    for (const task of project.tasks.values()) expect(created(task.created_at)).toBeLessThanOrEqual(start);
  });

  it('inserts tasks and backups oldest first, so the stores list them newest first', () => {
    const project = main(demoEmulator());
    const taskTimes = [...project.tasks.values()].map((t) => t.created_at);
    expect(taskTimes).toEqual([...taskTimes].sort());
    const backupTimes = topLevel(project).map((b) => b.created_at);
    expect(backupTimes).toEqual([...backupTimes].sort());
  });

  it('is deterministic: the same clock start gives the same dataset, ids included', () => {
    const snapshot = (emulator: Emulator) =>
      JSON.stringify([main(emulator), second(emulator)].map((p) => ({
        cloud: [...p.cloudResources.values()],
        vaults: [...p.vaults.values()],
        policies: [...p.policies.values()],
        backups: [...p.backups.values()],
        restorePoints: [...p.restorePoints.values()],
        tasks: [...p.tasks.values()],
        members: [...p.shareMembers.values()].map((m) => [...m.values()]),
        vbs: [...p.vbsPolicies.values()],
      })));
    expect(snapshot(demoEmulator())).toBe(snapshot(demoEmulator()));
  });

  it('finishes the running backup as the clock advances (restore point, backup, disks, task, vault resource)', () => {
    const emulator = demoEmulator();
    const project = main(emulator);
    const running = topLevel(project).find((b) => b.status === 'protecting')!;
    expect(running).toMatchObject({ resource_name: 'db-primary', description: 'Before schema migration 42' });
    const task = [...project.tasks.values()].find((t) => t.status === 'running')!;
    const vault = project.vaults.get(running.vault_id)!;
    const resource = () => vault.resources.find((r) => r.id === running.resource_id)!;
    expect(task.extra_info?.backup?.backup_id).toBe(running.id);
    expect(task.extra_info?.common.progress).toBe(35);
    expect(resource().protect_status).toBe('protecting');

    emulator.clock.advance(20_000);
    expect(task.extra_info?.common.progress).toBe(70);
    emulator.clock.advance(20_000);
    expect(task).toMatchObject({ status: 'success', extra_info: { common: { progress: 100 } } });
    expect([running, ...[...project.backups.values()].filter((b) => b.parent_id === running.id)].map((b) => b.status)).toEqual([
      'available',
      'available',
      'available',
      'available',
    ]);
    expect(project.restorePoints.get(running.checkpoint_id)?.status).toBe('available');
    expect(resource().protect_status).toBe('available');
  });

  it('arms the enabled policies: the next 01:00 UTC run backs up the three daily vaults', () => {
    const emulator = demoEmulator();
    const project = main(emulator);
    const before = topLevel(project).length;
    emulator.clock.advance(Date.parse('2025-03-13T01:00:00.000Z') - START);
    for (let step = 0; step < 3; step++) emulator.clock.advance(1_000); // the run's lifecycle steps, one at a time
    const fresh = topLevel(project).filter((b) => b.created_at.startsWith('2025-03-13T01:00'));
    expect(fresh).toHaveLength(10);
    expect(fresh.every((b) => b.status === 'available' && b.extend_info?.auto_trigger === true)).toBe(true); // the vaults have room
    expect(topLevel(project).length).toBe(before + 10);
  });

  it('serves the dataset over HTTP (VBS policies and their backup jobs)', async () => {
    emu = await startTestEmulator({ clock: { start: START, mode: 'frozen' } });
    loadDemoData(emu.emulator);
    const list = await emu.call('GET', `/v2/${DEMO_PROJECT.id}/backuppolicy`);
    expect(list.status).toBe(200);
    expect(list.body.backup_policies.map((p: { backup_policy_name: string }) => p.backup_policy_name)).toEqual(['vbs-nightly-legacy', 'vbs-weekly-archive']);
    const nightly = list.body.backup_policies[0];
    const jobs = await emu.call('GET', `/v2/${DEMO_PROJECT.id}/backuppolicy/${nightly.backup_policy_id}/backuptasks`);
    expect(jobs.body.count).toBe(6);
    expect(jobs.body.tasks[0]).toMatchObject({ status: 'EXECUTE_SUCCESS', created_at: '2025-03-11T23:00:40.000', resource_type: 'volume' });
  });
});
