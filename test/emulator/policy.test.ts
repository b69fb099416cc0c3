import { describe, expect, it } from 'vitest';
import { PROJECT_A, useTestEmulator } from '../helpers/emulator';
import { T0 } from '../helpers/builders';
import { expectApiError, expectInvalid, policyCreate, vaultCreate } from '../helpers/cbr';

describe('policies', () => {
  const emu = useTestEmulator({ clock: { start: T0, mode: 'frozen' } });
  const base = `/v3/${PROJECT_A}`;

  async function create(overrides: Record<string, unknown> = {}): Promise<any> {
    const res = await emu.call('POST', `${base}/policies`, { policy: policyCreate(overrides) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.policy;
  }
  async function createVault(overrides: Record<string, unknown> = {}): Promise<any> {
    return (await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('server', overrides) })).body.vault;
  }
  const replication = { operation_type: 'replication', operation_definition: { destination_project_id: 'f'.repeat(32), destination_region: 'eu-nl' } };

  describe('create', () => {
    it('answers the whole policy: enabled by default, trigger default/time started now, no vaults', async () => {
      const res = await emu.call('POST', `${base}/policies`, {
        policy: {
          name: 'policy001',
          operation_type: 'backup',
          operation_definition: { day_backups: 0, month_backups: 0, retention_duration_days: 1, timezone: 'UTC+08:00', week_backups: 0, year_backups: 0 },
          trigger: { properties: { pattern: ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00'] } },
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        policy: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          name: 'policy001',
          operation_type: 'backup',
          operation_definition: { day_backups: 0, month_backups: 0, retention_duration_days: 1, timezone: 'UTC+08:00', week_backups: 0, year_backups: 0 },
          enabled: true,
          trigger: {
            id: expect.stringMatching(/^[0-9a-f-]{36}$/),
            name: 'default',
            type: 'time',
            properties: { pattern: ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00'], start_time: '2024-03-01 08:00:00' },
          },
          associated_vaults: [],
        },
      });
      expect(res.body.policy.trigger.id).not.toBe(res.body.policy.id);
    });

    it('creates a disabled policy and a replication policy with its destination', async () => {
      expect((await create({ enabled: false })).enabled).toBe(false);
      const policy = await create(replication);
      expect(policy).toMatchObject({ operation_type: 'replication', operation_definition: replication.operation_definition });
    });

    it('accepts the edge values: 24 rules an hour apart, -1 and 99999 retention, 100 long-term backups, full_backup_interval -1..100', async () => {
      const hourly = Array.from({ length: 24 }, (_, h) => `FREQ=DAILY;BYHOUR=${h};BYMINUTE=30`);
      const policy = await create({
        name: 'a'.repeat(64),
        trigger: { properties: { pattern: hourly } },
        operation_definition: { max_backups: 99999, retention_duration_days: -1, day_backups: 100, timezone: 'UTC-03:30', full_backup_interval: 100 },
      });
      expect(policy.trigger.properties.pattern).toHaveLength(24);
      expect((await create({ operation_definition: { max_backups: -1, retention_duration_days: 99999, full_backup_interval: -1 } })).operation_definition)
        .toEqual({ max_backups: -1, retention_duration_days: 99999, full_backup_interval: -1 });
      expect((await create({ name: 'Sicherung_tägl-1' })).name).toBe('Sicherung_tägl-1');
    });

    it('allows 32 policies of a type (6001 for the 33rd); other types count separately', async () => {
      for (let i = 0; i < 32; i++) await create({ name: `p${i}` });
      expectApiError(await emu.call('POST', `${base}/policies`, { policy: policyCreate({ name: 'p32' }) }), 'BackupService.6001');
      expect((await emu.call('POST', `${base}/policies`, { policy: policyCreate(replication) })).status).toBe(200);
    });

    it.each([
      ['a missing policy', {}, 'policy is mandatory'],
      ['a missing name', { policy: { ...policyCreate(), name: undefined } }, 'policy.name is mandatory'],
      ['a 65-character name', { policy: policyCreate({ name: 'n'.repeat(65) }) }, 'policy.name must be at most 64 characters long'],
      ['a name with a space', { policy: policyCreate({ name: 'my policy' }) }, 'policy.name can contain only letters, digits, underscores (_) and hyphens (-)'],
      ['a missing operation_type (the seed example omits it, the table requires it)', { policy: { ...policyCreate(), operation_type: undefined } }, 'policy.operation_type is mandatory'],
      ['an unknown operation_type', { policy: policyCreate({ operation_type: 'archive' }) }, 'policy.operation_type must be one of "backup", "replication"'],
      ['a missing operation_definition', { policy: { ...policyCreate(), operation_definition: undefined } }, 'policy.operation_definition is mandatory'],
      ['max_backups 0', { policy: policyCreate({ operation_definition: { max_backups: 0 } }) }, 'policy.operation_definition.max_backups must be -1 or between 1 and 99999'],
      ['max_backups 100000', { policy: policyCreate({ operation_definition: { max_backups: 100000 } }) }, 'policy.operation_definition.max_backups must be -1 or between 1 and 99999'],
      ['max_backups -2', { policy: policyCreate({ operation_definition: { max_backups: -2 } }) }, 'policy.operation_definition.max_backups must be -1 or between 1 and 99999'],
      ['retention_duration_days 0', { policy: policyCreate({ operation_definition: { retention_duration_days: 0 } }) }, 'policy.operation_definition.retention_duration_days must be -1 or between 1 and 99999'],
      ['a fractional retention', { policy: policyCreate({ operation_definition: { retention_duration_days: 1.5 } }) }, 'policy.operation_definition.retention_duration_days must be an int'],
      ['day_backups 101', { policy: policyCreate({ operation_definition: { day_backups: 101, timezone: 'UTC+08:00' } }) }, 'policy.operation_definition.day_backups must be at most 100'],
      ['week_backups -1', { policy: policyCreate({ operation_definition: { week_backups: -1, timezone: 'UTC+08:00' } }) }, 'policy.operation_definition.week_backups must be at least 0'],
      ['year_backups without timezone', { policy: policyCreate({ operation_definition: { year_backups: 1 } }) }, 'policy.operation_definition.timezone is mandatory when year_backups is set'],
      ['a malformed timezone', { policy: policyCreate({ operation_definition: { month_backups: 1, timezone: 'CET' } }) }, 'policy.operation_definition.timezone must look like UTC+08:00'],
      ['full_backup_interval -2', { policy: policyCreate({ operation_definition: { full_backup_interval: -2 } }) }, 'policy.operation_definition.full_backup_interval must be at least -1'],
      ['full_backup_interval 101', { policy: policyCreate({ operation_definition: { full_backup_interval: 101 } }) }, 'policy.operation_definition.full_backup_interval must be at most 100'],
      ['enable_acceleration (rejected by the real service)', { policy: policyCreate({ operation_definition: { enable_acceleration: true } }) }, 'invalid key policy.operation_definition.enable_acceleration'],
      ['a replication policy without destination', { policy: policyCreate({ operation_type: 'replication', operation_definition: { destination_region: 'eu-nl' } }) }, 'policy.operation_definition.destination_project_id is mandatory for a replication policy'],
      ['a backup policy with a destination', { policy: policyCreate({ operation_definition: { destination_region: 'eu-nl' } }) }, 'policy.operation_definition.destination_region is only allowed for a replication policy'],
      ['a missing trigger', { policy: { ...policyCreate(), trigger: undefined } }, 'policy.trigger is mandatory'],
      ['an empty pattern list', { policy: policyCreate({ trigger: { properties: { pattern: [] } } }) }, 'policy.trigger.properties.pattern must contain at least 1 items'],
      ['25 rules', { policy: policyCreate({ trigger: { properties: { pattern: Array.from({ length: 25 }, () => 'FREQ=DAILY;BYHOUR=1;BYMINUTE=0') } } }) }, 'policy.trigger.properties.pattern must contain at most 24 items'],
      ['a trigger with an unknown key', { policy: policyCreate({ trigger: { type: 'time', properties: { pattern: ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0'] } } }) }, 'invalid key policy.trigger.type'],
      ['FREQ=HOURLY', { policy: policyCreate({ trigger: { properties: { pattern: ['FREQ=HOURLY;BYHOUR=1;BYMINUTE=0'] } } }) }, 'policy.trigger.properties.pattern.0 FREQ must be WEEKLY or DAILY'],
      ['BYDAY=XX', { policy: policyCreate({ trigger: { properties: { pattern: ['FREQ=WEEKLY;BYDAY=MO,XX;BYHOUR=1;BYMINUTE=0'] } } }) }, 'policy.trigger.properties.pattern.0 BYDAY must list MO, TU, WE, TH, FR, SA or SU, got "XX"'],
      ['BYHOUR=24', { policy: policyCreate({ trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=24;BYMINUTE=0'] } } }) }, 'policy.trigger.properties.pattern.0 BYHOUR values must be integers from 0 to 23, got "24"'],
      ['BYMINUTE=60', { policy: policyCreate({ trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=1;BYMINUTE=60'] } } }) }, 'policy.trigger.properties.pattern.0 BYMINUTE values must be integers from 0 to 59, got "60"'],
      ['INTERVAL=0', { policy: policyCreate({ trigger: { properties: { pattern: ['FREQ=DAILY;INTERVAL=0;BYHOUR=1;BYMINUTE=0'] } } }) }, 'policy.trigger.properties.pattern.0 INTERVAL must be a positive integer'],
      ['COUNT (unsupported)', { policy: policyCreate({ trigger: { properties: { pattern: ['FREQ=DAILY;COUNT=3;BYHOUR=1;BYMINUTE=0'] } } }) }, 'policy.trigger.properties.pattern.0 COUNT is not supported (only FREQ, BYDAY, BYHOUR, BYMINUTE and INTERVAL)'],
      ['time points 30 minutes apart', { policy: policyCreate({ trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0', 'FREQ=DAILY;BYHOUR=1;BYMINUTE=30'] } } }) }, 'policy.trigger.properties.pattern the scheduling interval cannot be less than 1 hour'],
    ])('rejects %s with 9900', async (_, body, detail) => {
      expectInvalid(await emu.call('POST', `${base}/policies`, body), detail);
    });
  });

  describe('get, list, update, delete', () => {
    it('gets what create answered; 6000 for an unknown policy', async () => {
      const policy = await create();
      expect((await emu.call('GET', `${base}/policies/${policy.id}`)).body).toEqual({ policy });
      expectApiError(await emu.call('GET', `${base}/policies/unknown`), 'BackupService.6000');
    });

    it('lists newest first with count, filtered by operation_type and by vault_id', async () => {
      const a = await create({ name: 'a' });
      const b = await create({ name: 'b', ...replication });
      const vault = await createVault();
      await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: a.id });
      const all = await emu.call('GET', `${base}/policies`);
      expect(all.body).toEqual({ policies: [b, { ...a, associated_vaults: [{ vault_id: vault.id }] }], count: 2 });
      const names = async (q: string) => (await emu.call('GET', `${base}/policies${q}`)).body.policies.map((p: { name: string }) => p.name);
      expect(await names('?operation_type=replication')).toEqual(['b']);
      expect(await names('?operation_type=backup')).toEqual(['a']);
      expect(await names(`?vault_id=${vault.id}`)).toEqual(['a']);
      expect(await names('?vault_id=other')).toEqual([]);
      expectInvalid(await emu.call('GET', `${base}/policies?operation_type=archive`), 'operation_type must be one of "backup", "replication"');
    });

    it('updates name and enabled, replaces operation_definition and patterns, keeps the trigger id and start; GET agrees', async () => {
      const policy = await create({ operation_definition: { retention_duration_days: 7 } });
      emu.emulator.clock.advance(60_000);
      const res = await emu.call('PUT', `${base}/policies/${policy.id}`, {
        policy: {
          name: 'name2',
          enabled: false,
          operation_definition: { max_backups: 1 },
          trigger: { properties: { pattern: ['FREQ=WEEKLY;BYDAY=SU;BYHOUR=23;BYMINUTE=00'] } },
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        policy: {
          ...policy,
          name: 'name2',
          enabled: false,
          operation_definition: { max_backups: 1 },
          trigger: { ...policy.trigger, properties: { ...policy.trigger.properties, pattern: ['FREQ=WEEKLY;BYDAY=SU;BYHOUR=23;BYMINUTE=00'] } },
        },
      });
      expect((await emu.call('GET', `${base}/policies/${policy.id}`)).body).toEqual(res.body);
    });

    it.each([
      ['operation_type (not updatable)', { policy: { operation_type: 'replication' } }, 'invalid key policy.operation_type'],
      ['an empty name', { policy: { name: '' } }, 'policy.name must be at least 1 characters long'],
      ['a bad pattern', { policy: { trigger: { properties: { pattern: ['FREQ=DAILY;BYHOUR=1'] } } } }, 'policy.trigger.properties.pattern.0 BYMINUTE is mandatory'],
      ['a trigger without properties', { policy: { trigger: {} } }, 'policy.trigger.properties is mandatory'],
      ['max_backups 0', { policy: { operation_definition: { max_backups: 0 } } }, 'policy.operation_definition.max_backups must be -1 or between 1 and 99999'],
      ['a destination on a backup policy', { policy: { operation_definition: { destination_project_id: 'x' } } }, 'policy.operation_definition.destination_project_id is only allowed for a replication policy'],
    ])('rejects an update with %s (9900)', async (_, body, detail) => {
      const policy = await create();
      expectInvalid(await emu.call('PUT', `${base}/policies/${policy.id}`, body), detail);
    });

    it('answers 6000 when updating or deleting an unknown policy', async () => {
      expectApiError(await emu.call('PUT', `${base}/policies/unknown`, { policy: { name: 'x' } }), 'BackupService.6000');
      expectApiError(await emu.call('DELETE', `${base}/policies/unknown`), 'BackupService.6000');
    });

    it('deletes with 204; the policy is gone and its vaults are no longer bound to it', async () => {
      const policy = await create();
      const vault = await createVault();
      await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: policy.id });
      const res = await emu.call('DELETE', `${base}/policies/${policy.id}`);
      expect(res).toMatchObject({ status: 204, body: undefined });
      expectApiError(await emu.call('GET', `${base}/policies/${policy.id}`), 'BackupService.6000');
      expect((await emu.call('GET', `${base}/policies?vault_id=${vault.id}`)).body).toEqual({ policies: [], count: 0 });
      expect((await emu.call('GET', `${base}/vaults?policy_id=${policy.id}`)).body.count).toBe(0);
    });
  });

  describe('associatepolicy / dissociatepolicy', () => {
    it('applies a policy to a vault and removes it again; policy and vault list agree at each step', async () => {
      const policy = await create();
      const vault = await createVault();
      const res = await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: policy.id });
      expect(res).toMatchObject({ status: 200 });
      expect(res.body).toEqual({ associate_policy: { vault_id: vault.id, policy_id: policy.id } });
      expect((await emu.call('GET', `${base}/policies/${policy.id}`)).body.policy.associated_vaults).toEqual([{ vault_id: vault.id }]);
      expect((await emu.call('GET', `${base}/vaults?policy_id=${policy.id}`)).body.vaults.map((v: { id: string }) => v.id)).toEqual([vault.id]);

      const again = await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: policy.id });
      expect(again.body).toEqual({ associate_policy: { vault_id: vault.id, policy_id: policy.id } });
      expect((await emu.call('GET', `${base}/policies/${policy.id}`)).body.policy.associated_vaults).toEqual([{ vault_id: vault.id }]);

      const off = await emu.call('POST', `${base}/vaults/${vault.id}/dissociatepolicy`, { policy_id: policy.id });
      expect(off).toMatchObject({ status: 200 });
      expect(off.body).toEqual({ dissociate_policy: { vault_id: vault.id, policy_id: policy.id } });
      expect((await emu.call('GET', `${base}/policies/${policy.id}`)).body.policy.associated_vaults).toEqual([]);
      expect((await emu.call('GET', `${base}/vaults?policy_id=${policy.id}`)).body.count).toBe(0);
    });

    it('keeps one policy per type on a vault: a second backup policy replaces the first, a replication policy joins it', async () => {
      const first = await create({ name: 'first' });
      const second = await create({ name: 'second' });
      const copy = await create({ name: 'copy', ...replication });
      const vault = await createVault();
      const other = await createVault();
      await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: first.id });
      await emu.call('POST', `${base}/vaults/${other.id}/associatepolicy`, { policy_id: first.id });
      await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: second.id });
      const res = await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: copy.id, destination_vault_id: 'remote-vault' });
      expect(res.body).toEqual({ associate_policy: { vault_id: vault.id, policy_id: copy.id, destination_vault_id: 'remote-vault' } });
      const names = (await emu.call('GET', `${base}/policies?vault_id=${vault.id}`)).body.policies.map((p: { name: string }) => p.name);
      expect(names).toEqual(['copy', 'second']);
      expect((await emu.call('GET', `${base}/policies/${first.id}`)).body.policy.associated_vaults).toEqual([{ vault_id: other.id }]);
      expect((await emu.call('GET', `${base}/policies/${copy.id}`)).body.policy.associated_vaults).toEqual([
        { vault_id: vault.id, destination_vault_id: 'remote-vault' },
      ]);
      const off = await emu.call('POST', `${base}/vaults/${vault.id}/dissociatepolicy`, { policy_id: copy.id });
      expect(off.body).toEqual({ dissociate_policy: { vault_id: vault.id, policy_id: copy.id, destination_vault_id: 'remote-vault' } });
    });

    it('answers 6105 (vault), 6000 (policy), 6002 (not applied), 6127 (replication vault)', async () => {
      const policy = await create();
      const vault = await createVault();
      const replicaVault = await createVault({ billing: { protect_type: 'replication' } });
      expectApiError(await emu.call('POST', `${base}/vaults/unknown/associatepolicy`, { policy_id: policy.id }), 'BackupService.6105');
      expectApiError(await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: 'unknown' }), 'BackupService.6000');
      expectApiError(await emu.call('POST', `${base}/vaults/${replicaVault.id}/associatepolicy`, { policy_id: policy.id }), 'BackupService.6127');
      expectApiError(await emu.call('POST', `${base}/vaults/unknown/dissociatepolicy`, { policy_id: policy.id }), 'BackupService.6105');
      expectApiError(await emu.call('POST', `${base}/vaults/${vault.id}/dissociatepolicy`, { policy_id: 'unknown' }), 'BackupService.6000');
      expectApiError(await emu.call('POST', `${base}/vaults/${vault.id}/dissociatepolicy`, { policy_id: policy.id }), 'BackupService.6002');
    });

    it.each([
      ['associatepolicy', {}, 'policy_id is mandatory'],
      ['associatepolicy', { policy: 'x' }, 'policy_id is mandatory'],
      ['associatepolicy', { vault: { policy_id: 'x' } }, 'policy_id is mandatory'],
      ['dissociatepolicy', {}, 'policy_id is mandatory'],
      ['dissociatepolicy', { policy_id: 'x', destination_vault_id: 'y' }, 'invalid key destination_vault_id'],
    ])('rejects a malformed %s body %j with 9900', async (action, body, detail) => {
      const vault = await createVault();
      expectInvalid(await emu.call('POST', `${base}/vaults/${vault.id}/${action}`, body), detail);
    });

    it('needs destination_vault_id for a replication policy and refuses it for a backup policy', async () => {
      const backup = await create();
      const copy = await create({ name: 'copy', ...replication });
      const vault = await createVault();
      expectInvalid(
        await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: copy.id }),
        'destination_vault_id is mandatory for a replication policy',
      );
      expectInvalid(
        await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: backup.id, destination_vault_id: 'x' }),
        'destination_vault_id is only allowed for a replication policy',
      );
    });

    it('refuses the source vault itself as destination of a replication policy (6119) and binds nothing', async () => {
      const copy = await create({ name: 'copy', ...replication });
      const vault = await createVault();
      expectApiError(
        await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: copy.id, destination_vault_id: vault.id }),
        'BackupService.6119',
      );
      expect((await emu.call('GET', `${base}/policies/${copy.id}`)).body.policy.associated_vaults).toEqual([]);
    });

    it('refuses a backup vault of the project as destination (6119) and accepts a replication vault or a remote id', async () => {
      const copy = await create({ name: 'copy', ...replication });
      const vault = await createVault();
      const backupVault = await createVault({ name: 'other-backup' });
      const replicaVault = await createVault({ name: 'replica', billing: { protect_type: 'replication' } });
      const bind = (destination: string) =>
        emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: copy.id, destination_vault_id: destination });
      expectApiError(await bind(backupVault.id), 'BackupService.6119');
      expect((await emu.call('GET', `${base}/policies/${copy.id}`)).body.policy.associated_vaults).toEqual([]);
      expect((await bind(replicaVault.id)).body).toEqual({
        associate_policy: { vault_id: vault.id, policy_id: copy.id, destination_vault_id: replicaVault.id },
      });
      // a vault of another project or region cannot be looked up here: it is taken on trust
      expect((await bind('remote-vault')).status).toBe(200);
    });
  });
});
