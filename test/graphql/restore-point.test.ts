/**
 * Restore points end to end: the lookup with every field, "back up now" with its backups and tasks (also followed
 * step by step on a manual clock until the task succeeds), the restore-point edges, validation and upstream errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudResource } from '../../src/emulator/state';
import { addServer, addVault, addVolume, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { startStack, useStack, useTestStartTime, type Stack } from '../helpers/stack';

/** Every field of RestorePoint and its nested types (the "all fields" query), edges as ids. */
const RESTORE_POINT_FIELDS = /* GraphQL */ `
  fragment RestorePointFields on RestorePoint {
    id
    projectId
    status
    createdAt
    name
    description
    retentionDurationDays
    vaultName
    vaultId
    resources { id name type protectStatus resourceSizeGb backupSizeGb backupCount extraInfoJson excludedVolumeIds }
    skippedResources { id name type code reason }
    vault { id }
    backups { id }
  }
`;

const CREATE = /* GraphQL */ `
  mutation ($input: CreateRestorePointInput!) {
    createRestorePoint(input: $input) {
      restorePoint { ...RestorePointFields }
      backups { id name status resourceId restorePoint { id } }
      tasks { id status progressPercent restorePointId backupDetails { backupName } resource { id } }
      task { id }
    }
  }
  ${RESTORE_POINT_FIELDS}
`;

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;
const testStart = useTestStartTime(stack);

const vaultWith = (resources: CloudResource[], options: Parameters<typeof addVault>[2] = {}) =>
  addVault(stack.emu.emulator, P, { resources, size: 10_000, ...options });

function stored() {
  return stack.emu.emulator.state.project(P);
}

