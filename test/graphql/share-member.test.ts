/**
 * Backup sharing end to end, with two projects: the owner shares a server backup, the receiver accepts it into one of
 * its vaults (or rejects it), the owner lists and revokes members. Every query, mutation, edge and error path.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addServer, addVault, addVolume, createCheckpoint, T0 } from '../helpers/builders';
import { PROJECT_A, PROJECT_B } from '../helpers/emulator';
import { useStack, useTestStartTime, type ExecuteOptions } from '../helpers/stack';

/** Every field of ShareMember (the "all fields" query), edges as ids. */
const MEMBER_FIELDS = /* GraphQL */ `
  fragment MemberFields on ShareMember {
    id
    backupId
    destinationProjectId
    status
    imageId
    vaultId
    createdAt
    updatedAt
    backup { id }
    vault { id }
  }
`;

const ADD = /* GraphQL */ `
  mutation ($input: AddShareMembersInput!) { addShareMembers(input: $input) { members { ...MemberFields } } }
  ${MEMBER_FIELDS}
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateShareMemberStatusInput!) { updateShareMemberStatus(input: $input) { member { ...MemberFields } } }
  ${MEMBER_FIELDS}
`;
const DELETE = /* GraphQL */ `
  mutation ($input: DeleteShareMemberInput!) { deleteShareMember(input: $input) { backupId deletedMemberId backup { id } } }
`;

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;
const Q: string = PROJECT_B;
const testStart = useTestStartTime(stack);
/** The receiving project's credentials. */
let asReceiver: ExecuteOptions;
beforeAll(() => {
  asReceiver = { token: stack.emu.otherProject.token, projectId: Q };
});

/** A server backup of the owner project, and a server vault of the receiver to accept it into. */
async function sharedSetup() {
  const server = addServer(stack.emu.emulator, P, { name: 'web-1' });
  const vault = addVault(stack.emu.emulator, P, { resources: [server], size: 10_000, name: 'owner-vault' });
  await createCheckpoint(stack.emu, P, vault.id, { name: 'golden' });
  const backupId = [...stack.emu.emulator.state.project(P).backups.values()].find((b) => !b.parent_id)!.id;
  const receiverVault = addVault(stack.emu.emulator, Q, { objectType: 'server', size: 1_000, name: 'receiver-vault' });
  stack.clearCalls();
  return { backupId, vaultId: vault.id, receiverVaultId: receiverVault.id };
}

async function share(backupId: string, projectIds = [Q]) {
  const res = await stack.execute(ADD, { input: { backupId, projectIds } });
  expect(res.errors).toBeUndefined();
  stack.clearCalls();
  return res.data.addShareMembers.members as Array<{ id: string }>;
}

