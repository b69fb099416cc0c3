import { describe, expect, it } from 'vitest';
import { PROJECT_A, useTestEmulator } from '../helpers/emulator';
import { addServer, addTurbo, addVolume, createCheckpoint, T0 } from '../helpers/builders';
import { expectApiError, expectInvalid, policyCreate, vaultCreate } from '../helpers/cbr';
import { DEMO_USER } from '../../src/emulator/demo-identity';

const SERVER_PROVIDER = '0daac4c5-6707-4851-97ba-169e36266b66';

describe('vaults', () => {
  const emu = useTestEmulator({ clock: { start: T0, mode: 'frozen' } });
  const base = `/v3/${PROJECT_A}`;

  async function create(body: Record<string, unknown>): Promise<any> {
    const res = await emu.call('POST', `${base}/vaults`, { vault: body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.vault;
  }

  describe('create', () => {
    it('creates a server vault with resources, tags and description, answering the whole vault', async () => {
      const server = addServer(emu.emulator, emu.project.id, { name: 'web-01', disks: [{ sizeGb: 40 }, { sizeGb: 60 }] });
      const res = await emu.call('POST', `${base}/vaults`, {
        vault: vaultCreate('server', {
          name: 'vault_name',
          description: 'vault_description',
          billing: { cloud_type: 'public', charging_mode: 'post_paid', is_auto_renew: false, is_auto_pay: false },
          resources: [{ id: server.id, type: 'OS::Nova::Server', extra_info: { exclude_volumes: [server.disks![1]!.id] } }],
          tags: [{ key: ' key01 ', value: 'value01 ' }],
          enterprise_project_id: '0',
          backup_name_prefix: 'nightly',
        }),
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        vault: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          name: 'vault_name',
          description: 'vault_description',
          resources: [
            {
              id: server.id,
              name: 'web-01',
              type: 'OS::Nova::Server',
              protect_status: 'available',
              size: 40, // the excluded 60 GB disk is not protected
              backup_size: 0,
              backup_count: 0,
              extra_info: { exclude_volumes: [server.disks![1]!.id] },
            },
          ],
          provider_id: SERVER_PROVIDER,
          created_at: '2024-03-01T08:00:00.000000',
          updated_at: '2024-03-01T08:00:00.000000',
          project_id: emu.project.id,
          enterprise_project_id: '0',
          auto_bind: false,
          bind_rules: {},
          auto_expand: false,
          smn_notify: true,
          threshold: 80,
          user_id: DEMO_USER.id,
          backup_name_prefix: 'nightly',
          demand_billing: true,
          cbc_delete_count: 0,
          frozen: false,
          locked: false,
          billing: {
            allocated: 40,
            cloud_type: 'public',
            consistent_level: 'crash_consistent',
            frozen_scene: null,
            charging_mode: 'post_paid',
            order_id: null,
            product_id: null,
            protect_type: 'backup',
            object_type: 'server',
            spec_code: 'vault.backup.server.normal',
            used: 0,
            storage_unit: null,
            status: 'available',
            size: 100,
            is_multi_az: false,
          },
          tags: [{ key: 'key01', value: 'value01' }],
        },
      });
    });

    it('derives provider id and spec code from the object type', async () => {
      const disk = await create(vaultCreate('disk'));
      const turbo = await create(vaultCreate('turbo'));
      expect([disk.provider_id, disk.billing.spec_code]).toEqual(['d1603440-187d-4516-af25-121250c7cc97', 'vault.backup.volume.normal']);
      expect([turbo.provider_id, turbo.billing.spec_code]).toEqual(['3f3c3220-245c-4805-b811-758870015881', 'vault.backup.turbo.normal']);
    });

    it('creates a replication vault for servers only', async () => {
      const vault = await create(vaultCreate('server', { billing: { protect_type: 'replication' } }));
      expect(vault.billing.spec_code).toBe('vault.replication.server.normal');
      const res = await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('disk', { billing: { protect_type: 'replication' } }) });
      expectApiError(res, 'BackupService.6116');
    });

    it('applies backup_policy_id as associatepolicy would', async () => {
      const policy = (await emu.call('POST', `${base}/policies`, { policy: policyCreate() })).body.policy;
      const vault = await create(vaultCreate('disk', { backup_policy_id: policy.id }));
      const after = await emu.call('GET', `${base}/policies/${policy.id}`);
      expect(after.body.policy.associated_vaults).toEqual([{ vault_id: vault.id }]);
    });

    it('refuses an unknown backup_policy_id (6000) and a replication policy (6127) without storing a vault', async () => {
      expectApiError(await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('disk', { backup_policy_id: 'nope' }) }), 'BackupService.6000');
      const replication = await emu.call('POST', `${base}/policies`, {
        policy: policyCreate({
          operation_type: 'replication',
          operation_definition: { destination_project_id: emu.otherProject.id, destination_region: 'eu-nl' },
        }),
      });
      const res = await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('disk', { backup_policy_id: replication.body.policy.id }) });
      expectApiError(res, 'BackupService.6127');
      expect((await emu.call('GET', `${base}/vaults`)).body.count).toBe(0);
    });

    it('obeys the addresources rules for resources given at create, storing nothing on failure', async () => {
      const res = await emu.call('POST', `${base}/vaults`, {
        vault: vaultCreate('server', { resources: [{ id: 'no-such-server', type: 'OS::Nova::Server' }] }),
      });
      expectApiError(res, 'BackupService.7100');
      expect((await emu.call('GET', `${base}/vaults`)).body).toEqual({ vaults: [], count: 0, limit: 1000, offset: 0 });
    });

    it.each([
      ['a missing body', undefined, 'body is mandatory'],
      ['a missing vault', {}, 'vault is mandatory'],
      ['a missing name', { vault: { ...vaultCreate(), name: undefined } }, 'vault.name is mandatory'],
      ['an empty name', { vault: vaultCreate('server', { name: '' }) }, 'vault.name must be at least 1 characters long'],
      ['a 65-character name', { vault: vaultCreate('server', { name: 'n'.repeat(65) }) }, 'vault.name must be at most 64 characters long'],
      ['a 65-character description', { vault: vaultCreate('server', { description: 'd'.repeat(65) }) }, 'vault.description must be at most 64 characters long'],
      ['a missing resources list', { vault: { ...vaultCreate(), resources: undefined } }, 'vault.resources is mandatory'],
      ['256 resources', { vault: vaultCreate('disk', { resources: Array.from({ length: 256 }, (_, i) => ({ id: `d${i}`, type: 'OS::Cinder::Volume' })) }) }, 'vault.resources must contain at most 255 items'],
      ['a 33-character backup_name_prefix', { vault: vaultCreate('server', { backup_name_prefix: 'p'.repeat(33) }) }, 'vault.backup_name_prefix must be at most 32 characters long'],
      ['a missing billing', { vault: { ...vaultCreate(), billing: undefined } }, 'vault.billing is mandatory'],
      ['a size below 10 GB', { vault: vaultCreate('server', { billing: { size: 9 } }) }, 'vault.billing.size must be at least 10'],
      ['a size above 10485760 GB', { vault: vaultCreate('server', { billing: { size: 10485761 } }) }, 'vault.billing.size must be at most 10485760'],
      ['a fractional size', { vault: vaultCreate('server', { billing: { size: 10.5 } }) }, 'vault.billing.size must be an int'],
      ['an unknown object type', { vault: vaultCreate('server', { billing: { object_type: 'rds' } }) }, 'vault.billing.object_type must be one of "server", "disk", "turbo"'],
      // validation.ts describes a missing enum by its values
      ['a missing consistent_level', { vault: vaultCreate('server', { billing: { consistent_level: undefined } }) }, 'vault.billing.consistent_level is mandatory'],
      ['protect type hybrid', { vault: vaultCreate('server', { billing: { protect_type: 'hybrid' } }) }, 'vault.billing.protect_type must be one of "backup", "replication"'],
      ['pre-paid billing', { vault: vaultCreate('server', { billing: { charging_mode: 'pre_paid' } }) }, 'vault.billing.charging_mode must be one of "post_paid"'],
      ['a hybrid cloud', { vault: vaultCreate('server', { billing: { cloud_type: 'hybrid' } }) }, 'vault.billing.cloud_type must be one of "public"'],
      ['an empty console_url', { vault: vaultCreate('server', { billing: { console_url: '' } }) }, 'vault.billing.console_url must be at least 1 characters long'],
      ['a pre-paid period', { vault: vaultCreate('server', { billing: { period_type: 'month' } }) }, 'invalid key vault.billing.period_type'],
      ['auto_expand (not accepted at create)', { vault: vaultCreate('server', { auto_expand: true }) }, 'invalid key vault.auto_expand'],
      ['an unknown top-level key', { vault: vaultCreate(), extra: 1 }, 'invalid key extra'],
      ['an empty tag list', { vault: vaultCreate('server', { tags: [] }) }, 'vault.tags must contain at least 1 items'],
      ['11 tags', { vault: vaultCreate('server', { tags: Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }) }, 'vault.tags must contain at most 10 items'],
      ['a blank tag key', { vault: vaultCreate('server', { tags: [{ key: '  ', value: 'v' }] }) }, 'vault.tags.0.key must be at least 1 characters long'],
      ['a 37-character tag key', { vault: vaultCreate('server', { tags: [{ key: 'k'.repeat(37), value: 'v' }] }) }, 'vault.tags.0.key must be at most 36 characters long'],
      ['a 44-character tag value', { vault: vaultCreate('server', { tags: [{ key: 'k', value: 'v'.repeat(44) }] }) }, 'vault.tags.0.value must be at most 43 characters long'],
      ['a tag key with "="', { vault: vaultCreate('server', { tags: [{ key: 'a=b', value: 'v' }] }) }, 'vault.tags.0.key can contain only letters, digits, hyphens (-) and underscores (_)'],
      ['a tag value with "/"', { vault: vaultCreate('server', { tags: [{ key: 'k', value: 'a/b' }] }) }, 'vault.tags.0.value can contain only letters, digits, hyphens (-) and underscores (_)'],
      ['a tag without value', { vault: vaultCreate('server', { tags: [{ key: 'k' }] }) }, 'vault.tags.0.value is mandatory'],
      ['duplicate tag keys', { vault: vaultCreate('server', { tags: [{ key: 'k', value: '1' }, { key: ' k', value: '2' }] }) }, 'vault.tags.1.key duplicate tag key k'],
      ['6 bind rules', { vault: vaultCreate('server', { bind_rules: { tags: Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: 'v' })) } }) }, 'vault.bind_rules.tags must contain at most 5 items'],
      ['a bind rule key with "*"', { vault: vaultCreate('server', { bind_rules: { tags: [{ key: 'a*', value: 'v' }] } }) }, 'vault.bind_rules.tags.0.key can contain only letters, digits, underscores (_) and hyphens (-)'],
      ['a resource of an unknown type', { vault: vaultCreate('server', { resources: [{ id: 'x', type: 'OS::Nova::Thing' }] }) }, 'vault.resources.0.type must be one of "OS::Nova::Server", "OS::Cinder::Volume", "OS::Sfs::Turbo"'],
      ['a 256-character resource name', { vault: vaultCreate('server', { resources: [{ id: 'x', type: 'OS::Nova::Server', name: 'n'.repeat(256) }] }) }, 'vault.resources.0.name must be at most 255 characters long'],
      ['include_volumes (not in the seed)', { vault: vaultCreate('server', { resources: [{ id: 'x', type: 'OS::Nova::Server', extra_info: { include_volumes: [] } }] }) }, 'invalid key vault.resources.0.extra_info.include_volumes'],
    ])('rejects %s with 9900', async (_, body, detail) => {
      expectInvalid(await emu.call('POST', `${base}/vaults`, body), detail);
    });

    it('accepts the edge values of the ranges', async () => {
      const vault = await create(
        vaultCreate('disk', {
          name: 'n'.repeat(64),
          description: 'd'.repeat(64),
          billing: { size: 10 },
          backup_name_prefix: 'p'.repeat(32),
          tags: Array.from({ length: 10 }, (_, i) => ({ key: i === 0 ? 'k'.repeat(36) : `k${i}`, value: i === 0 ? 'v'.repeat(43) : '' })),
          bind_rules: { tags: Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: 'v' })) },
          auto_bind: true,
        }),
      );
      expect(vault.tags).toHaveLength(10);
      expect(vault.bind_rules.tags).toHaveLength(5);
      expect(vault.auto_bind).toBe(true);
      const big = await create(vaultCreate('disk', { billing: { size: 10485760 } }));
      expect(big.billing.size).toBe(10485760);
    });
  });

  describe('get', () => {
    it('answers exactly what create answered', async () => {
      const vault = await create(vaultCreate('disk', { description: 'x' }));
      const res = await emu.call('GET', `${base}/vaults/${vault.id}`);
      expect(res).toMatchObject({ status: 200, body: { vault } });
      expect(res.body).toEqual({ vault });
    });

    it('answers 404 BackupService.6105 for an unknown vault', async () => {
      expectApiError(await emu.call('GET', `${base}/vaults/4f6e2b7c-0000-4000-a000-000000000000`), 'BackupService.6105');
    });

    it('does not show another project its vaults', async () => {
      const vault = await create(vaultCreate('disk'));
      const res = await emu.call('GET', `/v3/${emu.otherProject.id}/vaults/${vault.id}`, undefined, { token: emu.otherProject.token });
      expectApiError(res, 'BackupService.6105');
    });
  });

  describe('list', () => {
    async function ids(query: string): Promise<string[]> {
      const res = await emu.call('GET', `${base}/vaults${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.vaults.map((v: { id: string }) => v.id);
    }

    it('lists newest first with count, limit and offset', async () => {
      const a = await create(vaultCreate('server', { name: 'alpha' }));
      const b = await create(vaultCreate('disk', { name: 'beta' }));
      const c = await create(vaultCreate('turbo', { name: 'gamma' }));
      const res = await emu.call('GET', `${base}/vaults`);
      expect(res.body).toEqual({ vaults: [c, b, a], count: 3, limit: 1000, offset: 0 });
      const page = await emu.call('GET', `${base}/vaults?limit=1&offset=1`);
      expect(page.body).toEqual({ vaults: [b], count: 3, limit: 1, offset: 1 });
    });

    it('filters by name (part of it), object_type, protect_type, cloud_type, enterprise_project_id and id', async () => {
      const a = await create(vaultCreate('server', { name: 'prod-web' }));
      const b = await create(vaultCreate('disk', { name: 'prod-db', enterprise_project_id: 'ep-1' }));
      const c = await create(vaultCreate('server', { name: 'copies', billing: { protect_type: 'replication' } }));
      expect(await ids('?name=prod')).toEqual([b.id, a.id]);
      expect(await ids('?name=prod-web')).toEqual([a.id]);
      expect(await ids('?object_type=disk')).toEqual([b.id]);
      expect(await ids('?protect_type=replication')).toEqual([c.id]);
      expect(await ids('?protect_type=backup&object_type=server')).toEqual([a.id]);
      expect(await ids('?cloud_type=public')).toEqual([c.id, b.id, a.id]);
      expect(await ids('?cloud_type=hybrid')).toEqual([]);
      expect(await ids('?enterprise_project_id=ep-1')).toEqual([b.id]);
      expect(await ids('?enterprise_project_id=0')).toEqual([c.id, a.id]);
      expect(await ids('?enterprise_project_id=all_granted_eps')).toEqual([c.id, b.id, a.id]);
      expect(await ids(`?id=${a.id}`)).toEqual([a.id]);
      // A list of ids means any of them: repeated keys (how the Huawei SDKs send a list) or comma-separated.
      expect(await ids(`?id=${a.id},${c.id}`)).toEqual([c.id, a.id]);
      expect(await ids(`?id=${a.id}&id=${b.id}`)).toEqual([b.id, a.id]);
      expect(await ids(`?id=${a.id}&id=unknown`)).toEqual([a.id]);
    });

    it('filters by resource_ids (any of them) and by status', async () => {
      const d1 = addVolume(emu.emulator, emu.project.id);
      const d2 = addVolume(emu.emulator, emu.project.id);
      const a = await create(vaultCreate('disk', { resources: [{ id: d1.id, type: 'OS::Cinder::Volume' }] }));
      const b = await create(vaultCreate('disk', { resources: [{ id: d2.id, type: 'OS::Cinder::Volume' }] }));
      await create(vaultCreate('disk'));
      expect(await ids(`?resource_ids=${d1.id}`)).toEqual([a.id]);
      expect(await ids(`?resource_ids=${d1.id},${d2.id}`)).toEqual([b.id, a.id]);
      emu.emulator.state.project(emu.project.id).vaults.get(b.id)!.billing.status = 'frozen';
      expect(await ids('?status=frozen')).toEqual([b.id]);
    });

    it('filters by policy_id, agreeing with the policy after associate, replace, dissociate and policy delete', async () => {
      const a = await create(vaultCreate('disk'));
      const b = await create(vaultCreate('disk'));
      const p1 = (await emu.call('POST', `${base}/policies`, { policy: policyCreate({ name: 'p1' }) })).body.policy;
      const p2 = (await emu.call('POST', `${base}/policies`, { policy: policyCreate({ name: 'p2' }) })).body.policy;
      expect(await ids(`?policy_id=${p1.id}`)).toEqual([]);
      await emu.call('POST', `${base}/vaults/${a.id}/associatepolicy`, { policy_id: p1.id });
      await emu.call('POST', `${base}/vaults/${b.id}/associatepolicy`, { policy_id: p1.id });
      expect(await ids(`?policy_id=${p1.id}`)).toEqual([b.id, a.id]);
      await emu.call('POST', `${base}/vaults/${b.id}/associatepolicy`, { policy_id: p2.id });
      expect(await ids(`?policy_id=${p1.id}`)).toEqual([a.id]);
      expect(await ids(`?policy_id=${p2.id}`)).toEqual([b.id]);
      await emu.call('POST', `${base}/vaults/${a.id}/dissociatepolicy`, { policy_id: p1.id });
      expect(await ids(`?policy_id=${p1.id}`)).toEqual([]);
      await emu.call('DELETE', `${base}/policies/${p2.id}`);
      expect(await ids(`?policy_id=${p2.id}`)).toEqual([]);
      expect(await ids('?policy_id=unknown')).toEqual([]);
    });

    it.each([
      ['limit=0', 'limit must be at least 1'],
      ['limit=1001', 'limit must be at most 1000'],
      ['limit=abc', 'limit must be a number'],
      ['offset=-1', 'offset must be at least 0'],
      ['object_type=rds', 'object_type must be one of "server", "disk", "turbo"'],
      ['status=gone', 'status must be one of "available", "lock", "frozen", "deleting", "error"'],
    ])('rejects %s with 9900', async (query, detail) => {
      expectInvalid(await emu.call('GET', `${base}/vaults?${query}`), detail);
    });
  });

  describe('update', () => {
    it('changes name, size, bind rules, auto_bind, auto_expand, smn_notify and threshold; GET agrees', async () => {
      const vault = await create(vaultCreate('server'));
      emu.emulator.clock.advance(60_000);
      const res = await emu.call('PUT', `${base}/vaults/${vault.id}`, {
        vault: {
          name: 'vault_name02',
          billing: { size: 200 },
          auto_bind: true,
          bind_rules: { tags: [{ key: 'env', value: 'prod' }] },
          auto_expand: true,
          smn_notify: false,
          threshold: 90,
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        vault: {
          ...vault,
          name: 'vault_name02',
          billing: { ...vault.billing, size: 200 },
          auto_bind: true,
          bind_rules: { tags: [{ key: 'env', value: 'prod' }] },
          auto_expand: true,
          smn_notify: false,
          threshold: 90,
          updated_at: '2024-03-01T08:01:00.000000',
        },
      });
      expect((await emu.call('GET', `${base}/vaults/${vault.id}`)).body).toEqual(res.body);
    });

    it('keeps what the request does not name', async () => {
      const vault = await create(vaultCreate('server'));
      const res = await emu.call('PUT', `${base}/vaults/${vault.id}`, { vault: {} });
      expect(res.body).toEqual({ vault });
    });

    it('shrinks the capacity of an empty vault (Table 4-140 allows any size from 1 to 10485760)', async () => {
      const vault = await create(vaultCreate('server', { billing: { size: 5000 } }));
      const res = await emu.call('PUT', `${base}/vaults/${vault.id}`, { vault: { billing: { size: 4000 } } });
      expect(res.status).toBe(200);
      expect(res.body.vault.billing).toEqual({ ...vault.billing, size: 4000 });
      const smallest = await emu.call('PUT', `${base}/vaults/${vault.id}`, { vault: { billing: { size: 1 } } });
      expect(smallest.body.vault.billing.size).toBe(1);
    });

    it('shrinks down to the used capacity and no further (6101), keeping the size it had', async () => {
      const server = addServer(emu.emulator, emu.project.id, { disks: [{ sizeGb: 60 }] });
      const vault = await create(vaultCreate('server', { billing: { size: 100 }, resources: [{ id: server.id, type: 'OS::Nova::Server' }] }));
      await createCheckpoint(emu, emu.project.id, vault.id);
      expectApiError(await emu.call('PUT', `${base}/vaults/${vault.id}`, { vault: { billing: { size: 59 } } }), 'BackupService.6101');
      expect((await emu.call('GET', `${base}/vaults/${vault.id}`)).body.vault.billing).toMatchObject({ size: 100, used: 60 * 1024 });
      const res = await emu.call('PUT', `${base}/vaults/${vault.id}`, { vault: { billing: { size: 60 } } });
      expect(res.body.vault.billing).toMatchObject({ size: 60, used: 60 * 1024 });
    });

    it('changes nothing when the capacity is refused (6101), not even the other fields of the request', async () => {
      const server = addServer(emu.emulator, emu.project.id, { disks: [{ sizeGb: 60 }] });
      const vault = await create(vaultCreate('server', { billing: { size: 100 }, resources: [{ id: server.id, type: 'OS::Nova::Server' }] }));
      await createCheckpoint(emu, emu.project.id, vault.id);
      const before = (await emu.call('GET', `${base}/vaults/${vault.id}`)).body;
      expectApiError(await emu.call('PUT', `${base}/vaults/${vault.id}`, { vault: { name: 'renamed', billing: { size: 10 } } }), 'BackupService.6101');
      expect((await emu.call('GET', `${base}/vaults/${vault.id}`)).body).toEqual(before);
    });

    it('answers 6105 for an unknown vault', async () => {
      expectApiError(await emu.call('PUT', `${base}/vaults/unknown`, { vault: { name: 'x' } }), 'BackupService.6105');
    });

    it.each([
      ['a missing vault', {}, 'vault is mandatory'],
      ['an empty name', { vault: { name: '' } }, 'vault.name must be at least 1 characters long'],
      ['a 65-character name', { vault: { name: 'n'.repeat(65) } }, 'vault.name must be at most 64 characters long'],
      ['size 0', { vault: { billing: { size: 0 } } }, 'vault.billing.size must be at least 1'],
      ['size above the maximum', { vault: { billing: { size: 10485761 } } }, 'vault.billing.size must be at most 10485760'],
      ['billing.consistent_level (not updatable)', { vault: { billing: { consistent_level: 'app_consistent' } } }, 'invalid key vault.billing.consistent_level'],
      ['threshold 0', { vault: { threshold: 0 } }, 'vault.threshold must be at least 1'],
      ['threshold 101', { vault: { threshold: 101 } }, 'vault.threshold must be at most 100'],
      ['a non-boolean smn_notify', { vault: { smn_notify: 'yes' } }, 'vault.smn_notify must be a boolean'],
      ['locked (not in the seed)', { vault: { locked: true } }, 'invalid key vault.locked'],
      ['description (not updatable)', { vault: { description: 'x' } }, 'invalid key vault.description'],
      ['6 bind rules', { vault: { bind_rules: { tags: Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: 'v' })) } } }, 'vault.bind_rules.tags must contain at most 5 items'],
    ])('rejects %s with 9900', async (_, body, detail) => {
      const vault = await create(vaultCreate('server'));
      expectInvalid(await emu.call('PUT', `${base}/vaults/${vault.id}`, body), detail);
    });
  });

  describe('delete', () => {
    it('answers 204, removes the vault with its backups, leaves its policies and logs a vault_delete task', async () => {
      const disk = addVolume(emu.emulator, emu.project.id, { sizeGb: 20 });
      const vault = await create(vaultCreate('disk', { resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] }));
      const policy = (await emu.call('POST', `${base}/policies`, { policy: policyCreate() })).body.policy;
      await emu.call('POST', `${base}/vaults/${vault.id}/associatepolicy`, { policy_id: policy.id });
      const checkpoint = await createCheckpoint(emu, emu.project.id, vault.id);
      const backups = (await emu.call('GET', `${base}/backups?checkpoint_id=${checkpoint.id}`)).body.backups;
      expect(backups).toHaveLength(1);

      const res = await emu.call('DELETE', `${base}/vaults/${vault.id}`);
      expect(res).toMatchObject({ status: 204, body: undefined });
      expectApiError(await emu.call('GET', `${base}/vaults/${vault.id}`), 'BackupService.6105');
      expectApiError(await emu.call('GET', `${base}/backups/${backups[0].id}`), 'BackupService.6200');
      expect((await emu.call('GET', `${base}/policies/${policy.id}`)).body.policy.associated_vaults).toEqual([]);
      const tasks = (await emu.call('GET', `${base}/operation-logs?operation_type=vault_delete`)).body.operation_logs;
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({
        operation_type: 'vault_delete',
        status: 'success',
        vault_id: vault.id,
        vault_name: vault.name,
        extra_info: {
          resource: { id: disk.id, type: 'OS::Cinder::Volume', name: disk.name },
          vault_delete: { fail_count: 0, total_count: 1 },
          common: { progress: 100 },
        },
      });
    });

    it('names an empty vault as the resource of its vault_delete task', async () => {
      const vault = await create(vaultCreate('disk'));
      expect((await emu.call('DELETE', `${base}/vaults/${vault.id}`)).status).toBe(204);
      const task = (await emu.call('GET', `${base}/operation-logs?operation_type=vault_delete`)).body.operation_logs[0];
      expect(task.extra_info.resource).toEqual({ id: vault.id, type: 'OS::Cinder::Volume', name: vault.name });
    });

    it('answers 6105 for an unknown vault', async () => {
      expectApiError(await emu.call('DELETE', `${base}/vaults/unknown`), 'BackupService.6105');
    });
  });
});

describe('vault deletion in manual lifecycle', () => {
  const emu = useTestEmulator({ lifecycle: 'manual', clock: { start: T0, mode: 'frozen' } }, { resetBeforeEach: false });
  const base = `/v3/${PROJECT_A}`;

  it('shows billing.status deleting with a running task, refuses changes (6112), then answers 404 once the clock moves', async () => {
    const server = addServer(emu.emulator, emu.project.id);
    const turbo = addTurbo(emu.emulator, emu.project.id);
    const created = await emu.call('POST', `${base}/vaults`, {
      vault: vaultCreate('server', { resources: [{ id: server.id, type: 'OS::Nova::Server' }] }),
    });
    const vault = created.body.vault;

    expect((await emu.call('DELETE', `${base}/vaults/${vault.id}`)).status).toBe(204);
    const during = await emu.call('GET', `${base}/vaults/${vault.id}`);
    expect(during.body).toEqual({ vault: { ...vault, billing: { ...vault.billing, status: 'deleting' } } });
    const task = (await emu.call('GET', `${base}/operation-logs?operation_type=vault_delete`)).body.operation_logs[0];
    expect(task).toMatchObject({ status: 'running', vault_id: vault.id, extra_info: { common: { progress: 0 } } });

    expectApiError(await emu.call('PUT', `${base}/vaults/${vault.id}`, { vault: { name: 'x' } }), 'BackupService.6112');
    expectApiError(await emu.call('DELETE', `${base}/vaults/${vault.id}`), 'BackupService.6112');
    expectApiError(
      await emu.call('POST', `${base}/vaults/${vault.id}/addresources`, { resources: [{ id: turbo.id, type: 'OS::Sfs::Turbo' }] }),
      'BackupService.6112',
    );
    expect((await emu.call('GET', `${base}/vaults?status=deleting`)).body.count).toBe(1);

    emu.emulator.clock.advance(1_000);
    expectApiError(await emu.call('GET', `${base}/vaults/${vault.id}`), 'BackupService.6105');
    const done = (await emu.call('GET', `${base}/operation-logs/${task.id}`)).body.operation_log;
    expect(done).toMatchObject({ status: 'success', extra_info: { common: { progress: 100 } } });
    // the server left with the vault: it can join another vault
    const again = await emu.call('POST', `${base}/vaults`, {
      vault: vaultCreate('server', { resources: [{ id: server.id, type: 'OS::Nova::Server' }] }),
    });
    expect(again.status).toBe(200);
  });
});