describe('createRestorePoint', () => {
  it('backs up the vault and answers the restore point, its backups and one task per resource', async () => {
    const a = addVolume(stack.emu.emulator, P, { name: 'vol-a', sizeGb: 20 });
    const b = addVolume(stack.emu.emulator, P, { name: 'vol-b', sizeGb: 30 });
    const vault = vaultWith([a, b], { name: 'vault-disks', objectType: 'disk' });

    const res = await stack.execute(CREATE, { input: { vaultId: vault.id, name: 'nightly', description: 'before upgrade' } });
    expect(res.errors).toBeUndefined();
    const cp = [...stored().restorePoints.values()][0]!;
    const backups = [...stored().backups.values()];
    const tasks = [...stored().tasks.values()];
    const backupOf = (resourceId: string) => backups.find((x) => x.resource_id === resourceId)!;
    const taskOf = (resourceId: string) => tasks.find((t) => t.extra_info?.resource?.id === resourceId)!;
    const resource = (r: CloudResource) => ({
      id: r.id,
      name: r.name,
      type: 'DISK',
      protectStatus: 'PROTECTING',
      resourceSizeGb: r.sizeGb,
      backupSizeGb: 0,
      backupCount: 0,
      extraInfoJson: '{}',
      excludedVolumeIds: [],
    });
    expect(res.data.createRestorePoint).toEqual({
      // As the POST answered it: still protecting (the work finished at once in `immediate` mode, after the answer).
      restorePoint: {
        id: cp.id,
        projectId: P,
        status: 'PROTECTING',
        createdAt: testStart(),
        name: 'nightly',
        description: 'before upgrade',
        retentionDurationDays: -1,
        vaultName: 'vault-disks',
        vaultId: vault.id,
        resources: [resource(a), resource(b)],
        skippedResources: [],
        vault: { id: vault.id },
        backups: expect.any(Array),
      },
      backups: expect.arrayContaining([
        { id: backupOf(a.id).id, name: 'nightly', status: 'AVAILABLE', resourceId: a.id, restorePoint: { id: cp.id } },
        { id: backupOf(b.id).id, name: 'nightly', status: 'AVAILABLE', resourceId: b.id, restorePoint: { id: cp.id } },
      ]),
      tasks: [
        { id: taskOf(a.id).id, status: 'SUCCESS', progressPercent: 100, restorePointId: cp.id, backupDetails: { backupName: 'nightly' }, resource: { id: a.id } },
        { id: taskOf(b.id).id, status: 'SUCCESS', progressPercent: 100, restorePointId: cp.id, backupDetails: { backupName: 'nightly' }, resource: { id: b.id } },
      ],
      task: { id: taskOf(a.id).id },
    });
    expect(res.data.createRestorePoint.backups).toHaveLength(2);
    expect(res.data.createRestorePoint.restorePoint.backups).toHaveLength(2);
    // The POST, then the payload's lookups: the vault once, the backups of the restore point ONCE (restorePoint.backups
    // and backups share it; the listed backups prime Backup.restorePoint, which the create answer primed), the tasks ONCE.
    const calls = stack.calls();
    expect(calls[0]).toBe(`POST /v3/${P}/checkpoints`);
    expect(calls.slice(1).sort()).toEqual([
      `GET /v3/${P}/backups?checkpoint_id=${cp.id}`,
      // start_time a minute before the restore point's creation (which task time the filter compares is undocumented)
      `GET /v3/${P}/operation-logs?operation_type=backup&start_time=${encodeURIComponent(new Date(Date.parse(testStart()) - 60_000).toISOString().slice(0, 19) + 'Z')}&vault_id=${vault.id}`,
      `GET /v3/${P}/vaults/${vault.id}`,
    ]);
  });

  it('backs up only the listed resources, by id or with their types', async () => {
    const a = addVolume(stack.emu.emulator, P, { name: 'vol-a' });
    const b = addVolume(stack.emu.emulator, P, { name: 'vol-b' });
    const vault = vaultWith([a, b], { objectType: 'disk' });
    const MUTATION = `mutation ($input: CreateRestorePointInput!) { createRestorePoint(input: $input) { restorePoint { resources { id } } } }`;

    const byId = await stack.execute(MUTATION, { input: { vaultId: vault.id, resourceIds: [b.id], incremental: false, autoTrigger: true } });
    expect(byId).toEqual({ data: { createRestorePoint: { restorePoint: { resources: [{ id: b.id }] } } } });
    const withType = await stack.execute(MUTATION, { input: { vaultId: vault.id, resources: [{ id: a.id, type: 'DISK', name: 'vol-a' }] } });
    expect(withType).toEqual({ data: { createRestorePoint: { restorePoint: { resources: [{ id: a.id }] } } } });
    const auto = [...stored().backups.values()].find((x) => x.resource_id === b.id)!;
    expect(auto.extend_info?.auto_trigger).toBe(true);
  });

  it('leaves the excluded disks of a server out of this backup only; restore point and task name them', async () => {
    const server = addServer(stack.emu.emulator, P, { name: 'db-1', disks: [{ name: 'sys', sizeGb: 40 }, { name: 'data', sizeGb: 100 }] });
    const vault = vaultWith([server]);
    const data = server.disks![1]!.id;
    const res = await stack.execute(
      `mutation ($input: CreateRestorePointInput!) {
        createRestorePoint(input: $input) {
          restorePoint { vaultId resources { id excludedVolumeIds extraInfoJson } }
          tasks { resource { id excludedVolumeIds } }
        }
      }`,
      { input: { vaultId: vault.id, resources: [{ id: server.id, type: 'SERVER', excludedVolumeIds: [data] }] } },
    );
    expect(res).toEqual({
      data: {
        createRestorePoint: {
          restorePoint: {
            vaultId: vault.id,
            resources: [{ id: server.id, excludedVolumeIds: [data], extraInfoJson: JSON.stringify({ exclude_volumes: [data] }) }],
          },
          tasks: [{ resource: { id: server.id, excludedVolumeIds: [data] } }],
        },
      },
    });
    // vaultId needs no vault GET: the POST and the task list only.
    expect(stack.calls()).toHaveLength(2);
    expect(stack.calls()[0]).toBe(`POST /v3/${P}/checkpoints`);
    const backup = [...stored().backups.values()].find((b) => !b.parent_id)!;
    expect([backup.resource_size, [...stored().backups.values()].filter((b) => b.parent_id === backup.id).length]).toEqual([40, 1]);
    // The vault's own exclusions are untouched: the next backup takes both disks.
    expect(stored().vaults.get(vault.id)!.resources[0]!.extra_info?.exclude_volumes ?? []).toEqual([]);
  });

  it('refuses an empty excluded disk id naming its input path, without a call', async () => {
    const res = await stack.execute(`mutation ($input: CreateRestorePointInput!) { createRestorePoint(input: $input) { restorePoint { id } } }`, {
      input: { vaultId: 'v-1', resources: [{ id: 's-1', type: 'SERVER', excludedVolumeIds: [''] }] },
    });
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.resources[0].excludedVolumeIds[0]' } });
    expect(stack.calls()).toEqual([]);
  });

  it('lists resources busy with another backup as skipped', async () => {
    const manual = await startStack({ emulator: { lifecycle: 'manual', clock: { start: T0, mode: 'frozen' } } });
    try {
      const mp = manual.emu.project.id;
      const a = addVolume(manual.emu.emulator, mp, { name: 'vol-a' });
      const b = addVolume(manual.emu.emulator, mp, { name: 'vol-b' });
      const vault = addVault(manual.emu.emulator, mp, { resources: [a, b], size: 10_000, objectType: 'disk' });
      const first = await manual.execute(CREATE, { input: { vaultId: vault.id, resourceIds: [a.id] } });
      expect(first.errors).toBeUndefined();
      const second = await manual.execute(CREATE, { input: { vaultId: vault.id } });
      expect(second.errors).toBeUndefined();
      expect(second.data.createRestorePoint.restorePoint.resources.map((r: any) => r.id)).toEqual([b.id]);
      expect(second.data.createRestorePoint.restorePoint.skippedResources).toEqual([
        { id: a.id, name: 'vol-a', type: 'DISK', code: 'BackupService.0002', reason: expect.any(String) },
      ]);
    } finally {
      await manual.close();
    }
  });

  it.each([
    [{ name: 'has spaces' }, 'input.name', 'input.name: must contain only digits, letters, underscores (_) and hyphens (-)'],
    [{ description: 'x'.repeat(256) }, 'input.description', 'input.description: Too big: expected string to have <=255 characters'],
    [{ resourceIds: ['not-a-uuid'] }, 'input.resourceIds[0]', 'input.resourceIds[0]: Invalid GUID'],
    [{ resources: [{ id: 'r-1', type: 'UNKNOWN' }] }, 'input.resources[0].type', 'input.resources[0].type: UNKNOWN cannot be sent to the upstream'],
    [{ resources: [{ id: '', type: 'DISK' }] }, 'input.resources[0].id', 'input.resources[0].id: must be an id: 1–64 letters, digits, "-" or "_"'],
    [{ vaultId: '' }, 'input.vaultId', 'input.vaultId: must be an id: 1–64 letters, digits, "-" or "_"'],
  ])('rejects %j before any call (BAD_USER_INPUT at %s)', async (input, field, message) => {
    const res = await stack.execute(CREATE, { input: { vaultId: 'v-1', ...input } });
    expect(res.data).toEqual({ createRestorePoint: null });
    expect(res.errors).toEqual([expect.objectContaining({ message, path: ['createRestorePoint'], extensions: { code: 'BAD_USER_INPUT', field } })]);
    expect(stack.calls()).toEqual([]);
  });

  it('answers NOT_FOUND with the upstream code for a vault that does not exist', async () => {
    const res = await stack.execute(CREATE, { input: { vaultId: 'no-such-vault' } });
    expect(res.data).toEqual({ createRestorePoint: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['createRestorePoint'],
        extensions: { code: 'NOT_FOUND', upstream: { status: 404, code: 'BackupService.6105', message: expect.any(String), requestId: expect.any(String) } },
      }),
    ]);
    expect(stack.calls()).toEqual([`POST /v3/${P}/checkpoints`]);
  });

  it('answers BAD_USER_INPUT with the upstream code for a resource that is not in the vault (6135)', async () => {
    const vault = vaultWith([addVolume(stack.emu.emulator, P)], { objectType: 'disk' });
    const res = await stack.execute(CREATE, { input: { vaultId: vault.id, resourceIds: ['00000000-0000-4000-8000-000000000001'] } });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'The resource does not exist in the vault: resource 00000000-0000-4000-8000-000000000001',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', upstream: expect.objectContaining({ status: 400, code: 'BackupService.6135' }) }),
      }),
    ]);
  });
});

