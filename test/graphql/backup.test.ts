/**
 * Backups end to end (gateway → REST client → emulator on loopback): the queries with every filter, paging to the
 * end of a list, every Backup edge with its upstream calls, restore and delete with their tasks, and the error paths.
 */
import { describe, expect, it } from 'vitest';
import type { CloudResource } from '../../src/emulator/state';
import { addServer, addTurbo, addVault, addVolume, createCheckpoint, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { expectBadInput } from '../helpers/graphql';
import { useStack, useTestStartTime } from '../helpers/stack';

/** Every field of Backup (the "all fields" query of the type), edges as ids. */
const BACKUP_FIELDS = /* GraphQL */ `
  fragment BackupFields on Backup {
    id
    name
    description
    status
    imageType
    projectId
    providerId
    enterpriseProjectId
    vaultId
    restorePointId
    parentId
    resourceId
    resourceName
    resourceType
    resourceAz
    resourceSizeGb
    incremental
    autoTrigger
    bootable
    snapshotId
    supportsLazyLoading
    supportedRestoreMode
    imageIds
    containsSystemDisk
    encrypted
    systemDisk
    multiAz
    createdAt
    updatedAt
    protectedAt
    expiresAt
    replicationRecords { id }
    vault { id name }
    restorePoint { id status }
    parent { id }
    children { id name parentId resourceType bootable systemDisk resourceSizeGb }
    shareMembers { totalCount }
  }
`;

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;
const testStart = useTestStartTime(stack);

const emulator = () => stack.emu.emulator;

/** A server vault holding `resources`, with room for many backups. */
function vaultWith(resources: CloudResource[], options: { name?: string; objectType?: 'server' | 'disk' | 'turbo' } = {}) {
  return addVault(emulator(), P, { resources, size: 100_000, ...options });
}

/** Backs up the vault over REST (setup, not under test) and returns the top-level backup ids of the restore point. */
async function backupNow(vaultId: string, parameters?: Record<string, unknown>): Promise<{ checkpointId: string; backupIds: string[] }> {
  const checkpoint = await createCheckpoint(stack.emu, P, vaultId, parameters);
  const backupIds = [...emulator().state.project(P).backups.values()]
    .filter((b) => b.checkpoint_id === checkpoint.id && !b.parent_id)
    .map((b) => b.id);
  return { checkpointId: checkpoint.id, backupIds };
}

async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await stack.execute(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data as T;
}

/** The calls since the setup, sorted: concurrent loads may reach the emulator in any order. */
function callsSorted(): string[] {
  return [...stack.calls()].sort();
}

describe('backup(id)', () => {
  it('answers every field of a server backup, its disk backups and its edges', async () => {
    const server = addServer(emulator(), P, { name: 'web-1', az: 'eu-de-02', disks: [{ name: 'sys', sizeGb: 40 }, { name: 'data', sizeGb: 10 }] });
    const vault = vaultWith([server], { name: 'vault-web' });
    const { checkpointId, backupIds } = await backupNow(vault.id, { name: 'nightly', description: 'before upgrade' });
    const [id] = backupIds;
    stack.clearCalls();

    const data = await ok(`query ($id: ID!) { backup(id: $id) { ...BackupFields } } ${BACKUP_FIELDS}`, { id });
    const children = [...emulator().state.project(P).backups.values()].filter((b) => b.parent_id === id);
    expect(data.backup).toEqual({
      id,
      name: 'nightly',
      description: 'before upgrade',
      status: 'AVAILABLE',
      imageType: 'BACKUP',
      projectId: P,
      providerId: '0daac4c5-6707-4851-97ba-169e36266b66',
      enterpriseProjectId: '0',
      vaultId: vault.id,
      restorePointId: checkpointId,
      parentId: null,
      resourceId: server.id,
      resourceName: 'web-1',
      resourceType: 'SERVER',
      resourceAz: 'eu-de-02',
      resourceSizeGb: 50,
      incremental: false,
      autoTrigger: false,
      bootable: null,
      snapshotId: null,
      supportsLazyLoading: true,
      supportedRestoreMode: 'BACKUP',
      imageIds: [],
      containsSystemDisk: true,
      encrypted: false,
      systemDisk: false,
      multiAz: false,
      createdAt: testStart(),
      updatedAt: testStart(),
      protectedAt: testStart(),
      expiresAt: null,
      replicationRecords: [],
      vault: { id: vault.id, name: 'vault-web' },
      restorePoint: { id: checkpointId, status: 'AVAILABLE' },
      parent: null,
      children: [
        { id: children[0]!.id, name: 'nightly_sys', parentId: id, resourceType: 'DISK', bootable: true, systemDisk: true, resourceSizeGb: 40 },
        { id: children[1]!.id, name: 'nightly_data', parentId: id, resourceType: 'DISK', bootable: false, systemDisk: false, resourceSizeGb: 10 },
      ],
      shareMembers: { totalCount: 0 },
    });
    expect(callsSorted()).toEqual([
      `GET /v3/${P}/backups/${id}`,
      `GET /v3/${P}/backups/${id}/members?limit=20`,
      // no `parent_id` list: the GET answered the server backup with its disk backups expanded
      `GET /v3/${P}/checkpoints/${checkpointId}`,
      `GET /v3/${P}/vaults/${vault.id}`,
    ]);
  });

  it('answers a disk backup with its parent, and knows without a call that it has no children', async () => {
    const server = addServer(emulator(), P, { name: 'db-1' });
    const vault = vaultWith([server]);
    const [id] = (await backupNow(vault.id)).backupIds;
    const child = [...emulator().state.project(P).backups.values()].find((b) => b.parent_id === id)!;
    stack.clearCalls();

    const data = await ok(`query ($id: ID!) { backup(id: $id) { id parentId parent { id resourceType } children { id } } }`, { id: child.id });
    expect(data.backup).toEqual({ id: child.id, parentId: id, parent: { id, resourceType: 'SERVER' }, children: [] });
    expect(stack.calls()).toEqual([`GET /v3/${P}/backups/${child.id}`, `GET /v3/${P}/backups/${id}`]);
  });

  it('answers null for a backup that does not exist, after one call', async () => {
    const data = await ok(`{ backup(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(data).toEqual({ backup: null });
    expect(stack.calls()).toEqual([`GET /v3/${P}/backups/00000000-0000-4000-8000-000000000000`]);
  });

  it('reads a resource type this gateway does not know as UNKNOWN instead of failing the query', async () => {
    const volume = addVolume(emulator(), P, { name: 'vol' });
    const vault = vaultWith([volume], { objectType: 'disk' });
    const [id] = (await backupNow(vault.id)).backupIds;
    // A type the Huawei SDK knows but this gateway does not map (the wire schema accepts it).
    emulator().state.project(P).backups.get(id!)!.resource_type = 'OS::Workspace::DesktopV2';

    const res = await stack.execute(`query ($id: ID!) { backup(id: $id) { id resourceType status } }`, { id });
    expect(res).toEqual({ data: { backup: { id, resourceType: 'UNKNOWN', status: 'AVAILABLE' } } });
  });
  it('reads the lazy-loading flag under each of its three spellings in the seed (support_lld, support_llid, support_ll)', async () => {
    const volume = addVolume(emulator(), P, { name: 'vol' });
    const vault = vaultWith([volume], { objectType: 'disk' });
    const ids = [(await backupNow(vault.id)).backupIds[0]!, (await backupNow(vault.id)).backupIds[0]!, (await backupNow(vault.id)).backupIds[0]!];
    const spellings = [{ support_lld: false }, { support_llid: true }, { support_ll: false }];
    ids.forEach((id, i) => {
      const stored = emulator().state.project(P).backups.get(id)!;
      const { support_lld: _, ...rest } = stored.extend_info!;
      stored.extend_info = { ...rest, ...spellings[i] };
    });
    stack.clearCalls();
    const res = await stack.execute(`query ($vaultId: ID!) { backups(filter: { vaultId: $vaultId }) { nodes { id supportsLazyLoading } } }`, { vaultId: vault.id });
    expect(res.errors).toBeUndefined();
    const byId = Object.fromEntries(res.data.backups.nodes.map((n: any) => [n.id, n.supportsLazyLoading]));
    expect(ids.map((id) => byId[id])).toEqual([false, true, false]);
    expect(stack.calls()).toHaveLength(1);
  });

  it('reads a status the upstream adds later as UNKNOWN: one field degrades, the list and the rest of the query succeed', async () => {
    const volume = addVolume(emulator(), P, { name: 'vol' });
    const vault = vaultWith([volume], { objectType: 'disk', name: 'v' });
    const [id] = (await backupNow(vault.id)).backupIds;
    const task = [...emulator().state.project(P).tasks.values()][0]!;
    const stored = emulator().state.project(P).backups.get(id!)! as { status: string; image_type?: string | null };
    stored.status = 'archived';
    stored.image_type = 'archive';
    (task as { status: string }).status = 'paused';

    const res = await stack.execute(`{ backups { nodes { id status imageType } } tasks { nodes { status backup { status } } } vaults { totalCount } }`);
    expect(res).toEqual({
      data: {
        backups: { nodes: [{ id, status: 'UNKNOWN', imageType: 'UNKNOWN' }] },
        tasks: { nodes: [{ status: 'UNKNOWN', backup: { status: 'UNKNOWN' } }] },
        vaults: { totalCount: 1 },
      },
    });
  });
});

describe('backups(filter, orderBy, first, after)', () => {
  it('lists the newest backups first with a Relay page, in one call', async () => {
    const volume = addVolume(emulator(), P, { name: 'vol-a' });
    const vault = vaultWith([volume], { objectType: 'disk' });
    const first = (await backupNow(vault.id, { name: 'first' })).backupIds[0];
    emulator().clock.advance(60_000);
    const second = (await backupNow(vault.id, { name: 'second' })).backupIds[0];
    stack.clearCalls();

    const data = await ok(`{ backups { totalCount edges { cursor node { id name incremental } } nodes { id }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`);
    const cursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
    expect(data.backups).toEqual({
      totalCount: 2,
      edges: [
        { cursor: cursor(0), node: { id: second, name: 'second', incremental: true } },
        { cursor: cursor(1), node: { id: first, name: 'first', incremental: false } },
      ],
      nodes: [{ id: second }, { id: first }],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: cursor(0), endCursor: cursor(1) },
    });
    expect(stack.calls()).toEqual([`GET /v3/${P}/backups?sort=created_at%3Adesc%2Cid%3Adesc&limit=20`]);
  });

  it('pages forwards to the end: 45 backups in pages of 20 cost one call per page', async () => {
    const volume = addVolume(emulator(), P, { name: 'vol-many' });
    const vault = vaultWith([volume], { objectType: 'disk' });
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) {
      ids.push((await backupNow(vault.id, { name: `b-${i}` })).backupIds[0]!);
      emulator().clock.advance(1_000);
    }
    stack.clearCalls();

    const PAGE = `query ($after: String) { backups(first: 20, after: $after) { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const seen: string[] = [];
    const pages: Array<{ size: number; hasNextPage: boolean; hasPreviousPage: boolean }> = [];
    let after: string | null = null;
    do {
      const data: any = await ok(PAGE, { after });
      expect(data.backups.totalCount).toBe(45);
      seen.push(...data.backups.nodes.map((n: { id: string }) => n.id));
      pages.push({ size: data.backups.nodes.length, hasNextPage: data.backups.pageInfo.hasNextPage, hasPreviousPage: data.backups.pageInfo.hasPreviousPage });
      after = data.backups.pageInfo.hasNextPage ? data.backups.pageInfo.endCursor : null;
    } while (after);

    expect(pages).toEqual([
      { size: 20, hasNextPage: true, hasPreviousPage: false },
      { size: 20, hasNextPage: true, hasPreviousPage: true },
      { size: 5, hasNextPage: false, hasPreviousPage: true },
    ]);
    expect(seen).toEqual([...ids].reverse());
    expect(stack.calls()).toEqual([
      `GET /v3/${P}/backups?sort=created_at%3Adesc%2Cid%3Adesc&limit=20`,
      `GET /v3/${P}/backups?sort=created_at%3Adesc%2Cid%3Adesc&limit=20&offset=20`,
      `GET /v3/${P}/backups?sort=created_at%3Adesc%2Cid%3Adesc&limit=20&offset=40`,
    ]);
  });

  it('sends every documented filter as its query parameter, and orderBy as sort', async () => {
    const res = await stack.execute(
      `query ($filter: BackupFilter, $orderBy: [BackupOrder!]) { backups(filter: $filter, orderBy: $orderBy, first: 5) { totalCount } }`,
      {
        filter: {
          restorePointId: 'cp-1',
          dedicatedCloud: false,
          startTime: '2024-02-01T00:00:00Z',
          endTime: '2024-02-02T12:30:00.900+01:00',
          imageType: 'BACKUP',
          incremental: true,
          name: 'nightly',
          resourceAz: 'eu-de-01',
          resourceId: 'res-1',
          resourceName: 'web 1',
          resourceType: 'SERVER',
          status: ['AVAILABLE', 'ERROR'],
          vaultId: 'vault-1',
          ownType: 'ALL_GRANTED',
          memberStatus: 'ACCEPTED',
          parentId: 'parent-1',
          usedPercent: 80,
        },
        orderBy: [{ field: 'NAME', direction: 'ASC' }, { field: 'CREATED_AT' }],
      },
    );
    expect(res).toEqual({ data: { backups: { totalCount: 0 } } });
    expect(stack.calls()).toEqual([
      `GET /v3/${P}/backups?checkpoint_id=cp-1&dec=false&end_time=2024-02-02T11%3A30%3A00Z&image_type=backup&incremental=true` +
        `&member_status=accepted&name=nightly&own_type=all_granted&parent_id=parent-1&resource_az=eu-de-01&resource_id=res-1` +
        `&resource_name=web%201&resource_type=OS%3A%3ANova%3A%3AServer&start_time=2024-02-01T00%3A00%3A00Z` +
        `&status=available&status=error&used_percent=80&vault_id=vault-1&sort=name%3Aasc%2Ccreated_at%3Adesc&limit=5`,
    ]);
  });

  it('filters by status, resource type and restore point with the upstream doing the work', async () => {
    const server = addServer(emulator(), P, { name: 'web' });
    const volume = addVolume(emulator(), P, { name: 'vol' });
    const serverVault = vaultWith([server]);
    const diskVault = vaultWith([volume], { objectType: 'disk' });
    const { checkpointId, backupIds } = await backupNow(serverVault.id);
    const diskBackup = (await backupNow(diskVault.id)).backupIds[0]!;
    emulator().state.project(P).backups.get(diskBackup)!.status = 'error';

    const query = `query ($filter: BackupFilter) { backups(filter: $filter) { totalCount nodes { id } } }`;
    expect((await ok(query, { filter: { status: ['ERROR'] } })).backups).toEqual({ totalCount: 1, nodes: [{ id: diskBackup }] });
    expect((await ok(query, { filter: { resourceType: 'SERVER' } })).backups).toEqual({ totalCount: 1, nodes: [{ id: backupIds[0] }] });
    expect((await ok(query, { filter: { restorePointId: checkpointId } })).backups).toEqual({ totalCount: 1, nodes: [{ id: backupIds[0] }] });
    const disks = (await ok(query, { filter: { parentId: backupIds[0] } })).backups;
    expect(disks.totalCount).toBe(1);
  });

  it.each([
    [{ filter: { usedPercent: 0 } }, 'filter.usedPercent', 'filter.usedPercent: Too small: expected number to be >=1'],
    [{ filter: { status: ['UNKNOWN'] } }, 'filter.status[0]', 'filter.status[0]: UNKNOWN cannot be sent to the upstream'],
    [{ filter: { resourceType: 'UNKNOWN' } }, 'filter.resourceType', 'filter.resourceType: UNKNOWN cannot be sent to the upstream'],
    [{ first: 0 }, 'first', 'first must be between 1 and 1000, got 0'],
    [{ after: 'bm90LWEtY3Vyc29y' }, 'after', 'after is not a cursor of this API; pass an endCursor or an edge cursor you received'],
  ])('rejects %j before any call (BAD_USER_INPUT at %s)', async (variables, field, message) => {
    const res = await stack.execute(
      `query ($filter: BackupFilter, $first: Int, $after: String) { backups(filter: $filter, first: $first, after: $after) { totalCount } }`,
      variables,
    );
    expect(res.data).toEqual({ backups: null });
    expect(res.errors).toEqual([expect.objectContaining({ message, path: ['backups'], extensions: { code: 'BAD_USER_INPUT', field } })]);
    expect(stack.calls()).toEqual([]);
  });
});

describe('graph edges', () => {
  it('Vault.backups: vaultId fixed by the parent; two vaults of a small project share one project page', async () => {
    const a = addVolume(emulator(), P, { name: 'a' });
    const b = addVolume(emulator(), P, { name: 'b' });
    const vaultA = vaultWith([a], { name: 'A', objectType: 'disk' });
    const vaultB = vaultWith([b], { name: 'B', objectType: 'disk' });
    const backupA = (await backupNow(vaultA.id)).backupIds[0];
    const backupB = (await backupNow(vaultB.id)).backupIds[0];
    stack.clearCalls();

    const data = await ok(`query ($a: ID!, $b: ID!) {
      a: vault(id: $a) { name backups(filter: { vaultId: "ignored" }, first: 3) { nodes { id vault { name } } } }
      b: vault(id: $b) { name backups(first: 3) { nodes { id vault { name } } } }
    }`, { a: vaultA.id, b: vaultB.id });
    expect(data).toEqual({
      a: { name: 'A', backups: { nodes: [{ id: backupA, vault: { name: 'A' } }] } },
      b: { name: 'B', backups: { nodes: [{ id: backupB, vault: { name: 'B' } }] } },
    });
    // The two vaults in ONE call (the vault loader batches ids); each backup's vault comes from that cache. That whole
    // vault list counts 2 backups in the project: one project page answers both vaults (loaders/backup-plan.ts).
    expect(callsSorted()).toEqual([
      `GET /v3/${P}/backups?sort=created_at%3Adesc%2Cid%3Adesc&limit=100`,
      `GET /v3/${P}/vaults?limit=1000`,
    ]);
  });

  it('ProtectedResource.backups and latestBackup: one call each per resource', async () => {
    const volume = addVolume(emulator(), P, { name: 'vol' });
    const vault = vaultWith([volume], { objectType: 'disk' });
    const old = (await backupNow(vault.id, { name: 'old' })).backupIds[0];
    emulator().clock.advance(60_000);
    const latest = (await backupNow(vault.id, { name: 'latest' })).backupIds[0];
    stack.clearCalls();

    const data = await ok(`query ($id: ID!) { protectedResource(id: $id) {
      latestBackup { id name }
      backups(first: 5) { totalCount nodes { name } }
      again: latestBackup { id }
    } }`, { id: volume.id });
    expect(data.protectedResource).toEqual({
      latestBackup: { id: latest, name: 'latest' },
      backups: { totalCount: 2, nodes: [{ name: 'latest' }, { name: 'old' }] },
      again: { id: latest },
    });
    expect(old).not.toBe(latest);
    expect(callsSorted()).toEqual([
      `GET /v3/${P}/backups?resource_id=${volume.id}&limit=1&sort=created_at%3Adesc`,
      `GET /v3/${P}/backups?resource_id=${volume.id}&sort=created_at%3Adesc%2Cid%3Adesc&limit=5`,
      `GET /v3/${P}/vaults?resource_ids=${volume.id}&limit=1000`,
    ]);
  });

  it('ProtectedResource.latestBackup is null for a resource never backed up', async () => {
    const volume = addVolume(emulator(), P);
    vaultWith([volume], { objectType: 'disk' });
    const data = await ok(`query ($id: ID!) { protectedResource(id: $id) { id latestBackup { id } } }`, { id: volume.id });
    expect(data).toEqual({ protectedResource: { id: volume.id, latestBackup: null } });
  });

  it('Backup.vault of many backups of one vault costs one vault call', async () => {
    const volumes = [addVolume(emulator(), P, { name: 'v1' }), addVolume(emulator(), P, { name: 'v2' }), addVolume(emulator(), P, { name: 'v3' })];
    const vault = vaultWith(volumes, { objectType: 'disk', name: 'shared-vault' });
    await backupNow(vault.id);
    stack.clearCalls();

    const data = await ok(`{ backups { nodes { vault { name } } } }`);
    expect(data.backups.nodes).toEqual([{ vault: { name: 'shared-vault' } }, { vault: { name: 'shared-vault' } }, { vault: { name: 'shared-vault' } }]);
    expect(stack.calls()).toEqual([`GET /v3/${P}/backups?sort=created_at%3Adesc%2Cid%3Adesc&limit=20`, `GET /v3/${P}/vaults/${vault.id}`]);
  });

  it('Backup.children: one parent_id call per server backup; the listed backups prime Backup.parent', async () => {
    const servers = [addServer(emulator(), P, { name: 's1' }), addServer(emulator(), P, { name: 's2' })];
    const vault = vaultWith(servers);
    const { backupIds } = await backupNow(vault.id);
    stack.clearCalls();

    const data = await ok(`{ backups { nodes { id resourceName children { resourceType parent { id } } } } }`);
    const byName = Object.fromEntries(data.backups.nodes.map((n: any) => [n.resourceName, n]));
    expect(byName).toEqual({
      s1: { id: backupIds[0], resourceName: 's1', children: [{ resourceType: 'DISK', parent: { id: backupIds[0] } }] },
      s2: { id: backupIds[1], resourceName: 's2', children: [{ resourceType: 'DISK', parent: { id: backupIds[1] } }] },
    });
    expect(callsSorted()).toEqual([
      `GET /v3/${P}/backups?sort=created_at%3Adesc%2Cid%3Adesc&limit=20`,
      `GET /v3/${P}/backups?parent_id=${backupIds[0]}`,
      `GET /v3/${P}/backups?parent_id=${backupIds[1]}`,
    ].sort());
  });

  it('Backup.vault is null when the vault is gone', async () => {
    const volume = addVolume(emulator(), P);
    const vault = vaultWith([volume], { objectType: 'disk' });
    const [id] = (await backupNow(vault.id)).backupIds;
    emulator().state.project(P).vaults.delete(vault.id);
    const data = await ok(`query ($id: ID!) { backup(id: $id) { id vault { id } } }`, { id });
    expect(data).toEqual({ backup: { id, vault: null } });
  });
});

describe('restoreBackup', () => {
  const RESTORE = /* GraphQL */ `
    mutation ($input: RestoreBackupInput!) {
      restoreBackup(input: $input) {
        backup { id status }
        task { id operationType status progressPercent restoreDetails { backupId backupName targetResourceId targetResourceName } backup { id } }
      }
    }
  `;

  it('restores a server backup onto its server and answers the task named by job_id', async () => {
    const server = addServer(emulator(), P, { name: 'web-1', disks: [{ name: 'sys', sizeGb: 40 }] });
    const vault = vaultWith([server]);
    const [id] = (await backupNow(vault.id, { name: 'nightly' })).backupIds;
    const child = [...emulator().state.project(P).backups.values()].find((b) => b.parent_id === id)!;
    stack.clearCalls();

    const res = await stack.execute(RESTORE, {
      input: { backupId: id, serverId: server.id, powerOn: true, mappings: [{ backupId: child.id, volumeId: server.disks![0]!.id }] },
    });
    const taskId = [...emulator().state.project(P).tasks.values()].find((t) => t.operation_type === 'restore')!.id;
    expect(res).toEqual({
      data: {
        restoreBackup: {
          backup: { id, status: 'AVAILABLE' },
          task: {
            id: taskId,
            operationType: 'RESTORE',
            status: 'SUCCESS',
            progressPercent: 100,
            restoreDetails: { backupId: id, backupName: 'nightly', targetResourceId: server.id, targetResourceName: 'web-1' },
            backup: { id },
          },
        },
      },
    });
    // The POST first; then the payload's backup and task, read concurrently.
    expect(callsSorted()).toEqual([`GET /v3/${P}/backups/${id}`, `GET /v3/${P}/operation-logs/${taskId}`, `POST /v3/${P}/backups/${id}/restore`]);
    expect(stack.calls()[0]).toBe(`POST /v3/${P}/backups/${id}/restore`);
  });

  it('restores an SFS Turbo backup into a directory of its file system (resourceId, destinationPath)', async () => {
    const turbo = addTurbo(emulator(), P, { name: 'share-1' });
    const vault = vaultWith([turbo], { objectType: 'turbo' });
    const [id] = (await backupNow(vault.id)).backupIds;
    stack.clearCalls();
    const res = await stack.execute(RESTORE, { input: { backupId: id, resourceId: turbo.id, destinationPath: '/restored' } });
    expect(res.errors).toBeUndefined();
    expect(res.data.restoreBackup.task).toMatchObject({ operationType: 'RESTORE', restoreDetails: { backupId: id, targetResourceId: turbo.id, targetResourceName: 'share-1' } });
    expect(stack.calls()[0]).toBe(`POST /v3/${P}/backups/${id}/restore`);

    stack.clearCalls();
    const empty = await stack.execute(RESTORE, { input: { backupId: id, resourceId: turbo.id, destinationPath: '' } });
    expectBadInput(empty, { field: 'input.destinationPath', message: 'input.destinationPath: Too small: expected string to have >=1 characters' });
    const other = await stack.execute(RESTORE, { input: { backupId: id, resourceId: 'x'.repeat(65) } });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.resourceId' });
    expect(stack.calls()).toEqual([]);
  });

  it('rejects an empty mapping id before any call, naming the input path', async () => {
    const res = await stack.execute(RESTORE, { input: { backupId: 'b-1', serverId: 's-1', mappings: [{ backupId: '', volumeId: 'v-1' }] } });
    expectBadInput(res, { field: 'input.mappings[0].backupId', message: 'input.mappings[0].backupId: must be an id: 1–64 letters, digits, "-" or "_"' });
    expect(stack.calls()).toEqual([]);
  });

  it('passes the upstream refusal on with its code: restoring onto another server is BackupService.2003', async () => {
    const server = addServer(emulator(), P, { name: 'web-1' });
    const other = addServer(emulator(), P, { name: 'web-2' });
    const vault = vaultWith([server]);
    const [id] = (await backupNow(vault.id)).backupIds;
    const child = [...emulator().state.project(P).backups.values()].find((b) => b.parent_id === id)!;
    stack.clearCalls();

    const res = await stack.execute(RESTORE, { input: { backupId: id, serverId: other.id, mappings: [{ backupId: child.id, volumeId: other.disks![0]!.id }] } });
    expect(res.data).toEqual({ restoreBackup: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'Restoration to a different server is not allowed.',
        path: ['restoreBackup'],
        extensions: {
          code: 'BAD_USER_INPUT',
          upstream: { status: 400, code: 'BackupService.2003', message: 'Restoration to a different server is not allowed.', requestId: expect.any(String) },
        },
      }),
    ]);
    expect(stack.calls()).toEqual([`POST /v3/${P}/backups/${id}/restore`]);
  });

  it('answers NOT_FOUND for a backup that does not exist', async () => {
    const res = await stack.execute(RESTORE, { input: { backupId: 'nope', volumeId: 'v-1' } });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'The backup does not exist.',
        extensions: expect.objectContaining({ code: 'NOT_FOUND', upstream: expect.objectContaining({ status: 404, code: 'BackupService.6200' }) }),
      }),
    ]);
  });
});

