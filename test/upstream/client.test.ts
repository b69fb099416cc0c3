/** The typed client against the emulator over loopback: every operation's happy path, and how errors arrive. */
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCbrClient, type CbrClient } from '../../src/upstream/client';
import { tokenCredentials } from '../../src/upstream/credentials';
import { UpstreamError } from '../../src/upstream/errors';
import { createHttp } from '../../src/upstream/http';
import { addServer, addVolume } from '../helpers/builders';
import { PROJECT_A, PROJECT_B, useTestEmulator } from '../helpers/emulator';
import { caught } from '../helpers/rejections';

const emu = useTestEmulator();
let agent: Agent;
let client: CbrClient;
/** The same client acting in project B (share destination). */
let clientB: CbrClient;

function clientFor(token: string, projectId: string): CbrClient {
  const http = createHttp({ baseUrl: emu.url, dispatcher: agent, credentials: tokenCredentials({ token, projectId }) });
  return createCbrClient({ http });
}

beforeAll(() => {
  agent = new Agent({ connections: 8 });
  client = clientFor(emu.project.token, PROJECT_A);
  clientB = clientFor(emu.otherProject.token, PROJECT_B);
});
afterAll(() => agent.close());

const serverVault = (name: string, resources: Array<{ id: string; type: 'OS::Nova::Server' }> = []) => ({
  vault: {
    name,
    billing: { consistent_level: 'crash_consistent' as const, object_type: 'server' as const, protect_type: 'backup' as const, size: 100 },
    resources,
  },
});

