/**
 * Tasks (operation logs) end to end: the lookup with every field, the typed `extra_info` of each operation type,
 * failures with their error, the list with every filter and paging, the task edges with their upstream calls.
 */
import { describe, expect, it } from 'vitest';
import type { OperationLog } from '../../src/upstream/schemas/task';
import { addServer, addVault, addVolume, createCheckpoint, T0 } from '../helpers/builders';
import { policyCreate } from '../helpers/cbr';
import { PROJECT_A } from '../helpers/emulator';
import { useStack, useTestStartTime } from '../helpers/stack';
import { newestOf } from '../../src/gateway/loaders/task';

/** Every field of Task and its detail types (the "all fields" query), edges as ids. */
const TASK_FIELDS = /* GraphQL */ `
  fragment TaskFields on Task {
    id
    projectId
    operationType
    status
    progressPercent
    requestId
    internalTaskId
    error { code message }
    providerId
    vaultId
    vaultName
    policyId
    restorePointId
    resource { id name type excludedVolumeIds }
    backupDetails { backupId backupName incremental appConsistencyStatus appConsistencyErrorCode appConsistencyErrorMessage }
    restoreDetails { backupId backupName targetResourceId targetResourceName }
    deleteDetails { backupId backupName }
    syncDetails { syncedBackupCount deletedBackupCount failedBackupCount }
    removeResourcesDetails { failedCount totalCount resources { id name type } }
    vaultDeleteDetails { failedCount totalCount }
    replicationDetails {
      sourceBackupId sourceBackupName sourceRestorePointId sourceProjectId sourceRegion
      destinationBackupId destinationBackupName destinationRestorePointId destinationProjectId destinationRegion
    }
    createdAt
    startedAt
    endedAt
    updatedAt
    vault { id }
    policy { id }
    backup { id }
    restorePoint { id }
  }
`;

const NO_DETAILS = {
  backupDetails: null,
  restoreDetails: null,
  deleteDetails: null,
  syncDetails: null,
  removeResourcesDetails: null,
  vaultDeleteDetails: null,
  replicationDetails: null,
};

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;
const testStart = useTestStartTime(stack);

const tasks = () => [...stack.emu.emulator.state.project(P).tasks.values()];

async function readTask(id: string) {
  const res = await stack.execute(`query ($id: ID!) { task(id: $id) { ...TaskFields } } ${TASK_FIELDS}`, { id });
  expect(res.errors).toBeUndefined();
  return res.data.task;
}