describe('deleteBackup', () => {
  const DELETE = /* GraphQL */ `
    mutation ($input: DeleteBackupInput!) {
      deleteBackup(input: $input) { deletedBackupId task { operationType status deleteDetails { backupId backupName } backup { id } } }
    }
  `;

  it('deletes a backup and finds its delete task; the backup then reads as null', async () => {
    const volume = addVolume(emulator(), P);
    const vault = vaultWith([volume], { objectType: 'disk' });
    const [id] = (await backupNow(vault.id, { name: 'to-delete' })).backupIds;
    stack.clearCalls();

    const res = await stack.execute(DELETE, { input: { backupId: id } });
    expect(res).toEqual({
      data: {
        deleteBackup: {
          deletedBackupId: id,
          task: { operationType: 'DELETE', status: 'SUCCESS', deleteDetails: { backupId: id, backupName: 'to-delete' }, backup: null },
        },
      },
    });
    expect(stack.calls()).toEqual([
      `DELETE /v3/${P}/backups/${id}`,
      `GET /v3/${P}/operation-logs?operation_type=delete`,
      `GET /v3/${P}/backups/${id}`,
    ]);
    expect(await ok(`query ($id: ID!) { backup(id: $id) { id } }`, { id })).toEqual({ backup: null });
  });

  it('refuses to delete a disk backup on its own (BackupService.6201, BAD_USER_INPUT)', async () => {
    const server = addServer(emulator(), P);
    const vault = vaultWith([server]);
    const [id] = (await backupNow(vault.id)).backupIds;
    const child = [...emulator().state.project(P).backups.values()].find((b) => b.parent_id === id)!;

    const res = await stack.execute(DELETE, { input: { backupId: child.id } });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'The backup cannot be deleted: the backup is a disk backup of a server backup',
        path: ['deleteBackup'],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', upstream: expect.objectContaining({ status: 400, code: 'BackupService.6201' }) }),
      }),
    ]);
  });

  it('answers NOT_FOUND for a backup that does not exist, and BAD_USER_INPUT for an empty id without a call', async () => {
    const missing = await stack.execute(DELETE, { input: { backupId: 'nope' } });
    expect(missing.errors?.[0]).toMatchObject({ message: 'The backup does not exist.', extensions: { code: 'NOT_FOUND' } });
    stack.clearCalls();
    const empty = await stack.execute(DELETE, { input: { backupId: ' ' } });
    expect(empty.errors?.[0]).toMatchObject({ message: 'input.backupId: must be an id: 1–64 letters, digits, "-" or "_"', extensions: { code: 'BAD_USER_INPUT', field: 'input.backupId' } });
    expect(stack.calls()).toEqual([]);
  });
});

