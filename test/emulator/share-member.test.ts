import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_A, PROJECT_B, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { addServer, addVault, addVolume, backupsOf, createCheckpoint, T0 } from '../helpers/builders';

const A = `/v3/${PROJECT_A}`;
const B = `/v3/${PROJECT_B}`;

function expectError(res: { status: number; body: any }, status: number, code: string, message: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error_code: code, error_msg: message });
}

let emu: TestEmulator;
afterEach(() => emu.close());

/** Project A with an available server backup (two disks) and a disk backup; project B with a server vault and a disk vault. */
async function setup(mode: 'immediate' | 'manual' = 'immediate') {
  emu = await startTestEmulator({ lifecycle: mode, clock: { mode: 'frozen', start: T0 } });
  const server = addServer(emu.emulator, PROJECT_A, { name: 'ecs-shared', disks: [{ bootable: true }, { bootable: false }] });
  const volume = addVolume(emu.emulator, PROJECT_A);
  const sourceVault = addVault(emu.emulator, PROJECT_A, { resources: [server] });
  const diskVault = addVault(emu.emulator, PROJECT_A, { resources: [volume] });
  const serverCheckpoint = await createCheckpoint(emu, PROJECT_A, sourceVault.id, { name: 'shared_bk' });
  const diskCheckpoint = await createCheckpoint(emu, PROJECT_A, diskVault.id);
  if (mode === 'manual') {
    emu.emulator.clock.advance(1000);
    emu.emulator.clock.advance(1000);
  }
  const [backup] = await backupsOf(emu, PROJECT_A, serverCheckpoint.id);
  const [diskBackup] = await backupsOf(emu, PROJECT_A, diskCheckpoint.id);
  const receiverVault = addVault(emu.emulator, PROJECT_B, { name: 'receiver', objectType: 'server' });
  const receiverDiskVault = addVault(emu.emulator, PROJECT_B, { name: 'receiver-disk', objectType: 'disk' });
  const asB = { token: emu.otherProject.token };
  return { server, sourceVault, backup, diskBackup, receiverVault, receiverDiskVault, asB };
}