describe('task(id)', () => {
  it('answers every field of a policy-triggered backup task, with its edges', async () => {
    const volume = addVolume(stack.emu.emulator, P, { name: 'vol-1' });
    const vault = addVault(stack.emu.emulator, P, { resources: [volume], size: 1_000, objectType: 'disk', name: 'vault-1' });
    const policy = await stack.emu.call('POST', `/v3/${P}/policies`, { policy: policyCreate() });
    const policyId = policy.body.policy.id;
    const checkpoint = await createCheckpoint(stack.emu, P, vault.id, { policy_id: policyId, auto_trigger: true, name: 'autobk_1' });
    const task = tasks()[0]!;
    const backupId = task.extra_info!.backup!.backup_id;
    stack.clearCalls();

    expect(await readTask(task.id)).toEqual({
      id: task.id,
      projectId: P,
      operationType: 'BACKUP',
      status: 'SUCCESS',
      progressPercent: 100,
      requestId: task.extra_info!.common.request_id,
      internalTaskId: task.extra_info!.common.task_id,
      error: null,
      providerId: 'd1603440-187d-4516-af25-121250c7cc97',
      vaultId: vault.id,
      vaultName: 'vault-1',
      policyId,
      restorePointId: checkpoint.id,
      resource: { id: volume.id, name: 'vol-1', type: 'DISK', excludedVolumeIds: [] },
      ...NO_DETAILS,
      backupDetails: {
        backupId,
        backupName: 'autobk_1',
        incremental: false,
        appConsistencyStatus: null,
        appConsistencyErrorCode: null,
        appConsistencyErrorMessage: null,
      },
      createdAt: testStart(),
      startedAt: testStart(),
      endedAt: testStart(),
      updatedAt: testStart(),
      vault: { id: vault.id },
      policy: { id: policyId },
      backup: { id: backupId },
      restorePoint: { id: checkpoint.id },
    });
    expect([...stack.calls()].sort()).toEqual([
      `GET /v3/${P}/backups/${backupId}`,
      `GET /v3/${P}/checkpoints/${checkpoint.id}`,
      `GET /v3/${P}/operation-logs/${task.id}`,
      `GET /v3/${P}/policies/${policyId}`,
      `GET /v3/${P}/vaults/${vault.id}`,
    ]);
  });

  it('answers a failed task with its error (the vault ran out of capacity: BackupService.6114)', async () => {
    const volume = addVolume(stack.emu.emulator, P, { sizeGb: 50 });
    const vault = addVault(stack.emu.emulator, P, { resources: [volume], size: 10, objectType: 'disk' });
    await createCheckpoint(stack.emu, P, vault.id);
    const res = await stack.execute(`query ($id: ID!) { task(id: $id) { status progressPercent error { code message } backup { status } } }`, {
      id: tasks()[0]!.id,
    });
    expect(res).toEqual({
      data: {
        task: {
          status: 'FAILED',
          progressPercent: 100,
          error: { code: 'BackupService.6114', message: 'The used capacity of the vault exceeds the maximum capacity.' },
          backup: { status: 'ERROR' },
        },
      },
    });
  });

  it('types the extra info of restore, delete, remove-resource and vault-delete tasks', async () => {
    const volume = addVolume(stack.emu.emulator, P, { name: 'vol-r', sizeGb: 10 });
    const other = addVolume(stack.emu.emulator, P, { name: 'vol-x', sizeGb: 10 });
    const vault = addVault(stack.emu.emulator, P, { resources: [volume, other], size: 1_000, objectType: 'disk', name: 'vault-r' });
    await createCheckpoint(stack.emu, P, vault.id, { resources: [volume.id], name: 'r1' });
    const backupId = [...stack.emu.emulator.state.project(P).backups.keys()][0]!;
    expect((await stack.emu.call('POST', `/v3/${P}/backups/${backupId}/restore`, { restore: { volume_id: volume.id } })).status).toBe(202);
    expect((await stack.emu.call('DELETE', `/v3/${P}/backups/${backupId}`)).status).toBe(204);
    expect((await stack.emu.call('POST', `/v3/${P}/vaults/${vault.id}/removeresources`, { resource_ids: [other.id] })).status).toBe(200);
    expect((await stack.emu.call('DELETE', `/v3/${P}/vaults/${vault.id}`)).status).toBe(204);
    const byType = (type: string) => tasks().find((t) => t.operation_type === type)!;

    const DETAILS = `query ($r: ID!, $d: ID!, $rm: ID!, $vd: ID!) {
      r: task(id: $r) { operationType restoreDetails { backupId backupName targetResourceId targetResourceName } resource { id } }
      d: task(id: $d) { operationType deleteDetails { backupId backupName } backup { id } }
      rm: task(id: $rm) { operationType removeResourcesDetails { failedCount totalCount resources { id name type } } }
      vd: task(id: $vd) { operationType vaultDeleteDetails { failedCount totalCount } vault { id } }
    }`;
    const res = await stack.execute(DETAILS, {
      r: byType('restore').id,
      d: byType('delete').id,
      rm: byType('remove_resource').id,
      vd: byType('vault_delete').id,
    });
    expect(res).toEqual({
      data: {
        r: {
          operationType: 'RESTORE',
          restoreDetails: { backupId, backupName: 'r1', targetResourceId: volume.id, targetResourceName: 'vol-r' },
          resource: { id: volume.id },
        },
        // The backup is gone: the edge reads as null, the task keeps its id.
        d: { operationType: 'DELETE', deleteDetails: { backupId, backupName: 'r1' }, backup: null },
        rm: { operationType: 'REMOVE_RESOURCE', removeResourcesDetails: { failedCount: 0, totalCount: 1, resources: [{ id: other.id, name: 'vol-x', type: 'DISK' }] } },
        vd: { operationType: 'VAULT_DELETE', vaultDeleteDetails: { failedCount: 0, totalCount: 0 }, vault: null },
      },
    });
  });

  it('types sync and replication details and tolerates values it does not know, as the real service may send them', async () => {
    // Operation types the emulator never produces itself: stored as the API reference's tables describe them.
    const base = tasks().length;
    const record = (id: string, fields: Partial<OperationLog>): OperationLog => ({
      id,
      project_id: P,
      operation_type: 'sync',
      status: 'success',
      created_at: '2020-02-23T01:00:32Z',
      started_at: '2020-02-23T01:00:32Z',
      updated_at: '2020-02-23T01:05:00Z',
      ended_at: '2020-02-23T01:05:00Z',
      error_info: { code: '', message: '' },
      extra_info: { common: { progress: 100, request_id: 'req-1' } },
      ...fields,
    });
    const store = stack.emu.emulator.state.project(P).tasks;
    store.set('t-sync', record('t-sync', { extra_info: { common: { progress: 100 }, sync: { sync_backup_num: 3, delete_backup_num: 1, err_sync_backup_num: 0 } } }));
    store.set(
      't-repl',
      record('t-repl', {
        operation_type: 'replication',
        extra_info: {
          common: { progress: 40 },
          replication: {
            source_backup_id: 'sb',
            source_backup_name: 'src',
            source_checkpoint_id: 'scp',
            source_project_id: 'sp',
            source_region: 'eu-de',
            destination_backup_id: 'db',
            destination_backup_name: 'dst',
            destination_checkpoint_id: 'dcp',
            destination_project_id: 'dp',
            destination_region: 'eu-nl',
          },
          resource: { id: 'bm-1', type: 'OS::Ironic::BareMetalServer', name: 'bms' },
        },
      }),
    );
    expect(tasks().length).toBe(base + 2);

    const res = await stack.execute(`{
      s: task(id: "t-sync") { operationType syncDetails { syncedBackupCount deletedBackupCount failedBackupCount } createdAt }
      r: task(id: "t-repl") { operationType progressPercent resource { type } replicationDetails {
        sourceBackupId sourceBackupName sourceRestorePointId sourceProjectId sourceRegion
        destinationBackupId destinationBackupName destinationRestorePointId destinationProjectId destinationRegion } }
    }`);
    expect(res).toEqual({
      data: {
        s: { operationType: 'SYNC', syncDetails: { syncedBackupCount: 3, deletedBackupCount: 1, failedBackupCount: 0 }, createdAt: '2020-02-23T01:00:32.000Z' },
        r: {
          operationType: 'REPLICATION',
          progressPercent: 40,
          resource: { type: 'UNKNOWN' },
          replicationDetails: {
            sourceBackupId: 'sb',
            sourceBackupName: 'src',
            sourceRestorePointId: 'scp',
            sourceProjectId: 'sp',
            sourceRegion: 'eu-de',
            destinationBackupId: 'db',
            destinationBackupName: 'dst',
            destinationRestorePointId: 'dcp',
            destinationProjectId: 'dp',
            destinationRegion: 'eu-nl',
          },
        },
      },
    });
  });

  it('lists a queued task that has not started (no started_at, updated_at or error_info) without failing the list', async () => {
    const store = stack.emu.emulator.state.project(P).tasks;
    store.set('t-queued', {
      id: 't-queued',
      project_id: P,
      operation_type: 'backup',
      status: 'waiting',
      created_at: '2020-02-23T01:00:32Z',
      extra_info: { common: { progress: 0 }, resource: { id: 's-1', type: 'OS::Nova::Server', name: 'web', extra_info: { exclude_volumes: ['d-2'] } } },
    } as OperationLog);
    const res = await stack.execute(`{ tasks { totalCount edges { node { id status startedAt updatedAt endedAt error { code } resource { excludedVolumeIds } } } } }`);
    expect(res).toEqual({
      data: {
        tasks: {
          totalCount: 1,
          edges: [{ node: { id: 't-queued', status: 'WAITING', startedAt: null, updatedAt: null, endedAt: null, error: null, resource: { excludedVolumeIds: ['d-2'] } } }],
        },
      },
    });
    expect(stack.calls()).toEqual([`GET /v3/${P}/operation-logs?limit=20`]);
  });

  it('answers null for a task that does not exist, after one call', async () => {
    const res = await stack.execute(`{ task(id: "no-such-task") { id } }`);
    expect(res).toEqual({ data: { task: null } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/operation-logs/no-such-task`]);
  });
});

describe('tasks(filter, first, after)', () => {
  it('sends every documented filter as its query parameter', async () => {
    const res = await stack.execute(`query ($filter: TaskFilter) { tasks(filter: $filter, first: 50) { totalCount } }`, {
      filter: {
        startTime: '2024-02-01T00:00:00Z',
        endTime: '2024-02-01T23:59:59Z',
        operationType: 'VAULT_DELETE',
        providerId: 'prov-1',
        resourceId: 'res-1',
        resourceName: 'db 1',
        status: 'FAILED',
        vaultId: 'vault-1',
        vaultName: 'prod',
      },
    });
    expect(res).toEqual({ data: { tasks: { totalCount: 0 } } });
    expect(stack.calls()).toEqual([
      `GET /v3/${P}/operation-logs?end_time=2024-02-01T23%3A59%3A59Z&operation_type=vault_delete&provider_id=prov-1&resource_id=res-1` +
        `&resource_name=db%201&start_time=2024-02-01T00%3A00%3A00Z&status=failed&vault_id=vault-1&vault_name=prod&limit=50`,
    ]);
  });

  it('filters and pages to the end: 7 tasks in pages of 3, newest first, one call per page', async () => {
    const volume = addVolume(stack.emu.emulator, P);
    const vault = addVault(stack.emu.emulator, P, { resources: [volume], size: 10_000, objectType: 'disk' });
    for (let i = 0; i < 7; i++) await createCheckpoint(stack.emu, P, vault.id, { name: `b${i}` });
    const names = tasks().map((t) => t.extra_info!.backup!.backup_name).reverse();
    stack.clearCalls();

    const PAGE = `query ($after: String) { tasks(filter: { operationType: BACKUP, status: SUCCESS }, first: 3, after: $after) {
      totalCount nodes { backupDetails { backupName } } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: any = await stack.execute(PAGE, { after });
      expect(res.errors).toBeUndefined();
      expect(res.data.tasks.totalCount).toBe(7);
      seen.push(...res.data.tasks.nodes.map((n: any) => n.backupDetails.backupName));
      after = res.data.tasks.pageInfo.hasNextPage ? res.data.tasks.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(names);
    expect(stack.calls()).toEqual([
      `GET /v3/${P}/operation-logs?operation_type=backup&status=success&limit=3`,
      `GET /v3/${P}/operation-logs?operation_type=backup&status=success&limit=3&offset=3`,
      `GET /v3/${P}/operation-logs?operation_type=backup&status=success&limit=3&offset=6`,
    ]);
  });

  it.each([
    [{ filter: { status: 'UNKNOWN' } }, 'filter.status', 'filter.status: UNKNOWN cannot be sent to the upstream'],
    [{ filter: { operationType: 'UNKNOWN' } }, 'filter.operationType', 'filter.operationType: UNKNOWN cannot be sent to the upstream'],
    [{ first: 1001 }, 'first', 'first must be between 1 and 1000, got 1001'],
  ])('rejects %j before any call (BAD_USER_INPUT at %s)', async (variables, field, message) => {
    const res = await stack.execute(`query ($filter: TaskFilter, $first: Int) { tasks(filter: $filter, first: $first) { totalCount } }`, variables);
    expect(res.data).toEqual({ tasks: null });
    expect(res.errors).toEqual([expect.objectContaining({ message, path: ['tasks'], extensions: { code: 'BAD_USER_INPUT', field } })]);
    expect(stack.calls()).toEqual([]);
  });
});

describe('Vault.tasks', () => {
  it('lists the tasks of each vault with one call per vault; their vault edge needs no further call', async () => {
    const server = addServer(stack.emu.emulator, P, { name: 'web' });
    const vault = addVault(stack.emu.emulator, P, { resources: [server], size: 10_000, name: 'vault-web' });
    await createCheckpoint(stack.emu, P, vault.id, { name: 'one' });
    await createCheckpoint(stack.emu, P, vault.id, { name: 'two' });
    stack.clearCalls();

    const res = await stack.execute(`query ($id: ID!) { vault(id: $id) { tasks(first: 1) { totalCount nodes { backupDetails { backupName } vault { name } } } } }`, {
      id: vault.id,
    });
    expect(res).toEqual({ data: { vault: { tasks: { totalCount: 2, nodes: [{ backupDetails: { backupName: 'two' }, vault: { name: 'vault-web' } }] } } } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults/${vault.id}`, `GET /v3/${P}/operation-logs?vault_id=${vault.id}&limit=1`]);
  });
});

describe('newestOf (the task of a call that answers none, whatever order the list comes in)', () => {
  const task = (id: string, created_at: string) => ({ id, created_at }) as OperationLog;

  it('picks the latest created_at in any order and across the upstream timestamp formats', () => {
    const tasks = [task('mid', '2024-01-02T00:00:00.000000'), task('new', '2024-01-03 00:00:00'), task('old', '2024-01-01T00:00:00Z')];
    expect(newestOf(tasks)?.id).toBe('new');
    expect(newestOf([...tasks].reverse())?.id).toBe('new');
  });

  it('keeps the first listed of a tie, ranks an unreadable timestamp last, and answers null for none', () => {
    expect(newestOf([task('a', '2024-01-01T00:00:00Z'), task('b', '2024-01-01T00:00:00Z')])?.id).toBe('a');
    expect(newestOf([task('odd', 'yesterday'), task('ok', '2020-01-01T00:00:00Z')])?.id).toBe('ok');
    expect(newestOf([])).toBeNull();
  });
});