describe('following a backup to success (manual lifecycle)', () => {
  let manual: Stack;
  beforeAll(async () => {
    manual = await startStack({ emulator: { lifecycle: 'manual', clock: { start: T0, mode: 'frozen' } } });
  });
  afterAll(() => manual.close());

  it('reads the task RUNNING at 0 %, then 50 %, then SUCCESS, with the restore point and backup following', async () => {
    const mp = manual.emu.project.id;
    const server = addServer(manual.emu.emulator, mp, { name: 'web-1' });
    const vault = addVault(manual.emu.emulator, mp, { resources: [server], size: 10_000 });

    const created = await manual.execute(
      `mutation ($input: CreateRestorePointInput!) { createRestorePoint(input: $input) {
        restorePoint { id status } backups { id status } task { id status progressPercent endedAt } } }`,
      { input: { vaultId: vault.id, name: 'now' } },
    );
    expect(created.errors).toBeUndefined();
    const { restorePoint, backups, task } = created.data.createRestorePoint;
    expect(restorePoint.status).toBe('PROTECTING');
    expect(backups).toEqual([{ id: expect.any(String), status: 'PROTECTING' }]);
    expect(task).toEqual({ id: expect.any(String), status: 'RUNNING', progressPercent: 0, endedAt: null });

    const FOLLOW = `query ($task: ID!, $cp: ID!) {
      task(id: $task) { status progressPercent error { code } backup { status } }
      restorePoint(id: $cp) { status resources { protectStatus } }
    }`;
    const follow = async () => {
      const res = await manual.execute(FOLLOW, { task: task.id, cp: restorePoint.id });
      expect(res.errors).toBeUndefined();
      return res.data;
    };
    expect(await follow()).toEqual({
      task: { status: 'RUNNING', progressPercent: 0, error: null, backup: { status: 'PROTECTING' } },
      restorePoint: { status: 'PROTECTING', resources: [{ protectStatus: 'PROTECTING' }] },
    });
    manual.emu.emulator.clock.advance(1_000);
    expect(await follow()).toEqual({
      task: { status: 'RUNNING', progressPercent: 50, error: null, backup: { status: 'PROTECTING' } },
      restorePoint: { status: 'PROTECTING', resources: [{ protectStatus: 'PROTECTING' }] },
    });
    manual.emu.emulator.clock.advance(1_000);
    expect(await follow()).toEqual({
      task: { status: 'SUCCESS', progressPercent: 100, error: null, backup: { status: 'AVAILABLE' } },
      restorePoint: { status: 'AVAILABLE', resources: [{ protectStatus: 'AVAILABLE' }] },
    });
  });
});