const dailyPolicy = {
  policy: {
    name: 'daily',
    enabled: true,
    operation_type: 'backup' as const,
    operation_definition: { max_backups: 7 },
    trigger: { properties: { pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=3;BYMINUTE=0'] } },
  },
};

describe('vaults', () => {
  it('creates, reads, lists, updates and deletes a vault', async () => {
    const created = await client.createVault(serverVault('v1'));
    expect(created).toMatchObject({ name: 'v1', project_id: PROJECT_A, billing: { size: 100, object_type: 'server', status: 'available' }, resources: [] });
    expect(await client.getVault(created.id)).toEqual(created);

    const list = await client.listVaults({ limit: 10, name: 'v1' });
    expect(list).toMatchObject({ count: 1, vaults: [created] });

    const updated = await client.updateVault(created.id, { vault: { name: 'v1-renamed' } });
    expect(updated).toEqual({ ...created, name: 'v1-renamed', updated_at: updated.updated_at });
    expect(await client.getVault(created.id)).toEqual(updated);

    await expect(client.deleteVault(created.id)).resolves.toBeUndefined();
    const error = await caught(() => client.getVault(created.id));
    expect(error).toBeInstanceOf(UpstreamError);
    expect([error.status, error.code, error.message, error.method, error.path]).toEqual([
      404,
      'BackupService.6105',
      'The vault does not exist.',
      'GET',
      `/v3/${PROJECT_A}/vaults/${created.id}`,
    ]);
    expect(error.requestId).toMatch(/^req-/);
  });

  it('adds, migrates and removes resources', async () => {
    const server = addServer(emu.emulator, PROJECT_A);
    const source = await client.createVault(serverVault('source'));
    const target = await client.createVault(serverVault('target'));

    expect(await client.addVaultResources(source.id, { resources: [{ id: server.id, type: 'OS::Nova::Server' }] })).toEqual({
      add_resource_ids: [server.id],
    });
    const migrated = await client.migrateVaultResources(source.id, { destination_vault_id: target.id, resource_ids: [server.id] });
    expect(migrated.migrated_resources).toHaveLength(1);
    expect((await client.getVault(target.id)).resources.map((r) => r.id)).toEqual([server.id]);
    expect(await client.removeVaultResources(target.id, { resource_ids: [server.id] })).toEqual({ remove_resource_ids: [server.id] });
  });

  it('associates and dissociates a policy, unwrapping both envelopes', async () => {
    const vault = await client.createVault(serverVault('v'));
    const policy = await client.createPolicy(dailyPolicy);
    expect(await client.associateVaultPolicy(vault.id, { policy_id: policy.id })).toMatchObject({ vault_id: vault.id, policy_id: policy.id });
    expect(await client.dissociateVaultPolicy(vault.id, { policy_id: policy.id })).toMatchObject({ vault_id: vault.id, policy_id: policy.id });
  });

  it('sends the typed query as the emulator logs it', async () => {
    await client.listVaults({ limit: 5, offset: 0, object_type: 'server' });
    expect(emu.emulator.requestLog.calls()).toEqual([`GET /v3/${PROJECT_A}/vaults?limit=5&offset=0&object_type=server`]);
  });

  it('turns a 9900 validation answer into UpstreamError naming the field', async () => {
    const body = serverVault('tiny');
    const error = await caught(() => client.createVault({ vault: { ...body.vault, billing: { ...body.vault.billing, size: 1 } } }));
    expect([error.status, error.code]).toEqual([400, 'BackupService.9900']);
    expect(error.message).toContain('vault.billing.size');
  });
});

describe('policies', () => {
  it('creates, reads, lists, updates and deletes a policy', async () => {
    const created = await client.createPolicy(dailyPolicy);
    expect(created).toMatchObject({ name: 'daily', enabled: true, operation_type: 'backup', operation_definition: { max_backups: 7 } });
    expect(await client.getPolicy(created.id)).toEqual(created);
    expect(await client.listPolicies({ operation_type: 'backup' })).toMatchObject({ count: 1, policies: [created] });
    const updated = await client.updatePolicy(created.id, { policy: { enabled: false, name: 'name2' } });
    expect(updated).toMatchObject({ id: created.id, enabled: false, name: 'name2' });
    expect(await client.getPolicy(created.id)).toEqual(updated);
    await expect(client.deletePolicy(created.id)).resolves.toBeUndefined();
    expect((await caught(() => client.getPolicy(created.id))).code).toBe('BackupService.6000');
  });
});

describe('restore points, backups, tasks and sharing', () => {
  async function backedUpServer() {
    const server = addServer(emu.emulator, PROJECT_A, { name: 'web' });
    const vault = await client.createVault(serverVault('v', [{ id: server.id, type: 'OS::Nova::Server' }]));
    const checkpoint = await client.createRestorePoint({
      checkpoint: { vault_id: vault.id, parameters: { name: 'manual_1', description: 'by test', resources: [server.id] } },
    });
    return { server, vault, checkpoint };
  }

  it('creates a restore point and reads it back', async () => {
    const { vault, checkpoint } = await backedUpServer();
    expect(checkpoint).toMatchObject({ project_id: PROJECT_A, vault: { id: vault.id } });
    expect(await client.getRestorePoint(checkpoint.id)).toMatchObject({ id: checkpoint.id, status: 'available' });
  });

  it('lists and reads backups, restores one and deletes it', async () => {
    const { server, checkpoint } = await backedUpServer();
    const list = await client.listBackups({ checkpoint_id: checkpoint.id, status: ['available', 'error'] });
    expect(list.count).toBe(1);
    const backup = list.backups[0]!;
    expect(backup).toMatchObject({ checkpoint_id: checkpoint.id, resource_id: server.id, status: 'available' });
    // The list answers a server backup without its disk backups (children); GET includes them.
    const { children: _children, ...listed } = backup;
    const full = await client.getBackup(backup.id);
    expect(full).toMatchObject(listed);

    const mappings = (full.children ?? []).map((disk) => ({ backup_id: disk.id, volume_id: disk.resource_id }));
    expect(mappings).toHaveLength(1);
    const restored = await client.restoreBackup(backup.id, { restore: { server_id: server.id, power_on: true, mappings } });
    expect(restored.job_id).toEqual(expect.any(String));
    expect(await client.getTask(restored.job_id!)).toMatchObject({ id: restored.job_id, operation_type: 'restore', status: 'success' });

    await expect(client.deleteBackup(backup.id)).resolves.toBeUndefined();
    expect((await caught(() => client.getBackup(backup.id))).code).toBe('BackupService.6200');
  });

  it('lists tasks with a filter and reads one', async () => {
    await backedUpServer();
    const tasks = await client.listTasks({ operation_type: 'backup', limit: 10 });
    expect(tasks.count).toBe(1);
    const task = tasks.operation_logs[0]!;
    expect(task).toMatchObject({ operation_type: 'backup', status: 'success' });
    expect(await client.getTask(task.id)).toEqual(task);
  });

  it('shares a backup, the receiver accepts, and the share is removed', async () => {
    const { checkpoint } = await backedUpServer();
    const backup = (await client.listBackups({ checkpoint_id: checkpoint.id })).backups[0]!;
    const added = await client.addShareMembers(backup.id, { members: [PROJECT_B] });
    expect(added.members).toEqual([expect.objectContaining({ backup_id: backup.id, dest_project_id: PROJECT_B, status: 'pending' })]);
    expect(await client.listShareMembers(backup.id)).toMatchObject({ members: added.members });
    expect(await client.getShareMember(backup.id, PROJECT_B)).toEqual(added.members[0]);

    const receiverVault = await clientB.createVault(serverVault('received'));
    const accepted = await clientB.updateShareMember(backup.id, PROJECT_B, { status: 'accepted', vault_id: receiverVault.id });
    expect(accepted).toMatchObject({ status: 'accepted', dest_project_id: PROJECT_B });

    await expect(client.deleteShareMember(backup.id, PROJECT_B)).resolves.toBeUndefined();
    expect((await caught(() => client.getShareMember(backup.id, PROJECT_B))).code).toBe('BackupService.6705');
  });
});

describe('VBS v2 backup policies', () => {
  const vbsPolicy = {
    backup_policy_name: 'policy_01',
    scheduled_policy: { remain_first_backup_of_curMonth: 'Y' as const, rentention_num: 10, frequency: 1, start_time: '12:00', status: 'ON' as const },
  };

  it('creates, lists, updates, associates, executes, disassociates and deletes a policy', async () => {
    const volume = addVolume(emu.emulator, PROJECT_A, { name: 'data' });
    const { backup_policy_id: id } = await client.createVbsPolicy(vbsPolicy);
    expect(id).toEqual(expect.any(String));
    expect(await client.listVbsPolicies()).toEqual({
      backup_policies: [
        { backup_policy_id: id, backup_policy_name: 'policy_01', scheduled_policy: vbsPolicy.scheduled_policy, policy_resource_count: 0 },
      ],
    });
    const updated = await client.updateVbsPolicy(id, { scheduled_policy: { status: 'OFF' } });
    expect(updated).toBeTypeOf('object');
    expect((await client.listVbsPolicies()).backup_policies[0]!.scheduled_policy.status).toBe('OFF');

    const associated = await client.associateVbsPolicyResources({
      backup_policy_id: id,
      resources: [{ resource_id: volume.id, resource_type: 'volume' }],
    });
    expect(associated.success_resources.map((r) => r.resource_id)).toEqual([volume.id]);
    expect(associated.fail_resources).toEqual([]);

    await expect(client.executeVbsPolicy(id)).resolves.toBeUndefined();

    const disassociated = await client.disassociateVbsPolicyResources(id, { resources: [{ resource_id: volume.id }] });
    expect(disassociated).toEqual({ success_resources: [{ resource_id: volume.id }], fail_resources: [] });

    await expect(client.deleteVbsPolicy(id)).resolves.toBeUndefined();
    expect((await client.listVbsPolicies()).backup_policies).toEqual([]);
  });

  it('reads the VBS v2 error shape', async () => {
    const error = await caught(() => client.deleteVbsPolicy('af8a20b0-117d-4fc3-ae53-aa3968a4f870'));
    expect(error).toBeInstanceOf(UpstreamError);
    expect([error.status, error.code]).toEqual([404, 'AutoBackup.0205']);
    expect(error.message).toEqual(expect.any(String));
  });
});

describe('token passthrough', () => {
  it('sends the caller token and fails with the API gateway 401 for an unknown one', async () => {
    const error = await caught(() => clientFor('MIInot-a-real-token', PROJECT_A).listVaults());
    expect([error.status, error.code, error.message]).toEqual([401, 'APIGW.0301', 'Incorrect IAM authentication information: decrypt token fail']);
  });

  it('gets 403 when the token belongs to another project', async () => {
    const error = await caught(() => clientFor(emu.otherProject.token, PROJECT_A).listVaults());
    expect([error.status, error.code]).toEqual([403, 'APIGW.0302']);
  });

  it('never builds a path from an id that would leave its segment', async () => {
    await expect(client.getVault('../policies')).rejects.toMatchObject({ name: 'UpstreamRequestError', reason: 'invalid-path-segment' });
    expect(emu.emulator.requestLog.calls()).toEqual([]);
  });
});
