/**
 * Client compatibility: every seed operation the emulator serves (CBR v3, VBS v2, the IAM project lookup, API
 * versions), sent the way real clients send it, not the way our own REST client does:
 * - the official Huawei Cloud Node SDK core (signer, credentials with the IAM project lookup, HTTP client), with the
 *   requests described as its generated CbrClient describes them (test/helpers/huawei-sdk.ts);
 * - gophertelekomcloud's `Credential=` signing and request shape, from its documented rules (test/helpers/gopher-client.ts).
 * The same scenario runs for both; the answers are checked on status and the fields a client reads next.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { DEMO_PROJECT, DEMO_PROJECT_2, DEMO_USER } from '../../src/emulator/demo-identity';
import { addServer, addVolume } from '../helpers/builders';
import { policyCreate, vaultCreate } from '../helpers/cbr';
import { useTestEmulator } from '../helpers/emulator';
import { gopherClient, gopherSign } from '../helpers/gopher-client';
import { huaweiSdkClient, type SdkAnswer } from '../helpers/huawei-sdk';
import { signRequest } from '../../src/upstream/signing';

const keys = { accessKey: DEMO_USER.accessKey, secretKey: DEMO_USER.secretKey };

/** One operation as a client library describes it: URL template, path values, query, body. */
interface Op {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  path?: Record<string, string>;
  query?: Record<string, string | number | string[]>;
  body?: unknown;
}

/** A client under test, acting in the first demo project (`a`) or the second (`b`, the share destination). */
type Send = (op: Op, project?: 'a' | 'b') => Promise<SdkAnswer>;

/** The SDK as a Send; `authorizations()` lists the Authorization header of every request it signed. */
function sdkSender(baseUrl: string, derivedAuthServiceName?: string): Send & { authorizations: () => string[] } {
  // Project A by region name (the IAM lookup path), project B pinned by id (the other way SDK users configure it).
  const a = huaweiSdkClient(baseUrl, { ...keys, region: 'eu-de', derivedAuthServiceName });
  const b = huaweiSdkClient(baseUrl, { ...keys, projectId: DEMO_PROJECT_2.id, derivedAuthServiceName });
  const send: Send = (op, project = 'a') =>
    (project === 'a' ? a : b).send({ method: op.method, url: op.url, pathParams: op.path, queryParams: op.query, data: op.body });
  return Object.assign(send, { authorizations: () => [...a.authorizations, ...b.authorizations] });
}

function gopherSender(baseUrl: string): Send {
  const a = gopherClient(baseUrl, { ...keys, projectId: DEMO_PROJECT.id });
  const b = gopherClient(baseUrl, { ...keys, projectId: DEMO_PROJECT_2.id });
  return async (op, project = 'a') => {
    let path = op.url;
    for (const [name, value] of Object.entries(op.path ?? {})) path = path.replace(`{${name}}`, encodeURIComponent(value));
    const res = await (project === 'a' ? a : b).request(op.method, path, { query: op.query, body: op.body });
    return { status: res.status, body: res.body, errorCode: res.body?.error_code ?? res.body?.error?.code };
  };
}

