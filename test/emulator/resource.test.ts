import { describe, expect, it } from 'vitest';
import { PROJECT_A, useTestEmulator } from '../helpers/emulator';
import { addServer, addTurbo, addVolume, backupsOf, createCheckpoint, T0 } from '../helpers/builders';
import { expectApiError, expectInvalid, vaultCreate } from '../helpers/cbr';

describe('protected resources', () => {
  const emu = useTestEmulator({ clock: { start: T0, mode: 'frozen' } });
  const base = `/v3/${PROJECT_A}`;

  async function createVault(objectType: 'server' | 'disk' | 'turbo', overrides: Record<string, unknown> = {}): Promise<any> {
    const res = await emu.call('POST', `${base}/vaults`, { vault: vaultCreate(objectType, overrides) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.vault;
  }
  const getVault = async (id: string) => (await emu.call('GET', `${base}/vaults/${id}`)).body.vault;
  const add = (vaultId: string, resources: unknown) => emu.call('POST', `${base}/vaults/${vaultId}/addresources`, { resources });

  describe('addresources', () => {
    it('associates a server with excluded disks, taking name and size from the cloud', async () => {
      const server = addServer(emu.emulator, emu.project.id, { name: 'ecs-b977-0002', disks: [{ sizeGb: 40 }, { sizeGb: 60 }, { sizeGb: 10 }] });
      const vault = await createVault('server');
      const excluded = [server.disks![1]!.id, server.disks![2]!.id];
      const res = await add(vault.id, [{ id: server.id, type: 'OS::Nova::Server', name: 'ignored', extra_info: { exclude_volumes: excluded } }]);
      expect(res).toMatchObject({ status: 200, body: { add_resource_ids: [server.id] } });
      expect(res.body).toEqual({ add_resource_ids: [server.id] });
      const after = await getVault(vault.id);
      expect(after.resources).toEqual([
        {
          id: server.id,
          name: 'ecs-b977-0002',
          type: 'OS::Nova::Server',
          protect_status: 'available',
          size: 40,
          backup_size: 0,
          backup_count: 0,
          extra_info: { exclude_volumes: excluded },
        },
      ]);
      expect(after.billing.allocated).toBe(40);
    });

    it('associates disks and SFS Turbo file systems with vaults of their kind', async () => {
      const disk = addVolume(emu.emulator, emu.project.id, { name: 'data', sizeGb: 30 });
      const turbo = addTurbo(emu.emulator, emu.project.id, { name: 'share', sizeGb: 500 });
      const diskVault = await createVault('disk');
      const turboVault = await createVault('turbo');
      expect((await add(diskVault.id, [{ id: disk.id, type: 'OS::Cinder::Volume' }])).body).toEqual({ add_resource_ids: [disk.id] });
      expect((await add(turboVault.id, [{ id: turbo.id, type: 'OS::Sfs::Turbo' }])).body).toEqual({ add_resource_ids: [turbo.id] });
      expect((await getVault(diskVault.id)).resources).toEqual([
        { id: disk.id, name: 'data', type: 'OS::Cinder::Volume', protect_status: 'available', size: 30, backup_size: 0, backup_count: 0 },
      ]);
      expect((await getVault(turboVault.id)).billing.allocated).toBe(500);
    });

    it('refuses a resource type the vault does not hold (6102)', async () => {
      const disk = addVolume(emu.emulator, emu.project.id);
      const vault = await createVault('server');
      expectApiError(await add(vault.id, [{ id: disk.id, type: 'OS::Cinder::Volume' }]), 'BackupService.6102');
    });

    it('answers the not-found code of the resource kind: server 7100, disk 7000, SFS Turbo 7500', async () => {
      const server = await createVault('server');
      const disk = await createVault('disk');
      const turbo = await createVault('turbo');
      expectApiError(await add(server.id, [{ id: 'gone', type: 'OS::Nova::Server' }]), 'BackupService.7100');
      expectApiError(await add(disk.id, [{ id: 'gone', type: 'OS::Cinder::Volume' }]), 'BackupService.7000');
      expectApiError(await add(turbo.id, [{ id: 'gone', type: 'OS::Sfs::Turbo' }]), 'BackupService.7500');
      // a real disk declared as a server is not a server
      const volume = addVolume(emu.emulator, emu.project.id);
      expectApiError(await add(server.id, [{ id: volume.id, type: 'OS::Nova::Server' }]), 'BackupService.7100');
    });

    it('keeps a resource in one vault only (6103), also when added twice to the same vault', async () => {
      const disk = addVolume(emu.emulator, emu.project.id);
      const first = await createVault('disk', { resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] });
      const second = await createVault('disk');
      expectApiError(await add(second.id, [{ id: disk.id, type: 'OS::Cinder::Volume' }]), 'BackupService.6103');
      expectApiError(await add(first.id, [{ id: disk.id, type: 'OS::Cinder::Volume' }]), 'BackupService.6103');
      const res = await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('disk', { resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] }) });
      expectApiError(res, 'BackupService.6103');
    });

    it('refuses duplicates within one request (6104) and adds nothing', async () => {
      const disk = addVolume(emu.emulator, emu.project.id);
      const vault = await createVault('disk');
      const res = await add(vault.id, [
        { id: disk.id, type: 'OS::Cinder::Volume' },
        { id: disk.id, type: 'OS::Cinder::Volume' },
      ]);
      expectApiError(res, 'BackupService.6104');
      expect((await getVault(vault.id)).resources).toEqual([]);
    });

    it('refuses resources in a replication vault (6108)', async () => {
      const server = addServer(emu.emulator, emu.project.id);
      const vault = await createVault('server', { billing: { protect_type: 'replication' } });
      expectApiError(await add(vault.id, [{ id: server.id, type: 'OS::Nova::Server' }]), 'BackupService.6108');
    });

    it('holds at most 256 resources (6100)', async () => {
      const disks = Array.from({ length: 257 }, () => addVolume(emu.emulator, emu.project.id));
      const vault = await createVault('disk');
      const ok = await add(vault.id, disks.slice(0, 256).map((d) => ({ id: d.id, type: 'OS::Cinder::Volume' })));
      expect(ok.body.add_resource_ids).toHaveLength(256);
      expectApiError(await add(vault.id, [{ id: disks[256]!.id, type: 'OS::Cinder::Volume' }]), 'BackupService.6100');
    });

    it('answers 6105 for an unknown vault', async () => {
      const disk = addVolume(emu.emulator, emu.project.id);
      expectApiError(await add('unknown', [{ id: disk.id, type: 'OS::Cinder::Volume' }]), 'BackupService.6105');
    });

    it.each([
      ['a missing list', {}, 'resources is mandatory'],
      ['an empty list', { resources: [] }, 'resources must contain at least 1 items'],
      ['257 resources', { resources: Array.from({ length: 257 }, (_, i) => ({ id: `d${i}`, type: 'OS::Cinder::Volume' })) }, 'resources must contain at most 256 items'],
      ['a resource without id', { resources: [{ type: 'OS::Cinder::Volume' }] }, 'resources.0.id is mandatory'],
      ['a resource without type', { resources: [{ id: 'x' }] }, 'resources.0.type is mandatory'],
      ['an unknown resource key', { resources: [{ id: 'x', type: 'OS::Cinder::Volume', size: 1 }] }, 'invalid key resources.0.size'],
      ['a non-list exclude_volumes', { resources: [{ id: 'x', type: 'OS::Nova::Server', extra_info: { exclude_volumes: 'd1' } }] }, 'resources.0.extra_info.exclude_volumes must be an array'],
    ])('rejects %s with 9900', async (_, body, detail) => {
      const vault = await createVault('disk');
      expectInvalid(await emu.call('POST', `${base}/vaults/${vault.id}/addresources`, body), detail);
    });

    it('does not answer the misspelt paths of the API reference', async () => {
      const vault = await createVault('disk');
      const res = await emu.call('POST', `${base}/vaults/${vault.id}/addressesources`, { resources: [] });
      expect(res.status).toBe(404);
    });
  });

  describe('derived usage', () => {
    it('computes billing.used (MB) and each resource backup_count/backup_size from the completed top-level backups', async () => {
      const server = addServer(emu.emulator, emu.project.id, { disks: [{ sizeGb: 40 }, { sizeGb: 60 }] });
      const disk = addVolume(emu.emulator, emu.project.id, { sizeGb: 20 });
      const serverVault = await createVault('server', { billing: { size: 1000 }, resources: [{ id: server.id, type: 'OS::Nova::Server' }] });
      const diskVault = await createVault('disk', { resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] });
      await createCheckpoint(emu, emu.project.id, serverVault.id);
      const second = await createCheckpoint(emu, emu.project.id, serverVault.id);
      await createCheckpoint(emu, emu.project.id, diskVault.id);

      let vault = await getVault(serverVault.id);
      expect(vault.billing.used).toBe(2 * 100 * 1024); // two 100 GB server backups; their disk backups are not counted again
      expect(vault.resources[0]).toMatchObject({ id: server.id, backup_count: 2, backup_size: 200 });
      expect((await getVault(diskVault.id)).billing.used).toBe(20 * 1024);

      // a backup being deleted occupies its space until the deletion ends (the capacity check counts it too)
      const [backup] = await backupsOf(emu, emu.project.id, second.id);
      const stored = emu.emulator.state.project(emu.project.id).backups.get(backup.id)!;
      stored.status = 'deleting';
      expect((await getVault(serverVault.id)).billing.used).toBe(2 * 100 * 1024);

      // a failed backup is still one of the resource's backups but occupies nothing
      stored.status = 'error';
      vault = await getVault(serverVault.id);
      expect(vault.billing.used).toBe(100 * 1024);
      expect(vault.resources[0]).toMatchObject({ backup_count: 2, backup_size: 100 });
      const listed = (await emu.call('GET', `${base}/vaults?id=${serverVault.id}`)).body.vaults[0];
      expect(listed).toEqual(vault);
    });

    it('derives every vault of a list (one pass over the backups) as its own GET does, paged lists included', async () => {
      const server = addServer(emu.emulator, emu.project.id, { disks: [{ sizeGb: 40 }, { sizeGb: 60 }] });
      const [diskA, diskB] = [addVolume(emu.emulator, emu.project.id, { sizeGb: 20 }), addVolume(emu.emulator, emu.project.id, { sizeGb: 30 })];
      const serverVault = await createVault('server', { billing: { size: 1000 }, resources: [{ id: server.id, type: 'OS::Nova::Server' }] });
      const diskVault = await createVault('disk', { resources: [diskA, diskB].map((d) => ({ id: d!.id, type: 'OS::Cinder::Volume' })) });
      const emptyVault = await createVault('disk');
      await createCheckpoint(emu, emu.project.id, serverVault.id);
      await createCheckpoint(emu, emu.project.id, diskVault.id);
      await createCheckpoint(emu, emu.project.id, diskVault.id, { resources: [diskB!.id] });

      const singles = await Promise.all([emptyVault, diskVault, serverVault].map((v) => getVault(v.id)));
      expect(singles.map((v) => [v.billing.used, v.resources.map((r: any) => [r.backup_count, r.backup_size])])).toEqual([
        [0, []],
        [(20 + 30 + 30) * 1024, [[1, 20], [2, 60]]],
        [100 * 1024, [[1, 100]]],
      ]);
      expect((await emu.call('GET', `${base}/vaults`)).body.vaults).toEqual(singles); // newest first
      expect((await emu.call('GET', `${base}/vaults?offset=1&limit=1`)).body.vaults).toEqual([singles[1]]);
    });
  });

  describe('removeresources', () => {
    it('dissociates resources, deletes their backups in the vault and logs a remove_resource task', async () => {
      const d1 = addVolume(emu.emulator, emu.project.id, { name: 'd1' });
      const d2 = addVolume(emu.emulator, emu.project.id, { name: 'd2' });
      const vault = await createVault('disk', {
        resources: [
          { id: d1.id, type: 'OS::Cinder::Volume' },
          { id: d2.id, type: 'OS::Cinder::Volume' },
        ],
      });
      const checkpoint = await createCheckpoint(emu, emu.project.id, vault.id);
      const backups = await backupsOf(emu, emu.project.id, checkpoint.id);
      const ofD1 = backups.find((b) => b.resource_id === d1.id);

      const res = await emu.call('POST', `${base}/vaults/${vault.id}/removeresources`, { resource_ids: [d1.id] });
      expect(res).toMatchObject({ status: 200 });
      expect(res.body).toEqual({ remove_resource_ids: [d1.id] });
      const after = await getVault(vault.id);
      expect(after.resources.map((r: { id: string }) => r.id)).toEqual([d2.id]);
      expectApiError(await emu.call('GET', `${base}/backups/${ofD1.id}`), 'BackupService.6200');
      expect((await emu.call('GET', `${base}/backups?vault_id=${vault.id}`)).body.count).toBe(1);
      const task = (await emu.call('GET', `${base}/operation-logs?operation_type=remove_resource`)).body.operation_logs[0];
      expect(task).toMatchObject({
        status: 'success',
        vault_id: vault.id,
        extra_info: {
          resource: { id: d1.id, type: 'OS::Cinder::Volume', name: 'd1' },
          remove_resources: { fail_count: 0, total_count: 1, resources: [{ id: d1.id, type: 'OS::Cinder::Volume', name: 'd1' }] },
        },
      });
      // the disk is free again
      const other = await createVault('disk');
      expect((await add(other.id, [{ id: d1.id, type: 'OS::Cinder::Volume' }])).status).toBe(200);
    });

    it('refuses a resource not in the vault (6135) and duplicates (6104)', async () => {
      const disk = addVolume(emu.emulator, emu.project.id);
      const vault = await createVault('disk', { resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] });
      const remove = (ids: string[]) => emu.call('POST', `${base}/vaults/${vault.id}/removeresources`, { resource_ids: ids });
      expectApiError(await remove(['not-here']), 'BackupService.6135');
      expectApiError(await remove([disk.id, disk.id]), 'BackupService.6104');
      expectApiError(await emu.call('POST', `${base}/vaults/unknown/removeresources`, { resource_ids: [disk.id] }), 'BackupService.6105');
    });

    it.each([
      ['a missing list', {}, 'resource_ids is mandatory'],
      ['an empty list', { resource_ids: [] }, 'resource_ids must contain at least 1 items'],
      ['257 ids', { resource_ids: Array.from({ length: 257 }, (_, i) => `r${i}`) }, 'resource_ids must contain at most 256 items'],
      ['an unknown key', { resource_ids: ['x'], force: true }, 'invalid key force'],
    ])('rejects %s with 9900', async (_, body, detail) => {
      const vault = await createVault('disk');
      expectInvalid(await emu.call('POST', `${base}/vaults/${vault.id}/removeresources`, body), detail);
    });
  });

  describe('migrateresources', () => {
    it('moves resources and their backups (with disk backups) to the destination vault', async () => {
      const server = addServer(emu.emulator, emu.project.id, { disks: [{ sizeGb: 40 }, { sizeGb: 10 }] });
      const stay = addServer(emu.emulator, emu.project.id, { disks: [{ sizeGb: 20 }] });
      const source = await createVault('server', {
        resources: [
          { id: server.id, type: 'OS::Nova::Server' },
          { id: stay.id, type: 'OS::Nova::Server' },
        ],
      });
      const destination = await createVault('server');
      const checkpoint = await createCheckpoint(emu, emu.project.id, source.id);
      const moved = (await backupsOf(emu, emu.project.id, checkpoint.id)).find((b) => b.resource_id === server.id);

      const res = await emu.call('POST', `${base}/vaults/${source.id}/migrateresources`, {
        resource_ids: [server.id],
        destination_vault_id: destination.id,
      });
      expect(res).toMatchObject({ status: 200, body: { migrated_resources: [server.id] } });
      expect(res.body).toEqual({ migrated_resources: [server.id] });

      const [src, dst] = [await getVault(source.id), await getVault(destination.id)];
      expect(src.resources.map((r: { id: string }) => r.id)).toEqual([stay.id]);
      expect(dst.resources).toEqual([
        { id: server.id, name: server.name, type: 'OS::Nova::Server', protect_status: 'available', size: 50, backup_size: 50, backup_count: 1 },
      ]);
      expect(src.billing.used).toBe(20 * 1024);
      expect(dst.billing.used).toBe(50 * 1024);
      const backup = (await emu.call('GET', `${base}/backups/${moved.id}`)).body.backup;
      expect(backup.vault_id).toBe(destination.id);
      expect(backup.children.map((c: { vault_id: string }) => c.vault_id)).toEqual([destination.id, destination.id]);
    });

    it('checks the destination (6120 unknown, 6102 other kind, 9900 same vault) and the resources (6135, 6104)', async () => {
      const server = addServer(emu.emulator, emu.project.id);
      const source = await createVault('server', { resources: [{ id: server.id, type: 'OS::Nova::Server' }] });
      const diskVault = await createVault('disk');
      const other = await createVault('server');
      const migrate = (body: unknown) => emu.call('POST', `${base}/vaults/${source.id}/migrateresources`, body);
      expectApiError(await migrate({ resource_ids: [server.id], destination_vault_id: 'unknown' }), 'BackupService.6120');
      expectApiError(await migrate({ resource_ids: [server.id], destination_vault_id: diskVault.id }), 'BackupService.6102');
      expectInvalid(await migrate({ resource_ids: [server.id], destination_vault_id: source.id }), 'destination_vault_id must differ from the source vault');
      expectApiError(await migrate({ resource_ids: ['not-here'], destination_vault_id: other.id }), 'BackupService.6135');
      expectApiError(await migrate({ resource_ids: [server.id, server.id], destination_vault_id: other.id }), 'BackupService.6104');
      expectApiError(
        await emu.call('POST', `${base}/vaults/unknown/migrateresources`, { resource_ids: [server.id], destination_vault_id: other.id }),
        'BackupService.6105',
      );
      expectInvalid(await migrate({ resource_ids: [server.id] }), 'destination_vault_id is mandatory');
      expectInvalid(await migrate({ destination_vault_id: other.id, resource_ids: [] }), 'resource_ids must contain at least 1 items');
      expect((await getVault(source.id)).resources).toHaveLength(1);
    });

    it('refuses a destination vault without room for the backups moved into it (6129), leaving both vaults as they were', async () => {
      const server = addServer(emu.emulator, emu.project.id, { disks: [{ sizeGb: 3000 }] });
      const source = await createVault('server', { billing: { size: 5000 }, resources: [{ id: server.id, type: 'OS::Nova::Server' }] });
      const destination = await createVault('server', { billing: { size: 10 } });
      await createCheckpoint(emu, emu.project.id, source.id);

      const res = await emu.call('POST', `${base}/vaults/${source.id}/migrateresources`, {
        resource_ids: [server.id],
        destination_vault_id: destination.id,
      });
      expectApiError(res, 'BackupService.6129');
      const [src, dst] = [await getVault(source.id), await getVault(destination.id)];
      expect(src.resources.map((r: { id: string }) => r.id)).toEqual([server.id]);
      expect(src.billing.used).toBe(3000 * 1024);
      expect(dst.resources).toEqual([]);
      expect(dst.billing.used).toBe(0);
    });

    it('counts what the destination vault already holds: a move that just fits is accepted, one GB more is refused (6129)', async () => {
      const moving = addServer(emu.emulator, emu.project.id, { disks: [{ sizeGb: 30 }] });
      const resident = addServer(emu.emulator, emu.project.id, { disks: [{ sizeGb: 70 }] });
      const source = await createVault('server', { resources: [{ id: moving.id, type: 'OS::Nova::Server' }] });
      const tight = await createVault('server', { billing: { size: 99 }, resources: [{ id: resident.id, type: 'OS::Nova::Server' }] });
      const exact = await createVault('server', { billing: { size: 100 }, resources: [] });
      await createCheckpoint(emu, emu.project.id, source.id);
      await createCheckpoint(emu, emu.project.id, tight.id);
      const migrate = (destination: string) =>
        emu.call('POST', `${base}/vaults/${source.id}/migrateresources`, { resource_ids: [moving.id], destination_vault_id: destination });

      expectApiError(await migrate(tight.id), 'BackupService.6129');
      // the same 70 GB resident in a 100 GB vault leaves exactly the 30 GB the move needs
      expect((await emu.call('POST', `${base}/vaults/${tight.id}/migrateresources`, { resource_ids: [resident.id], destination_vault_id: exact.id })).status).toBe(200);
      expect((await migrate(exact.id)).body).toEqual({ migrated_resources: [moving.id] });
      expect((await getVault(exact.id)).billing.used).toBe(100 * 1024);
    });
  });
});

