import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { addVolume, createCheckpoint, T0 } from '../helpers/builders';
import { policyCreate, vaultCreate } from '../helpers/cbr';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// T0 is Friday 2024-03-01 08:00 UTC.

/** A disk vault with one disk and `policy` applied; answers both ids. */
async function protectedVault(emu: TestEmulator, policy: Record<string, unknown>): Promise<{ vaultId: string; policyId: string; diskId: string }> {
  const base = `/v3/${emu.project.id}`;
  const disk = addVolume(emu.emulator, emu.project.id, { sizeGb: 10 });
  const vault = await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('disk', { resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] }) });
  const created = await emu.call('POST', `${base}/policies`, { policy: policyCreate(policy) });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  await emu.call('POST', `${base}/vaults/${vault.body.vault.id}/associatepolicy`, { policy_id: created.body.policy.id });
  return { vaultId: vault.body.vault.id, policyId: created.body.policy.id, diskId: disk.id };
}

async function backupsIn(emu: TestEmulator, vaultId: string): Promise<any[]> {
  const res = await emu.call('GET', `/v3/${emu.project.id}/backups?vault_id=${vaultId}&sort=created_at:asc`);
  expect(res.status).toBe(200);
  return res.body.backups;
}

describe('policy scheduler (manual lifecycle)', () => {
  let emu: TestEmulator;

  beforeAll(async () => {
    emu = await startTestEmulator({ lifecycle: 'manual', clock: { start: T0, mode: 'frozen' } });
  });
  afterAll(() => emu.close());

  it('creates an automatic restore point when the trigger fires; its backup completes with auto_trigger true', async () => {
    const { vaultId, policyId, diskId } = await protectedVault(emu, {
      trigger: { properties: { pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=14;BYMINUTE=00'] } },
    });
    emu.emulator.clock.advance(6 * HOUR - 1);
    expect(await backupsIn(emu, vaultId)).toEqual([]);

    emu.emulator.clock.advance(1); // 14:00
    const [running] = await backupsIn(emu, vaultId);
    expect(running).toMatchObject({ status: 'protecting', resource_id: diskId, created_at: '2024-03-01T14:00:00.000000', extend_info: { auto_trigger: true } });
    const checkpoint = (await emu.call('GET', `/v3/${emu.project.id}/checkpoints/${running.checkpoint_id}`)).body.checkpoint;
    expect(checkpoint.status).toBe('protecting');

    emu.emulator.clock.advance(1_000);
    emu.emulator.clock.advance(1_000);
    const [done] = await backupsIn(emu, vaultId);
    expect(done).toMatchObject({ id: running.id, status: 'available', extend_info: { auto_trigger: true } });
    const tasks = (await emu.call('GET', `/v3/${emu.project.id}/operation-logs?operation_type=backup&vault_id=${vaultId}`)).body.operation_logs;
    expect(tasks).toMatchObject([{ status: 'success', policy_id: policyId }]);
  });
});

describe('policy scheduler', () => {
  let emu: TestEmulator;
  let base: string;

  // A fresh emulator per test, as a reset keeps the clock's time.
  beforeEach(async () => {
    emu = await startTestEmulator({ clock: { start: T0, mode: 'frozen' } });
    base = `/v3/${emu.project.id}`;
  });
  afterEach(() => emu.close());

  /** Moves the clock; a new token keeps the test's calls valid (tokens last 24 h on the emulator's clock). */
  function advance(ms: number): void {
    emu.emulator.clock.advance(ms);
    emu.project.token = emu.emulator.identity.issueToken(emu.project.id).token;
  }

  it('fires once per time point, also when one advance passes several', async () => {
    const { vaultId } = await protectedVault(emu, { operation_definition: {} });
    advance(3 * DAY);
    const backups = await backupsIn(emu, vaultId);
    expect(backups).toHaveLength(3);
    expect(backups.every((b) => b.extend_info.auto_trigger === true && b.status === 'available')).toBe(true);
  });

  it('follows BYDAY: a Saturday rule waits for Saturday', async () => {
    const { vaultId } = await protectedVault(emu, {
      operation_definition: {},
      trigger: { properties: { pattern: ['FREQ=WEEKLY;BYDAY=SA;BYHOUR=10;BYMINUTE=00'] } },
    });
    advance(DAY); // Saturday 08:00
    expect(await backupsIn(emu, vaultId)).toHaveLength(0);
    advance(2 * HOUR); // Saturday 10:00
    expect(await backupsIn(emu, vaultId)).toHaveLength(1);
    advance(6 * DAY);
    expect(await backupsIn(emu, vaultId)).toHaveLength(1);
    advance(DAY);
    expect(await backupsIn(emu, vaultId)).toHaveLength(2);
  });

  it('fires far-away time points (every 3 weeks) through daily wake-ups', async () => {
    const { vaultId } = await protectedVault(emu, {
      operation_definition: {},
      trigger: { properties: { pattern: ['FREQ=WEEKLY;INTERVAL=3;BYDAY=FR;BYHOUR=09;BYMINUTE=00'] } },
    });
    advance(HOUR); // Friday 09:00 of the start week
    expect(await backupsIn(emu, vaultId)).toHaveLength(1);
    advance(20 * DAY);
    expect(await backupsIn(emu, vaultId)).toHaveLength(1);
    advance(DAY); // three weeks later
    expect(await backupsIn(emu, vaultId)).toHaveLength(2);
    expect(emu.emulator.clock.pending()).toBe(1);
  });

  it('keeps the newest max_backups automatic backups per resource and never deletes manual ones', async () => {
    const { vaultId } = await protectedVault(emu, { operation_definition: { max_backups: 2 } });
    const manual = await createCheckpoint(emu, emu.project.id, vaultId);
    advance(DAY);
    advance(DAY);
    advance(DAY);
    const backups = await backupsIn(emu, vaultId);
    expect(backups.map((b) => [b.checkpoint_id === manual.id ? 'manual' : 'auto', b.created_at])).toEqual([
      ['manual', '2024-03-01T08:00:00.000000'],
      ['auto', '2024-03-03T08:00:00.000000'],
      ['auto', '2024-03-04T08:00:00.000000'],
    ]);
  });

  it('deletes automatic backups older than retention_duration_days', async () => {
    const { vaultId } = await protectedVault(emu, { operation_definition: { retention_duration_days: 1 } });
    advance(6 * HOUR); // day 1, 14:00
    advance(DAY);
    advance(DAY);
    expect((await backupsIn(emu, vaultId)).map((b) => b.created_at)).toEqual(['2024-03-02T14:00:00.000000', '2024-03-03T14:00:00.000000']);
  });

  it('does not fire a disabled policy, and fires once it is enabled', async () => {
    const { vaultId, policyId } = await protectedVault(emu, { enabled: false });
    advance(DAY);
    expect(await backupsIn(emu, vaultId)).toHaveLength(0);
    await emu.call('PUT', `${base}/policies/${policyId}`, { policy: { enabled: true } });
    advance(DAY);
    expect(await backupsIn(emu, vaultId)).toHaveLength(1);
  });

  it('reschedules on a new pattern: the old time no longer fires', async () => {
    const { vaultId, policyId } = await protectedVault(emu, {});
    await emu.call('PUT', `${base}/policies/${policyId}`, {
      policy: { trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=20;BYMINUTE=00'] } } },
    });
    advance(6 * HOUR); // 14:00
    expect(await backupsIn(emu, vaultId)).toHaveLength(0);
    advance(6 * HOUR); // 20:00
    expect((await backupsIn(emu, vaultId)).map((b) => b.created_at)).toEqual(['2024-03-01T20:00:00.000000']);
  });

  it('stops with the policy: deleted policies and dissociated vaults are not backed up', async () => {
    const deleted = await protectedVault(emu, {});
    const dissociated = await protectedVault(emu, { name: 'other' });
    await emu.call('DELETE', `${base}/policies/${deleted.policyId}`);
    await emu.call('POST', `${base}/vaults/${dissociated.vaultId}/dissociatepolicy`, { policy_id: dissociated.policyId });
    advance(2 * DAY);
    expect(await backupsIn(emu, deleted.vaultId)).toHaveLength(0);
    expect(await backupsIn(emu, dissociated.vaultId)).toHaveLength(0);
  });

  it('backs up every vault of the policy, skipping vaults without resources', async () => {
    const { vaultId, policyId } = await protectedVault(emu, {});
    const second = addVolume(emu.emulator, emu.project.id);
    const other = (await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('disk', { resources: [{ id: second.id, type: 'OS::Cinder::Volume' }] }) })).body.vault;
    const empty = (await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('disk') })).body.vault;
    await emu.call('POST', `${base}/vaults/${other.id}/associatepolicy`, { policy_id: policyId });
    await emu.call('POST', `${base}/vaults/${empty.id}/associatepolicy`, { policy_id: policyId });
    advance(6 * HOUR);
    expect(await backupsIn(emu, vaultId)).toHaveLength(1);
    expect(await backupsIn(emu, other.id)).toHaveLength(1);
    expect(await backupsIn(emu, empty.id)).toHaveLength(0);
  });

  it('never fires a replication policy', async () => {
    const disk = addVolume(emu.emulator, emu.project.id);
    const vault = (await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('disk', { resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] }) })).body.vault;
    const policy = (
      await emu.call('POST', `${base}/policies`, {
        policy: policyCreate({ operation_type: 'replication', operation_definition: { destination_project_id: 'p', destination_region: 'eu-nl' } }),
      })
    ).body.policy;
    await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: policy.id, destination_vault_id: 'remote' });
    advance(2 * DAY);
    expect(await backupsIn(emu, vault.id)).toHaveLength(0);
  });
});