describe('restoreBackup against the documented answer (202, no body)', () => {
  const documented = useStack({ emulator: { clock: { start: T0, mode: 'frozen' }, restoreAnswer: 'documented' } });

  it('finds the restore task of this backup in one list call, as deleteBackup finds its delete task', async () => {
    const emu = documented.emu.emulator;
    const volume = addVolume(emu, P, { name: 'data-1' });
    const vault = addVault(emu, P, { resources: [volume], objectType: 'disk', size: 1000 });
    const first = await createCheckpoint(documented.emu, P, vault.id, { name: 'first' });
    const second = await createCheckpoint(documented.emu, P, vault.id, { name: 'second' });
    const backupOf = (checkpointId: string) => [...emu.state.project(P).backups.values()].find((b) => b.checkpoint_id === checkpointId)!.id;
    const [older, id] = [backupOf(first.id), backupOf(second.id)];
    const RESTORE = /* GraphQL */ `
      mutation ($input: RestoreBackupInput!) {
        restoreBackup(input: $input) { task { operationType status restoreDetails { backupId backupName } } }
      }
    `;
    // A restore of another backup first: the payload must pick the task of its own backup.
    expect((await documented.execute(RESTORE, { input: { backupId: older, volumeId: volume.id } })).errors).toBeUndefined();
    documented.clearCalls();

    const res = await documented.execute(RESTORE, { input: { backupId: id, volumeId: volume.id } });
    expect(res).toEqual({
      data: { restoreBackup: { task: { operationType: 'RESTORE', status: 'SUCCESS', restoreDetails: { backupId: id, backupName: 'second' } } } },
    });
    expect(documented.calls()).toEqual([`POST /v3/${P}/backups/${id}/restore`, `GET /v3/${P}/operation-logs?operation_type=restore`]);
  });
});