describe('protected resources in manual lifecycle', () => {
  const emu = useTestEmulator({ lifecycle: 'manual', clock: { start: T0, mode: 'frozen' } }, { resetBeforeEach: false });
  const base = `/v3/${PROJECT_A}`;

  it('shows a resource as removing until the remove_resource task ran; meanwhile it cannot be removed, migrated or added again (6134)', async () => {
    const disk = addVolume(emu.emulator, emu.project.id);
    const vault = (await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('disk', { resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] }) })).body.vault;
    const other = (await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('disk') })).body.vault;

    const res = await emu.call('POST', `${base}/vaults/${vault.id}/removeresources`, { resource_ids: [disk.id] });
    expect(res.body).toEqual({ remove_resource_ids: [disk.id] });
    const during = (await emu.call('GET', `${base}/vaults/${vault.id}`)).body.vault;
    expect(during.resources).toEqual([{ ...vault.resources[0], protect_status: 'removing' }]);
    const task = (await emu.call('GET', `${base}/operation-logs?operation_type=remove_resource`)).body.operation_logs[0];
    expect(task.status).toBe('running');

    expectApiError(await emu.call('POST', `${base}/vaults/${vault.id}/removeresources`, { resource_ids: [disk.id] }), 'BackupService.6134');
    expectApiError(
      await emu.call('POST', `${base}/vaults/${vault.id}/migrateresources`, { resource_ids: [disk.id], destination_vault_id: other.id }),
      'BackupService.6134',
    );
    expectApiError(
      await emu.call('POST', `${base}/vaults/${other.id}/addresources`, { resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] }),
      'BackupService.6134',
    );

    emu.emulator.clock.advance(1_000);
    expect((await emu.call('GET', `${base}/vaults/${vault.id}`)).body.vault.resources).toEqual([]);
    expect((await emu.call('GET', `${base}/operation-logs/${task.id}`)).body.operation_log.status).toBe('success');
  });

  it('refuses to remove a resource while it is being backed up (6125)', async () => {
    const disk = addVolume(emu.emulator, emu.project.id);
    const vault = (await emu.call('POST', `${base}/vaults`, { vault: vaultCreate('disk', { resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] }) })).body.vault;
    await createCheckpoint(emu, emu.project.id, vault.id);
    expectApiError(await emu.call('POST', `${base}/vaults/${vault.id}/removeresources`, { resource_ids: [disk.id] }), 'BackupService.6125');
    emu.emulator.clock.advance(1_000); // the backup's two lifecycle steps
    emu.emulator.clock.advance(1_000);
    expect((await emu.call('POST', `${base}/vaults/${vault.id}/removeresources`, { resource_ids: [disk.id] })).status).toBe(200);
  });
});