describe('addShareMembers', () => {
  it('shares a backup and answers every field of the pending member', async () => {
    const { backupId } = await sharedSetup();
    const res = await stack.execute(ADD, { input: { backupId, projectIds: [Q] } });
    const member = stack.emu.emulator.state.project(P).shareMembers.get(backupId)!.get(Q)!;
    expect(res).toEqual({
      data: {
        addShareMembers: {
          members: [
            {
              id: member.id,
              backupId,
              destinationProjectId: Q,
              status: 'PENDING',
              imageId: null,
              vaultId: null,
              createdAt: testStart(),
              updatedAt: null,
              backup: { id: backupId },
              vault: null,
            },
          ],
        },
      },
    });
    expect(stack.calls()).toEqual([`POST /v3/${P}/backups/${backupId}/members`, `GET /v3/${P}/backups/${backupId}`]);
  });

  it.each([
    [{ projectIds: [] }, 'input.projectIds', 'input.projectIds: Too small: expected array to have >=1 items'],
    [{ projectIds: Array.from({ length: 11 }, (_, i) => `p${i}`) }, 'input.projectIds', 'input.projectIds: Too big: expected array to have <=10 items'],
    [{ projectIds: [''] }, 'input.projectIds[0]', 'input.projectIds[0]: must be an id: 1–64 letters, digits, "-" or "_"'],
    [{ backupId: '' }, 'input.backupId', 'input.backupId: must be an id: 1–64 letters, digits, "-" or "_"'],
  ])('rejects %j before any call (BAD_USER_INPUT at %s)', async (input, field, message) => {
    const res = await stack.execute(ADD, { input: { backupId: 'b-1', projectIds: ['p'], ...input } });
    expect(res.data).toEqual({ addShareMembers: null });
    expect(res.errors).toEqual([expect.objectContaining({ message, path: ['addShareMembers'], extensions: { code: 'BAD_USER_INPUT', field } })]);
    expect(stack.calls()).toEqual([]);
  });

  it('passes on 6704 for a project that cannot receive the share', async () => {
    const { backupId } = await sharedSetup();
    const res = await stack.execute(ADD, { input: { backupId, projectIds: ['no-such-project'] } });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'Invalid project ID of the tenant for sharing: no-such-project',
        path: ['addShareMembers'],
        extensions: {
          code: 'BAD_USER_INPUT',
          upstream: { status: 400, code: 'BackupService.6704', message: 'Invalid project ID of the tenant for sharing: no-such-project', requestId: expect.any(String) },
        },
      }),
    ]);
  });

  it('passes on 6702 for a backup that is not available, and 6700 for a disk backup', async () => {
    const { backupId } = await sharedSetup();
    stack.emu.emulator.state.project(P).backups.get(backupId)!.status = 'error';
    const notAvailable = await stack.execute(ADD, { input: { backupId, projectIds: [Q] } });
    expect(notAvailable.errors?.[0]).toMatchObject({
      message: 'Only backups in the Available status can be shared.',
      extensions: { code: 'BAD_USER_INPUT', upstream: { status: 400, code: 'BackupService.6702' } },
    });

    const volume = addVolume(stack.emu.emulator, P);
    const diskVault = addVault(stack.emu.emulator, P, { resources: [volume], size: 1_000, objectType: 'disk' });
    await createCheckpoint(stack.emu, P, diskVault.id);
    const diskBackup = [...stack.emu.emulator.state.project(P).backups.values()].find((b) => b.resource_id === volume.id)!.id;
    const disk = await stack.execute(ADD, { input: { backupId: diskBackup, projectIds: [Q] } });
    expect(disk.errors?.[0]).toMatchObject({
      message: 'Only cloud server backups can be shared.',
      extensions: { code: 'BAD_USER_INPUT', upstream: { status: 400, code: 'BackupService.6700' } },
    });
  });
});