describe('sharing a backup from project A with project B', () => {
  it('adds a pending member; B lists it as shared, accepts it into a vault, reads it; A sees the member accepted', async () => {
    const { sourceVault, backup, receiverVault, asB } = await setup();
    const added = await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] });
    expect(added.status).toBe(200);
    const pending = {
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'pending',
      backup_id: backup.id,
      dest_project_id: PROJECT_B,
      vault_id: null,
      image_id: null,
      created_at: '2024-03-01T08:00:00.000000',
      updated_at: null,
    };
    expect(added.body).toEqual({ members: [pending], count: 1 });

    // B: nothing of its own, the pending share under own_type=shared
    expect((await emu.call('GET', `${B}/backups`, undefined, asB)).body.backups).toEqual([]);
    const shared = await emu.call('GET', `${B}/backups?own_type=shared`, undefined, asB);
    expect(shared.body.count).toBe(1);
    expect(shared.body.backups[0]).toMatchObject({ id: backup.id, project_id: PROJECT_A, vault_id: sourceVault.id, children: [] });
    expect((await emu.call('GET', `${B}/backups?own_type=shared&member_status=accepted`, undefined, asB)).body.count).toBe(0);
    expect((await emu.call('GET', `${B}/backups?own_type=shared&member_status=pending`, undefined, asB)).body.count).toBe(1);

    emu.emulator.clock.advance(60_000);
    const accepted = await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, { status: 'accepted', vault_id: receiverVault.id }, asB);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({
      member: { ...added.body.members[0], status: 'accepted', vault_id: receiverVault.id, updated_at: '2024-03-01T08:01:00.000000' },
    });

    const seen = (await emu.call('GET', `${B}/backups/${backup.id}`, undefined, asB)).body.backup;
    expect(seen).toMatchObject({ id: backup.id, project_id: PROJECT_A, vault_id: receiverVault.id, name: 'shared_bk' });
    expect(seen.children.map((c: any) => c.vault_id)).toEqual([receiverVault.id, receiverVault.id]);
    expect((await emu.call('GET', `${B}/backups?own_type=shared&member_status=accepted`, undefined, asB)).body.count).toBe(1);
    expect((await emu.call('GET', `${B}/backups?vault_id=${receiverVault.id}&own_type=shared`, undefined, asB)).body.count).toBe(1);

    expect((await emu.call('GET', `${A}/backups/${backup.id}/members/${PROJECT_B}`)).body).toEqual(accepted.body);
    expect((await emu.call('GET', `${B}/backups/${backup.id}/members/${PROJECT_B}`, undefined, asB)).body).toEqual(accepted.body);
    // A's own view of the backup is unchanged
    expect((await emu.call('GET', `${A}/backups/${backup.id}`)).body.backup.vault_id).toBe(sourceVault.id);
    expect((await emu.call('GET', `${A}/backups?member_status=accepted`)).body.backups.map((b: any) => b.id)).toEqual([backup.id]);
  });

  it('lists own and shared backups with own_type=all_granted', async () => {
    const { backup, receiverVault, asB } = await setup();
    const own = addServer(emu.emulator, PROJECT_B, { name: 'ecs-b' });
    const ownVault = addVault(emu.emulator, PROJECT_B, { resources: [own] });
    emu.emulator.clock.advance(60_000);
    await createCheckpoint(emu, PROJECT_B, ownVault.id, { name: 'own_bk' }, asB.token);
    await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] });
    await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, { status: 'accepted', vault_id: receiverVault.id }, asB);
    const names = async (query: string) => (await emu.call('GET', `${B}/backups${query}`, undefined, asB)).body.backups.map((b: any) => b.name);
    expect(await names('?own_type=all_granted')).toEqual(['own_bk', 'shared_bk']);
    expect(await names('?own_type=private')).toEqual(['own_bk']);
    expect(await names('?own_type=shared')).toEqual(['shared_bk']);
  });

  it('rejecting hides the backup from B’s GET; A may share again only after deleting the member (6714)', async () => {
    const { backup, receiverVault, asB } = await setup();
    await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] });
    await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, { status: 'accepted', vault_id: receiverVault.id }, asB);
    const rejected = await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, { status: 'rejected' }, asB);
    expect(rejected.body.member).toMatchObject({ status: 'rejected', vault_id: null });
    expectError(await emu.call('GET', `${B}/backups/${backup.id}`, undefined, asB), 404, 'BackupService.6200', 'The backup does not exist.');
    expect((await emu.call('GET', `${B}/backups?own_type=shared&member_status=rejected`, undefined, asB)).body.count).toBe(1);
    expectError(
      await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] }),
      400,
      'BackupService.6714',
      `A shared backup cannot be shared to the same member again: ${PROJECT_B}`,
    );
    expect((await emu.call('DELETE', `${A}/backups/${backup.id}/members/${PROJECT_B}`)).status).toBe(204);
    expect((await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] })).status).toBe(200);
  });

  it('deleting the member or the backup ends the share for B', async () => {
    const { backup, receiverVault, asB } = await setup();
    await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] });
    await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, { status: 'accepted', vault_id: receiverVault.id }, asB);
    const deleted = await emu.call('DELETE', `${A}/backups/${backup.id}/members/${PROJECT_B}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expectError(await emu.call('GET', `${A}/backups/${backup.id}/members/${PROJECT_B}`), 404, 'BackupService.6705', 'The share member does not exist.');
    expect((await emu.call('GET', `${B}/backups?own_type=shared`, undefined, asB)).body.count).toBe(0);

    await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] });
    expect((await emu.call('DELETE', `${A}/backups/${backup.id}`)).status).toBe(204);
    expect((await emu.call('GET', `${B}/backups?own_type=shared`, undefined, asB)).body.count).toBe(0);
    expect(emu.emulator.state.project(PROJECT_A).shareMembers.size).toBe(0);
  });
});

describe('member list', () => {
  const extra = ['2c3d4e5f60718293a4b5c6d7e8f90a1b', '3d4e5f60718293a4b5c6d7e8f90a1b2c', '4e5f60718293a4b5c6d7e8f90a1b2c3d'];

  async function sharedWithFour() {
    const ctx = await setup();
    extra.forEach((id, i) => emu.emulator.state.addProject(id, `eu-de_${i}`));
    await emu.call('POST', `${A}/backups/${ctx.backup.id}/members`, { members: [PROJECT_B] });
    emu.emulator.clock.advance(1000);
    const more = await emu.call('POST', `${A}/backups/${ctx.backup.id}/members`, { members: extra });
    expect(more.body.count).toBe(4);
    expect(more.body.members.map((m: any) => m.dest_project_id)).toEqual(extra);
    await emu.call('PUT', `${B}/backups/${ctx.backup.id}/members/${PROJECT_B}`, { status: 'accepted', vault_id: ctx.receiverVault.id }, ctx.asB);
    return ctx;
  }
  const dests = (res: { body: any }) => res.body.members.map((m: any) => m.dest_project_id);

  it('lists members newest first with count; the receiver sees only its own membership', async () => {
    const { backup, asB } = await sharedWithFour();
    const res = await emu.call('GET', `${A}/backups/${backup.id}/members`);
    expect(res.status).toBe(200);
    expect(dests(res)).toEqual([...extra, PROJECT_B]);
    expect(res.body.count).toBe(4);
    expect(dests(await emu.call('GET', `${B}/backups/${backup.id}/members`, undefined, asB))).toEqual([PROJECT_B]);
  });

  it.each([
    ['dest_project_id', () => `dest_project_id=${extra[1]}`, [extra[1]]],
    ['status', () => 'status=accepted', [PROJECT_B]],
    ['status pending', () => 'status=pending', extra],
    ['image_id', () => 'image_id=ab12', []],
    ['sort', () => 'sort=dest_project_id:asc', [PROJECT_B, ...extra].sort()],
    ['limit', () => 'limit=2', extra.slice(0, 2)],
    ['offset', () => 'offset=3', [PROJECT_B]],
  ])('filters by %s', async (_label, query, expected) => {
    const { backup } = await sharedWithFour();
    expect(dests(await emu.call('GET', `${A}/backups/${backup.id}/members?${query()}`))).toEqual(expected);
  });

  it('filters by vault_id and pages with marker', async () => {
    const { backup, receiverVault } = await sharedWithFour();
    expect(dests(await emu.call('GET', `${A}/backups/${backup.id}/members?vault_id=${receiverVault.id}`))).toEqual([PROJECT_B]);
    const first = await emu.call('GET', `${A}/backups/${backup.id}/members?limit=2`);
    const next = await emu.call('GET', `${A}/backups/${backup.id}/members?limit=2&marker=${first.body.members[1].id}`);
    expect(dests(next)).toEqual([extra[2], PROJECT_B]);
    expect(next.body.count).toBe(4);
  });

  it.each([
    ['limit=0', 'limit must be at least 1'],
    ['marker=abc', 'marker Invalid GUID'],
    ['vault_id=abc', 'vault_id Invalid GUID'],
    ['status=maybe', 'status must be one of "pending", "accepted", "rejected"'],
    ['sort=name', 'sort must be <key>[:asc|desc],… with keys created_at, updated_at, status, dest_project_id, vault_id, id'],
  ])('answers 9900 for %s', async (query, detail) => {
    const { backup } = await setup();
    expectError(await emu.call('GET', `${A}/backups/${backup.id}/members?${query}`), 400, 'BackupService.9900', `Parameter verification failed: ${detail}`);
  });
});

describe('sharing errors', () => {
  it('shares only server backups (6700), not their disk backups either', async () => {
    const { backup, diskBackup } = await setup();
    const child = (await emu.call('GET', `${A}/backups/${backup.id}`)).body.backup.children[0];
    for (const id of [diskBackup.id, child.id]) {
      expectError(await emu.call('POST', `${A}/backups/${id}/members`, { members: [PROJECT_B] }), 400, 'BackupService.6700', 'Only cloud server backups can be shared.');
    }
  });

  it('shares only available backups (6702)', async () => {
    emu = await startTestEmulator({ lifecycle: 'manual' });
    const vault = addVault(emu.emulator, PROJECT_A, { resources: [addServer(emu.emulator, PROJECT_A)] });
    const [backup] = await backupsOf(emu, PROJECT_A, (await createCheckpoint(emu, PROJECT_A, vault.id)).id);
    expectError(
      await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] }),
      400,
      'BackupService.6702',
      'Only backups in the Available status can be shared.',
    );
  });

  it('shares only from an available vault (6712)', async () => {
    const { backup, sourceVault } = await setup();
    (emu.emulator.state.project(PROJECT_A).vaults.get(sourceVault.id)!.billing as { status: string }).status = 'frozen';
    expectError(
      await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] }),
      400,
      'BackupService.6712',
      'Backup sharing is not allowed in the current vault status.',
    );
  });

  it('answers 6704 for an unknown project and for the own project', async () => {
    const { backup } = await setup();
    for (const id of ['075e6035d300d48c2fd0c00b78b71ebf', PROJECT_A]) {
      expectError(
        await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [id] }),
        400,
        'BackupService.6704',
        `Invalid project ID of the tenant for sharing: ${id}`,
      );
    }
  });

  it('answers 6703 for a member that already has the backup', async () => {
    const { backup } = await setup();
    await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] });
    expectError(
      await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] }),
      400,
      'BackupService.6703',
      `The backup has been shared: ${PROJECT_B}`,
    );
  });

  it('answers 6200 for a backup that is not the project’s own', async () => {
    const { backup, asB } = await setup();
    expectError(
      await emu.call('POST', `${B}/backups/${backup.id}/members`, { members: [PROJECT_A] }, asB),
      404,
      'BackupService.6200',
      'The backup does not exist.',
    );
    expectError(await emu.call('GET', `${B}/backups/${backup.id}/members`, undefined, asB), 404, 'BackupService.6200', 'The backup does not exist.');
  });

  it('refuses the receiver deleting a shared backup it can read (6201), pending or accepted, and keeps the backup and the share', async () => {
    const { backup, receiverVault, asB } = await setup();
    await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] });
    const refused = 'The backup cannot be deleted: the backup is shared with this project; reject the share instead';
    expectError(await emu.call('DELETE', `${B}/backups/${backup.id}`, undefined, asB), 400, 'BackupService.6201', refused);
    await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, { status: 'accepted', vault_id: receiverVault.id }, asB);
    expect((await emu.call('GET', `${B}/backups/${backup.id}`, undefined, asB)).status).toBe(200);
    expectError(await emu.call('DELETE', `${B}/backups/${backup.id}`, undefined, asB), 400, 'BackupService.6201', refused);
    const child = (await emu.call('GET', `${B}/backups/${backup.id}`, undefined, asB)).body.backup.children[0];
    expectError(await emu.call('DELETE', `${B}/backups/${child.id}`, undefined, asB), 400, 'BackupService.6201', refused);

    expect((await emu.call('GET', `${A}/backups/${backup.id}`)).body.backup.status).toBe('available');
    expect((await emu.call('GET', `${A}/backups/${backup.id}/members/${PROJECT_B}`)).body.member.status).toBe('accepted');
    expect((await emu.call('GET', `${B}/operation-logs?operation_type=delete`, undefined, asB)).body.count).toBe(0);
  });

  it('refuses the receiver sharing a shared backup on (6707), pending or accepted, and adds no member', async () => {
    const { backup, receiverVault, asB } = await setup();
    const third = '2c3d4e5f60718293a4b5c6d7e8f90a1b';
    emu.emulator.state.addProject(third, 'eu-de_third');
    await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] });
    const reshare = () => emu.call('POST', `${B}/backups/${backup.id}/members`, { members: [third] }, asB);
    const refused = 'Backup sharing is not allowed: the backup is shared with this project by its owner';
    expectError(await reshare(), 400, 'BackupService.6707', refused);
    await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, { status: 'accepted', vault_id: receiverVault.id }, asB);
    expectError(await reshare(), 400, 'BackupService.6707', refused);
    expect((await emu.call('GET', `${A}/backups/${backup.id}/members`)).body.count).toBe(1);
  });

  it('answers 6200 to a receiver that rejected the share, on delete and share alike (it can no longer read the backup)', async () => {
    const { backup, receiverVault, asB } = await setup();
    await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] });
    await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, { status: 'accepted', vault_id: receiverVault.id }, asB);
    await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, { status: 'rejected' }, asB);
    expectError(await emu.call('DELETE', `${B}/backups/${backup.id}`, undefined, asB), 404, 'BackupService.6200', 'The backup does not exist.');
    expectError(
      await emu.call('POST', `${B}/backups/${backup.id}/members`, { members: [PROJECT_A] }, asB),
      404,
      'BackupService.6200',
      'The backup does not exist.',
    );
  });

  it('needs a vault_id to accept (6706), of the receiver (6105), for server backups (6713)', async () => {
    const { backup, receiverDiskVault, sourceVault, asB } = await setup();
    await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] });
    const put = (body: unknown) => emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, body, asB);
    expectError(
      await put({ status: 'accepted' }),
      400,
      'BackupService.6706',
      'Invalid update parameter value for the share member: vault_id is mandatory when accepting',
    );
    expectError(await put({ status: 'accepted', vault_id: sourceVault.id }), 404, 'BackupService.6105', 'The vault does not exist.');
    expectError(
      await put({ status: 'accepted', vault_id: receiverDiskVault.id }),
      400,
      'BackupService.6713',
      'The type of the vault accepting the shared backup and the backup resource type are different.',
    );
  });

  it('lets only the receiver update its status, along the declared moves (6708, 6705)', async () => {
    const { backup, receiverVault, asB } = await setup();
    await emu.call('POST', `${A}/backups/${backup.id}/members`, { members: [PROJECT_B] });
    expectError(
      await emu.call('PUT', `${A}/backups/${backup.id}/members/${PROJECT_B}`, { status: 'accepted', vault_id: receiverVault.id }),
      400,
      'BackupService.6708',
      'Failed to update the status of a share member: only the receiving project can update its status',
    );
    expectError(
      await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_A}`, { status: 'rejected' }, asB),
      404,
      'BackupService.6705',
      'The share member does not exist.',
    );
    expectError(
      await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, { status: 'pending' }, asB),
      400,
      'BackupService.6708',
      'Failed to update the status of a share member: the member is already pending',
    );
  });

  it('answers 6705 for an unknown member on get and delete', async () => {
    const { backup } = await setup();
    expectError(await emu.call('GET', `${A}/backups/${backup.id}/members/${PROJECT_B}`), 404, 'BackupService.6705', 'The share member does not exist.');
    expectError(await emu.call('DELETE', `${A}/backups/${backup.id}/members/${PROJECT_B}`), 404, 'BackupService.6705', 'The share member does not exist.');
  });

  it.each([
    ['POST', undefined, 'body is mandatory'],
    ['POST', { members: [] }, 'members must contain at least 1 items'],
    ['POST', { members: Array.from({ length: 11 }, (_, i) => `p${i}`) }, 'members must contain at most 10 items'],
    ['POST', { members: [PROJECT_B], domains: [] }, 'invalid key domains'],
    ['PUT', { status: 'maybe' }, 'status must be one of "pending", "accepted", "rejected"'],
    ['PUT', { status: 'accepted', vault_id: 'not-a-uuid' }, 'vault_id Invalid GUID'],
    ['PUT', { status: 'rejected', member: { status: 'rejected' } }, 'invalid key member'], // the body is unwrapped
  ])('answers 9900 for %s %j', async (method, body, detail) => {
    const { backup, asB } = await setup();
    const res =
      method === 'POST'
        ? await emu.call('POST', `${A}/backups/${backup.id}/members`, body)
        : await emu.call('PUT', `${B}/backups/${backup.id}/members/${PROJECT_B}`, body, asB);
    expectError(res, 400, 'BackupService.9900', `Parameter verification failed: ${detail}`);
  });
});