describe('client compatibility', () => {
  const emu = useTestEmulator();

  /** Every seed operation in the order a user would run them; asserts what a client reads from each answer. */
  async function seedOperations(send: Send): Promise<void> {
    const { emulator } = emu;
    const d1 = addVolume(emulator, DEMO_PROJECT.id, { name: 'd1', sizeGb: 10 });
    const d2 = addVolume(emulator, DEMO_PROJECT.id, { name: 'd2', sizeGb: 10 });
    const ok = (answer: SdkAnswer, status = 200) => {
      expect(answer, JSON.stringify(answer)).toMatchObject({ status });
      return answer.body;
    };

    // API versions and vaults
    // Documented as 300 Multiple Choices: the SDK's HTTP client counts it as an error, so only the status is common.
    expect((await send({ method: 'GET', url: '/v3' })).status).toBe(300);
    const v1 = ok(await send({ method: 'POST', url: '/v3/{project_id}/vaults', body: { vault: vaultCreate('disk', { name: 'v1', resources: [{ id: d1.id, type: 'OS::Cinder::Volume' }] }) } })).vault;
    const v2 = ok(await send({ method: 'POST', url: '/v3/{project_id}/vaults', body: { vault: vaultCreate('disk', { name: 'v2' }) } })).vault;
    expect(v1).toMatchObject({ name: 'v1', resources: [{ id: d1.id }] });
    const listed = ok(await send({ method: 'GET', url: '/v3/{project_id}/vaults', query: { id: [v1.id, v2.id], limit: 10 } }));
    expect(listed.vaults.map((v: { id: string }) => v.id).sort()).toEqual([v1.id, v2.id].sort());
    expect(ok(await send({ method: 'GET', url: '/v3/{project_id}/vaults/{vault_id}', path: { vault_id: v1.id } })).vault.id).toBe(v1.id);
    expect(ok(await send({ method: 'PUT', url: '/v3/{project_id}/vaults/{vault_id}', path: { vault_id: v2.id }, body: { vault: { name: 'v2-renamed' } } })).vault.name).toBe('v2-renamed');
    const added = ok(await send({ method: 'POST', url: '/v3/{project_id}/vaults/{vault_id}/addresources', path: { vault_id: v1.id }, body: { resources: [{ id: d2.id, type: 'OS::Cinder::Volume' }] } }));
    expect(added).toEqual({ add_resource_ids: [d2.id] });

    // Policies
    const policy = ok(await send({ method: 'POST', url: '/v3/{project_id}/policies', body: { policy: policyCreate() } })).policy;
    expect(ok(await send({ method: 'GET', url: '/v3/{project_id}/policies', query: { operation_type: 'backup' } })).policies.map((p: { id: string }) => p.id)).toEqual([policy.id]);
    expect(ok(await send({ method: 'GET', url: '/v3/{project_id}/policies/{policy_id}', path: { policy_id: policy.id } })).policy.name).toBe('daily');
    expect(ok(await send({ method: 'PUT', url: '/v3/{project_id}/policies/{policy_id}', path: { policy_id: policy.id }, body: { policy: { name: 'nightly' } } })).policy.name).toBe('nightly');
    const associated = ok(await send({ method: 'POST', url: '/v3/{project_id}/vaults/{vault_id}/associatepolicy', path: { vault_id: v1.id }, body: { policy_id: policy.id } }));
    expect(associated).toMatchObject({ associate_policy: { vault_id: v1.id, policy_id: policy.id } });
    const dissociated = ok(await send({ method: 'POST', url: '/v3/{project_id}/vaults/{vault_id}/dissociatepolicy', path: { vault_id: v1.id }, body: { policy_id: policy.id } }));
    expect(dissociated).toMatchObject({ dissociate_policy: { vault_id: v1.id, policy_id: policy.id } });

    // Restore points, backups, tasks
    const checkpoint = ok(await send({ method: 'POST', url: '/v3/{project_id}/checkpoints', body: { checkpoint: { vault_id: v1.id, parameters: { resources: [d1.id], description: 'compat' } } } })).checkpoint;
    expect(ok(await send({ method: 'GET', url: '/v3/{project_id}/checkpoints/{checkpoint_id}', path: { checkpoint_id: checkpoint.id } })).checkpoint.id).toBe(checkpoint.id);
    const backups = ok(await send({ method: 'GET', url: '/v3/{project_id}/backups', query: { checkpoint_id: checkpoint.id, status: ['available', 'protecting'] } })).backups;
    expect(backups).toHaveLength(1);
    const backup = backups[0];
    expect(ok(await send({ method: 'GET', url: '/v3/{project_id}/backups/{backup_id}', path: { backup_id: backup.id } })).backup).toMatchObject({ id: backup.id, resource_id: d1.id, status: 'available' });
    ok(await send({ method: 'POST', url: '/v3/{project_id}/backups/{backup_id}/restore', path: { backup_id: backup.id }, body: { restore: { volume_id: d1.id } } }), 202);
    const tasks = ok(await send({ method: 'GET', url: '/v3/{project_id}/operation-logs', query: { operation_type: 'backup', vault_id: v1.id } })).operation_logs;
    expect(tasks).toHaveLength(1);
    expect(ok(await send({ method: 'GET', url: '/v3/{project_id}/operation-logs/{operation_log_id}', path: { operation_log_id: tasks[0].id } })).operation_log.status).toBe('success');

    // Sharing a server backup with the second project, which accepts it into a vault of its own
    const server = addServer(emulator, DEMO_PROJECT.id, { name: 's1' });
    const serverVault = ok(await send({ method: 'POST', url: '/v3/{project_id}/vaults', body: { vault: vaultCreate('server', { name: 'vs', resources: [{ id: server.id, type: 'OS::Nova::Server' }] }) } })).vault;
    const serverCheckpoint = ok(await send({ method: 'POST', url: '/v3/{project_id}/checkpoints', body: { checkpoint: { vault_id: serverVault.id } } })).checkpoint;
    const [shared] = ok(await send({ method: 'GET', url: '/v3/{project_id}/backups', query: { checkpoint_id: serverCheckpoint.id, resource_type: 'OS::Nova::Server' } })).backups;
    const members = ok(await send({ method: 'POST', url: '/v3/{project_id}/backups/{backup_id}/members', path: { backup_id: shared.id }, body: { members: [DEMO_PROJECT_2.id] } })).members;
    expect(members).toMatchObject([{ dest_project_id: DEMO_PROJECT_2.id, status: 'pending' }]);
    expect(ok(await send({ method: 'GET', url: '/v3/{project_id}/backups/{backup_id}/members', path: { backup_id: shared.id } })).members).toHaveLength(1);
    const memberPath = { backup_id: shared.id, member_id: DEMO_PROJECT_2.id };
    expect(ok(await send({ method: 'GET', url: '/v3/{project_id}/backups/{backup_id}/members/{member_id}', path: memberPath })).member.status).toBe('pending');
    const target = ok(await send({ method: 'POST', url: '/v3/{project_id}/vaults', body: { vault: vaultCreate('server', { name: 'shared-in' }) } }, 'b')).vault;
    const accepted = ok(await send({ method: 'PUT', url: '/v3/{project_id}/backups/{backup_id}/members/{member_id}', path: memberPath, body: { status: 'accepted', vault_id: target.id } }, 'b'));
    expect(accepted.member).toMatchObject({ status: 'accepted', vault_id: target.id });
    ok(await send({ method: 'DELETE', url: '/v3/{project_id}/backups/{backup_id}/members/{member_id}', path: memberPath }), 204);

    // Moving and removing resources, deleting everything
    expect(ok(await send({ method: 'POST', url: '/v3/{project_id}/vaults/{vault_id}/migrateresources', path: { vault_id: v1.id }, body: { destination_vault_id: v2.id, resource_ids: [d2.id] } })))
      .toMatchObject({ migrated_resources: [d2.id] });
    expect(ok(await send({ method: 'POST', url: '/v3/{project_id}/vaults/{vault_id}/removeresources', path: { vault_id: v2.id }, body: { resource_ids: [d2.id] } }))).toEqual({ remove_resource_ids: [d2.id] });
    ok(await send({ method: 'DELETE', url: '/v3/{project_id}/backups/{backup_id}', path: { backup_id: backup.id } }), 204);
    ok(await send({ method: 'DELETE', url: '/v3/{project_id}/policies/{policy_id}', path: { policy_id: policy.id } }), 204);
    ok(await send({ method: 'DELETE', url: '/v3/{project_id}/vaults/{vault_id}', path: { vault_id: v1.id } }), 204);
    const removal = ok(await send({ method: 'GET', url: '/v3/{project_id}/operation-logs', query: { operation_type: 'remove_resource' } })).operation_logs[0];
    expect(removal.extra_info.resource).toEqual({ id: d2.id, type: 'OS::Cinder::Volume', name: 'd2' });
    const vaultDelete = ok(await send({ method: 'GET', url: '/v3/{project_id}/operation-logs', query: { operation_type: 'vault_delete' } })).operation_logs[0];
    expect(vaultDelete.extra_info.resource).toMatchObject({ id: d1.id, type: 'OS::Cinder::Volume' });
    const missing = await send({ method: 'GET', url: '/v3/{project_id}/vaults/{vault_id}', path: { vault_id: v1.id } });
    expect(missing).toMatchObject({ status: 404, errorCode: 'BackupService.6105' });

    // VBS v2 backup policies
    const vbs = ok(
      await send({
        method: 'POST',
        url: '/v2/{project_id}/backuppolicy',
        body: { backup_policy_name: 'vbs-01', scheduled_policy: { remain_first_backup_of_curMonth: 'Y', rentention_num: 10, frequency: 1, start_time: '12:00', status: 'ON' } },
      }),
    );
    const policyId = vbs.backup_policy_id;
    expect(ok(await send({ method: 'GET', url: '/v2/{project_id}/backuppolicy' })).backup_policies.map((p: { backup_policy_id: string }) => p.backup_policy_id)).toEqual([policyId]);
    ok(await send({ method: 'PUT', url: '/v2/{project_id}/backuppolicy/{policy_id}', path: { policy_id: policyId }, body: { backup_policy_name: 'vbs-02' } }));
    const association = ok(await send({ method: 'POST', url: '/v2/{project_id}/backuppolicyresources', body: { backup_policy_id: policyId, resources: [{ resource_id: d1.id, resource_type: 'volume' }] } }));
    expect(association.success_resources).toMatchObject([{ resource_id: d1.id }]);
    ok(await send({ method: 'POST', url: '/v2/{project_id}/backuppolicy/{policy_id}/action', path: { policy_id: policyId }, body: { action: 'execute' } }), 204);
    expect(ok(await send({ method: 'GET', url: '/v2/{project_id}/backuppolicy/{policy_id}/backuptasks', path: { policy_id: policyId }, query: { limit: 10 } })).tasks.length).toBeGreaterThan(0);
    const dissociation = ok(await send({ method: 'POST', url: '/v2/{project_id}/backuppolicyresources/{policy_id}/deleted_resources', path: { policy_id: policyId }, body: { resources: [{ resource_id: d1.id }] } }));
    expect(dissociation.success_resources).toMatchObject([{ resource_id: d1.id }]);
    ok(await send({ method: 'DELETE', url: '/v2/{project_id}/backuppolicy/{policy_id}', path: { policy_id: policyId } }), 204);
  }

  it('serves every seed operation to the official Huawei SDK core (Access= signatures, IAM project lookup by region)', async () => {
    const sdk = sdkSender(emu.url);
    await seedOperations(sdk);
    expect(sdk.authorizations().filter((a) => !a.startsWith('SDK-HMAC-SHA256 Access=CBREMULATORDEMOAK001,'))).toEqual([]);
    const log = emu.emulator.requestLog.entries();
    // The SDK found the project through IAM, with a signed GET that carries the body `{}`.
    expect(log[0]).toMatchObject({ method: 'GET', url: '/v3/projects?name=eu-de', status: 200 });
    expect(log.filter((entry) => entry.status === 401)).toEqual([]);
  });

  it("serves every seed operation to the SDK's opt-in derived-key signing (V11-HMAC-SHA256)", async () => {
    const sdk = sdkSender(emu.url, 'cbr');
    await seedOperations(sdk);
    expect(sdk.authorizations().length).toBeGreaterThan(30);
    expect(sdk.authorizations().filter((a) => !a.startsWith('V11-HMAC-SHA256 Credential=CBREMULATORDEMOAK001/'))).toEqual([]);
    expect(emu.emulator.requestLog.entries().filter((entry) => entry.status === 401)).toEqual([]);
  });

  it("serves every seed operation to gophertelekomcloud's requests (Credential= signatures, X-Project-Id unsigned)", async () => {
    await seedOperations(gopherSender(emu.url));
    expect(emu.emulator.requestLog.entries().filter((entry) => entry.status === 401)).toEqual([]);
  });

  describe('encodings', () => {
    it("reproduces the reference's computed Credential= vector with the independent gophertelekomcloud signer", () => {
      const headers = gopherSign({
        method: 'GET',
        url: new URL('https://example.com/path?limit=1'),
        headers: { 'X-Sdk-Date': '20060102T150405Z' },
        accessKey: 'AccessKey',
        secretKey: 'SecretKey',
      });
      expect(headers.Authorization).toBe(
        'SDK-HMAC-SHA256 Credential=AccessKey/20060102///sdk_request, SignedHeaders=host;x-sdk-date, Signature=0d71067180c802cadc70a5ff52b75c19bdd1213611a94d6ff85202b3f8382479',
      );
    });

    it('accepts a JSON body sent with a charset in Content-Type', async () => {
      const res = await fetch(`${emu.url}/v3/${DEMO_PROJECT.id}/vaults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=UTF-8', 'x-auth-token': emu.project.token },
        body: JSON.stringify({ vault: vaultCreate('disk', { name: 'charset-é' }) }),
      });
      expect(res.status).toBe(200);
      expect((await res.json()).vault.name).toBe('charset-é');
    });

    it('accepts a signed GET that carries a body, on CBR routes as on IAM routes', async () => {
      for (const path of [`/v3/${DEMO_PROJECT.id}/vaults?id=a&id=b`, '/v3/projects?name=eu-de']) {
        const headers = { 'content-type': 'application/json' };
        const signed = signRequest({ method: 'GET', url: emu.url + path, headers, body: '{}', ...keys });
        const res = await request(emu.url + path, { method: 'GET', headers: { ...headers, ...signed }, body: '{}' });
        expect(res.statusCode, path).toBe(200);
        await res.body.dump();
      }
    });

    it('reads list parameters given as repeated keys or comma-separated, for vaults and backups', async () => {
      const { emulator } = emu;
      const disk = addVolume(emulator, DEMO_PROJECT.id, { name: 'd' });
      const sdk = sdkSender(emu.url);
      const a = (await sdk({ method: 'POST', url: '/v3/{project_id}/vaults', body: { vault: vaultCreate('disk', { name: 'a', resources: [{ id: disk.id, type: 'OS::Cinder::Volume' }] }) } })).body.vault;
      const b = (await sdk({ method: 'POST', url: '/v3/{project_id}/vaults', body: { vault: vaultCreate('disk', { name: 'b' }) } })).body.vault;
      const ids = async (query: Op['query']) =>
        (await sdk({ method: 'GET', url: '/v3/{project_id}/vaults', query })).body.vaults.map((v: { id: string }) => v.id).sort();
      expect(await ids({ id: [a.id, b.id] })).toEqual([a.id, b.id].sort());
      expect(await ids({ id: `${a.id},${b.id}` })).toEqual([a.id, b.id].sort());
      expect(await ids({ id: [b.id] })).toEqual([b.id]);
      await sdk({ method: 'POST', url: '/v3/{project_id}/checkpoints', body: { checkpoint: { vault_id: a.id } } });
      const statuses = async (status: string | string[]) =>
        (await sdk({ method: 'GET', url: '/v3/{project_id}/backups', query: { status } })).body.backups.length;
      expect(await statuses(['available', 'error'])).toBe(1);
      expect(await statuses(['error', 'deleting'])).toBe(0);
    });
  });
});
