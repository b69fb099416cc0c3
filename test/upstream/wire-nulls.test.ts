/**
 * Null tolerance of the wire: answers about objects still queued, being created or being deleted, where a real cloud
 * leaves fields out or answers them `null`, parse with the client's schemas (one such object must not fail a whole
 * list), and read back as null, or as an empty list where a list is the natural reading.
 */
import { describe, expect, it } from 'vitest';
import { BackupList, BackupResponse } from '../../src/upstream/schemas/backup';
import { CheckpointResponse } from '../../src/upstream/schemas/restore-point';
import { MemberList } from '../../src/upstream/schemas/share-member';
import { TaskList } from '../../src/upstream/schemas/task';
import { VaultList, VaultResponse } from '../../src/upstream/schemas/vault';
import { ListVbsBackupTasksResponse } from '../../src/upstream/schemas/vbs-policy';
import { protectingBackup } from '../helpers/builders';

/** A vault a real cloud is still creating: no resources yet, no derived billing figures, no provider id. */
const creatingVault = {
  id: 'v-new',
  name: 'vault-new',
  project_id: 'p-1',
  billing: {
    charging_mode: 'post_paid',
    consistent_level: 'crash_consistent',
    protect_type: 'backup',
    size: 100,
    spec_code: 'vault.backup.server.normal',
    status: 'available',
    allocated: null,
    used: null,
  },
};

describe('wire schemas of objects in flight', () => {
  it('read a vault without resources, provider id or derived billing figures: an empty list and nulls', () => {
    const parsed = VaultResponse.parse({ vault: creatingVault });
    expect(parsed.vault.resources).toEqual([]);
    expect([parsed.vault.provider_id, parsed.vault.billing.allocated, parsed.vault.billing.used]).toEqual([undefined, null, null]);
    expect(VaultResponse.parse({ vault: { ...creatingVault, resources: null, provider_id: null } }).vault.resources).toEqual([]);
  });

  it('keep the other vaults of a list when one is being created', () => {
    const ready = { ...creatingVault, id: 'v-ready', provider_id: 'prov', resources: [{ id: 's-1', type: 'OS::Nova::Server' }] };
    const list = VaultList.parse({ vaults: [creatingVault, ready], count: 2 });
    expect(list.vaults.map((v) => [v.id, v.resources.length])).toEqual([['v-new', 0], ['v-ready', 1]]);
  });

  it('still refuse a vault without what every vault has (id, billing size)', () => {
    expect(VaultResponse.safeParse({ vault: { ...creatingVault, id: undefined } }).success).toBe(false);
    expect(VaultResponse.safeParse({ vault: { ...creatingVault, billing: { ...creatingVault.billing, size: null } } }).success).toBe(false);
  });

  it('read a restore point still queued: no creation time, no vault, no extra info', () => {
    const parsed = CheckpointResponse.parse({ checkpoint: { id: 'cp-1', project_id: 'p-1', status: 'protecting', created_at: null, vault: null, extra_info: null } });
    expect(parsed.checkpoint).toMatchObject({ id: 'cp-1', created_at: null, vault: null });
    expect(CheckpointResponse.parse({ checkpoint: { id: 'cp-1', project_id: 'p-1', status: 'protecting' } }).checkpoint.created_at).toBeUndefined();
  });

  it('read a backup being protected: null times, size, name and details', () => {
    const protecting = protectingBackup({ id: 'b-1', project_id: 'p-1', children: null });
    expect(BackupResponse.parse({ backup: protecting }).backup).toMatchObject({ protected_at: null, resource_size: null, children: null });
    expect(BackupList.parse({ backups: [protecting], count: 1 }).backups).toHaveLength(1);
  });

  it('read a queued task without start, update, error or extra info', () => {
    const queued = { id: 't-1', project_id: 'p-1', operation_type: 'backup', status: 'waiting', created_at: '2024-03-01T08:00:00Z', started_at: null, updated_at: null, error_info: null, extra_info: null };
    expect(TaskList.parse({ operation_logs: [queued], count: 1 }).operation_logs[0]).toMatchObject({ started_at: null, extra_info: null });
  });

  it('read a share member not accepted yet: no vault, image or update time', () => {
    const pending = { id: 'p-2', status: 'pending', backup_id: 'b-1', dest_project_id: 'p-2', vault_id: null, image_id: null, updated_at: null };
    expect(MemberList.parse({ members: [pending], count: 1 }).members[0]).toMatchObject({ vault_id: null, image_id: null, updated_at: null });
  });

  it('read a VBS v2 backup job still waiting: finished_at and vbs_job_id null', () => {
    const waiting = { job_id: 'j-1', status: 'WAITING', created_at: '2016-12-02T09:06:46.706', finished_at: null, backup_name: 'autobk_a1b2', resource_id: 'vol-1', resource_type: 'volume', vbs_job_id: null };
    expect(ListVbsBackupTasksResponse.parse({ tasks: [waiting], count: 1 }).tasks[0]).toMatchObject({ finished_at: null, vbs_job_id: null });
  });
});