describe('restorePoint(id)', () => {
  it('answers every field after the backup ran, with the backups of the restore point', async () => {
    const server = addServer(stack.emu.emulator, P, { name: 'web-1', disks: [{ sizeGb: 40 }] });
    const vault = vaultWith([server], { name: 'vault-web' });
    const res = await stack.execute(CREATE, { input: { vaultId: vault.id, name: 'nightly' } });
    const id = res.data.createRestorePoint.restorePoint.id;
    const backupId = [...stored().backups.values()].find((b) => !b.parent_id)!.id;
    stack.clearCalls();

    const read = await stack.execute(`query ($id: ID!) { restorePoint(id: $id) { ...RestorePointFields } } ${RESTORE_POINT_FIELDS}`, { id });
    expect(read).toEqual({
      data: {
        restorePoint: {
          id,
          projectId: P,
          status: 'AVAILABLE',
          createdAt: testStart(),
          name: 'nightly',
          description: null,
          retentionDurationDays: -1,
          vaultName: 'vault-web',
          vaultId: vault.id,
          resources: [
            {
              id: server.id,
              name: 'web-1',
              type: 'SERVER',
              protectStatus: 'AVAILABLE',
              resourceSizeGb: 40,
              backupSizeGb: 40,
              backupCount: 1,
              extraInfoJson: '{}',
              excludedVolumeIds: [],
            },
          ],
          skippedResources: [],
          vault: { id: vault.id },
          backups: [{ id: backupId }],
        },
      },
    });
    expect([...stack.calls()].sort()).toEqual([
      `GET /v3/${P}/backups?checkpoint_id=${id}`,
      `GET /v3/${P}/checkpoints/${id}`,
      `GET /v3/${P}/vaults/${vault.id}`,
    ]);
  });

  it('answers null for a restore point that does not exist, after one call', async () => {
    const res = await stack.execute(`{ restorePoint(id: "nope") { id } }`);
    expect(res).toEqual({ data: { restorePoint: null } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/checkpoints/nope`]);
  });

  it('reads a resource type this gateway does not know as UNKNOWN instead of failing the query', async () => {
    const volume = addVolume(stack.emu.emulator, P);
    const vault = vaultWith([volume], { objectType: 'disk' });
    const res = await stack.execute(CREATE, { input: { vaultId: vault.id } });
    const id = res.data.createRestorePoint.restorePoint.id;
    stored().restorePoints.get(id)!.vault!.resources![0]!.type = 'OS::Ironic::BareMetalServer';

    const read = await stack.execute(`query ($id: ID!) { restorePoint(id: $id) { status resources { type } } }`, { id });
    expect(read).toEqual({ data: { restorePoint: { status: 'AVAILABLE', resources: [{ type: 'UNKNOWN' }] } } });
  });

  it('Backup.restorePoint and Task.restorePoint share one lookup per restore point', async () => {
    const volumes = [addVolume(stack.emu.emulator, P, { name: 'a' }), addVolume(stack.emu.emulator, P, { name: 'b' })];
    const vault = vaultWith(volumes, { objectType: 'disk' });
    const created = await stack.execute(CREATE, { input: { vaultId: vault.id } });
    const id = created.data.createRestorePoint.restorePoint.id;
    stack.clearCalls();

    const res = await stack.execute(`{ backups { nodes { restorePoint { id } } } tasks { nodes { restorePoint { id } } } }`);
    expect(res).toEqual({
      data: {
        backups: { nodes: [{ restorePoint: { id } }, { restorePoint: { id } }] },
        tasks: { nodes: [{ restorePoint: { id } }, { restorePoint: { id } }] },
      },
    });
    expect([...stack.calls()].sort()).toEqual([
      `GET /v3/${P}/backups?sort=created_at%3Adesc%2Cid%3Adesc&limit=20`,
      `GET /v3/${P}/checkpoints/${id}`,
      `GET /v3/${P}/operation-logs?limit=20`,
    ]);
  });
});