describe('shareMembers / shareMember / Backup.shareMembers', () => {
  it('lists the members of a backup: shareMembers and Backup.shareMembers with the same arguments share one call', async () => {
    const { backupId } = await sharedSetup();
    const [member] = await share(backupId);
    const res = await stack.execute(
      `query ($b: ID!) {
        shareMembers(backupId: $b) { totalCount nodes { id status } pageInfo { hasNextPage } }
        backup(id: $b) { shareMembers(first: 20) { totalCount nodes { destinationProjectId } } }
      }`,
      { b: backupId },
    );
    expect(res).toEqual({
      data: {
        shareMembers: { totalCount: 1, nodes: [{ id: member!.id, status: 'PENDING' }], pageInfo: { hasNextPage: false } },
        backup: { shareMembers: { totalCount: 1, nodes: [{ destinationProjectId: Q }] } },
      },
    });
    // Both lists ask the same question: ONE call.
    expect([...stack.calls()].sort()).toEqual([`GET /v3/${P}/backups/${backupId}`, `GET /v3/${P}/backups/${backupId}/members?limit=20`]);
  });

  it('sends every documented filter as its query parameter', async () => {
    const { backupId } = await sharedSetup();
    await share(backupId);
    const filter = { destinationProjectId: Q, imageId: 'img-1', status: 'PENDING', vaultId: '4b27c05b-8ad7-48c6-a886-526666c035f0' };
    const res = await stack.execute(`query ($b: ID!, $f: ShareMemberFilter) { shareMembers(backupId: $b, filter: $f, first: 5) { totalCount } }`, { b: backupId, f: filter });
    expect(res).toEqual({ data: { shareMembers: { totalCount: 0 } } });
    expect(stack.calls()).toEqual([
      `GET /v3/${P}/backups/${backupId}/members?dest_project_id=${Q}&image_id=img-1&status=pending&vault_id=4b27c05b-8ad7-48c6-a886-526666c035f0&limit=5`,
    ]);
  });

  it('pages through members: 3 members in pages of 2', async () => {
    const { backupId } = await sharedSetup();
    const extra = ['2c3d4e5f60718293a4b5c6d7e8f90a1b', '3d4e5f60718293a4b5c6d7e8f90a1b2c'];
    for (const id of extra) stack.emu.emulator.state.addProject(id, id);
    await share(backupId, [Q, ...extra]);
    const PAGE = `query ($b: ID!, $after: String) { shareMembers(backupId: $b, first: 2, after: $after) { totalCount nodes { destinationProjectId } pageInfo { hasNextPage endCursor } } }`;
    const first = await stack.execute(PAGE, { b: backupId, after: null });
    const second = await stack.execute(PAGE, { b: backupId, after: first.data.shareMembers.pageInfo.endCursor });
    expect(first.data.shareMembers.nodes).toHaveLength(2);
    expect(first.data.shareMembers.pageInfo.hasNextPage).toBe(true);
    expect(second.data.shareMembers.nodes).toHaveLength(1);
    expect(second.data.shareMembers.pageInfo.hasNextPage).toBe(false);
    const seen = [...first.data.shareMembers.nodes, ...second.data.shareMembers.nodes].map((n: any) => n.destinationProjectId);
    expect([...seen].sort()).toEqual([Q, ...extra].sort());
    expect(stack.calls()).toEqual([`GET /v3/${P}/backups/${backupId}/members?limit=2`, `GET /v3/${P}/backups/${backupId}/members?limit=2&offset=2`]);
  });

  it('orders members by destination project either way with orderBy, sent as sort', async () => {
    const { backupId } = await sharedSetup();
    const extra = ['2c3d4e5f60718293a4b5c6d7e8f90a1b', '3d4e5f60718293a4b5c6d7e8f90a1b2c'];
    for (const id of extra) stack.emu.emulator.state.addProject(id, id);
    await share(backupId, [Q, ...extra]);
    const LIST = `query ($b: ID!, $o: [ShareMemberOrder!]) { shareMembers(backupId: $b, orderBy: $o) { nodes { destinationProjectId } } }`;
    const asc = await stack.execute(LIST, { b: backupId, o: [{ field: 'DESTINATION_PROJECT_ID', direction: 'ASC' }] });
    const desc = await stack.execute(LIST, { b: backupId, o: [{ field: 'DESTINATION_PROJECT_ID' }, { field: 'ID', direction: 'ASC' }] });
    const sorted = [Q, ...extra].sort();
    expect(asc.data.shareMembers.nodes.map((n: any) => n.destinationProjectId)).toEqual(sorted);
    expect(desc.data.shareMembers.nodes.map((n: any) => n.destinationProjectId)).toEqual([...sorted].reverse());
    expect(stack.calls()).toEqual([
      `GET /v3/${P}/backups/${backupId}/members?sort=dest_project_id%3Aasc&limit=20`,
      `GET /v3/${P}/backups/${backupId}/members?sort=dest_project_id%3Adesc%2Cid%3Aasc&limit=20`,
    ]);
  });

  it('shareMembers of a backup that does not exist is null, like a lookup by id', async () => {
    const res = await stack.execute(`{ shareMembers(backupId: "00000000-0000-4000-a000-000000000000") { totalCount } }`);
    expect(res).toEqual({ data: { shareMembers: null } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/backups/00000000-0000-4000-a000-000000000000/members?limit=20`]);
  });

  it('shareMember answers the member, and null for an unknown member or backup', async () => {
    const { backupId } = await sharedSetup();
    const [member] = await share(backupId);
    const res = await stack.execute(`query ($b: ID!, $q: ID!) {
      found: shareMember(backupId: $b, memberId: $q) { id status }
      noMember: shareMember(backupId: $b, memberId: "ffffffffffffffffffffffffffffffff") { id }
      noBackup: shareMember(backupId: "nope", memberId: $q) { id }
    }`, { b: backupId, q: Q });
    expect(res).toEqual({ data: { found: { id: member!.id, status: 'PENDING' }, noMember: null, noBackup: null } });
    expect([...stack.calls()].sort()).toEqual([
      `GET /v3/${P}/backups/${backupId}/members/${Q}`,
      `GET /v3/${P}/backups/${backupId}/members/ffffffffffffffffffffffffffffffff`,
      `GET /v3/${P}/backups/nope/members/${Q}`,
    ]);
  });
});

describe('updateShareMemberStatus', () => {
  it('lets the receiver accept the share into its vault; it then reads the backup from that vault', async () => {
    const { backupId, receiverVaultId } = await sharedSetup();
    const [member] = await share(backupId);
    const res = await stack.execute(UPDATE, { input: { backupId, memberId: Q, status: 'ACCEPTED', vaultId: receiverVaultId } }, asReceiver);
    expect(res).toEqual({
      data: {
        updateShareMemberStatus: {
          member: {
            id: member!.id,
            backupId,
            destinationProjectId: Q,
            status: 'ACCEPTED',
            imageId: null,
            vaultId: receiverVaultId,
            createdAt: testStart(),
            updatedAt: testStart(),
            backup: { id: backupId },
            vault: { id: receiverVaultId },
          },
        },
      },
    });
    expect([...stack.calls()].sort()).toEqual([
      `GET /v3/${Q}/backups/${backupId}`,
      `GET /v3/${Q}/vaults/${receiverVaultId}`,
      `PUT /v3/${Q}/backups/${backupId}/members/${Q}`,
    ]);

    const seen = await stack.execute(`{ backups(filter: { ownType: SHARED, memberStatus: ACCEPTED }) { nodes { id projectId vaultId vault { name } } } }`, undefined, asReceiver);
    expect(seen).toEqual({ data: { backups: { nodes: [{ id: backupId, projectId: P, vaultId: receiverVaultId, vault: { name: 'receiver-vault' } }] } } });
  });

  it('lets the receiver reject the share without a vault', async () => {
    const { backupId } = await sharedSetup();
    await share(backupId);
    const res = await stack.execute(UPDATE, { input: { backupId, memberId: Q, status: 'REJECTED' } }, asReceiver);
    expect(res.errors).toBeUndefined();
    expect(res.data.updateShareMemberStatus.member).toMatchObject({ status: 'REJECTED', vaultId: null, vault: null });
  });

  it.each([
    [{ status: 'ACCEPTED' }, 'input.vaultId', 'input.vaultId: a vault to store the backup in is required when accepting'],
    [{ status: 'ACCEPTED', vaultId: 'not-a-uuid' }, 'input.vaultId', 'input.vaultId: Invalid GUID'],
    [{ status: 'UNKNOWN' }, 'input.status', 'input.status: UNKNOWN cannot be sent to the upstream'],
    [{ status: 'REJECTED', memberId: '' }, 'input.memberId', 'input.memberId: must be an id: 1–64 letters, digits, "-" or "_"'],
  ])('rejects %j before any call (BAD_USER_INPUT at %s)', async (input, field, message) => {
    const res = await stack.execute(UPDATE, { input: { backupId: 'b-1', memberId: Q, ...input } }, asReceiver);
    expect(res.data).toEqual({ updateShareMemberStatus: null });
    expect(res.errors).toEqual([expect.objectContaining({ message, path: ['updateShareMemberStatus'], extensions: { code: 'BAD_USER_INPUT', field } })]);
    expect(stack.calls()).toEqual([]);
  });

  it('passes on 6708 for a move the service does not allow (back to pending)', async () => {
    const { backupId } = await sharedSetup();
    await share(backupId);
    await stack.execute(UPDATE, { input: { backupId, memberId: Q, status: 'REJECTED' } }, asReceiver);
    const res = await stack.execute(UPDATE, { input: { backupId, memberId: Q, status: 'PENDING' } }, asReceiver);
    expect(res.errors?.[0]).toMatchObject({
      message: 'Failed to update the status of a share member: the member is already rejected',
      extensions: { code: 'BAD_USER_INPUT', upstream: { status: 400, code: 'BackupService.6708' } },
    });
  });
});

describe('deleteShareMember', () => {
  it('revokes a share; the member then reads as null', async () => {
    const { backupId } = await sharedSetup();
    await share(backupId);
    const res = await stack.execute(DELETE, { input: { backupId, memberId: Q } });
    expect(res).toEqual({ data: { deleteShareMember: { backupId, deletedMemberId: Q, backup: { id: backupId } } } });
    expect(stack.calls()).toEqual([`DELETE /v3/${P}/backups/${backupId}/members/${Q}`, `GET /v3/${P}/backups/${backupId}`]);
    const after = await stack.execute(`query ($b: ID!, $q: ID!) { shareMember(backupId: $b, memberId: $q) { id } }`, { b: backupId, q: Q });
    expect(after).toEqual({ data: { shareMember: null } });
  });

  it('answers NOT_FOUND (6705) for a member that does not exist', async () => {
    const { backupId } = await sharedSetup();
    const res = await stack.execute(DELETE, { input: { backupId, memberId: Q } });
    expect(res.data).toEqual({ deleteShareMember: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'The share member does not exist.',
        path: ['deleteShareMember'],
        extensions: { code: 'NOT_FOUND', upstream: { status: 404, code: 'BackupService.6705', message: 'The share member does not exist.', requestId: expect.any(String) } },
      }),
    ]);
  });
});
