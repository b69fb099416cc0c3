/**
 * Objects in flight end to end: a vault still being created, a restore point still queued and a backup being
 * protected, put into the emulator's store in the shape a real cloud answers them (fields absent or null), are read
 * through the graph: null where the upstream did not say, an empty list for a vault's resources, and neither the
 * object nor the list around it fails.
 */
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/upstream/schemas/restore-point';
import type { Vault } from '../../src/upstream/schemas/vault';
import { addServer, addVault, protectingBackup } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { useStack } from '../helpers/stack';

const stack = useStack();
const P = PROJECT_A;

describe('a vault being created (no resources, provider id or derived billing figures yet)', () => {
  it('answers resources [], providerId, usedMb, allocatedGb and usedPercent null, and the list keeps the other vaults', async () => {
    const emulator = stack.emu.emulator;
    const ready = addVault(emulator, P, { name: 'vault-ready', resources: [addServer(emulator, P, { name: 'web-1' })], size: 100 });
    const creating = addVault(emulator, P, { name: 'vault-creating', size: 100 });
    const stored = emulator.state.project(P).vaults.get(creating.id) as Partial<Vault> & { billing: Record<string, unknown> };
    delete stored.resources;
    delete stored.provider_id;
    stored.billing.used = null;
    stored.billing.allocated = null;

    const fields = `id name providerId resources { id } billing { sizeGb usedMb allocatedGb } usedPercent`;
    const res = await stack.execute(`query ($id: ID!) { vaults { totalCount edges { node { ${fields} } } } vault(id: $id) { ${fields} } }`, { id: creating.id });
    const half = { id: creating.id, name: 'vault-creating', providerId: null, resources: [], billing: { sizeGb: 100, usedMb: null, allocatedGb: null }, usedPercent: null };
    expect(res).toEqual({
      data: {
        vaults: {
          totalCount: 2,
          edges: [
            { node: half },
            { node: { id: ready.id, name: 'vault-ready', providerId: ready.provider_id, resources: [{ id: ready.resources[0]!.id }], billing: { sizeGb: 100, usedMb: 0, allocatedGb: ready.resources[0]!.size }, usedPercent: 0 } },
          ],
        },
        vault: half,
      },
    });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=20`, `GET /v3/${P}/vaults/${creating.id}`]);
  });
});

describe('a restore point still queued (no creation time, vault or extra info)', () => {
  it('answers createdAt, name, vaultId and vault null, empty resource lists, no tasks, and its backups', async () => {
    const checkpoint: Checkpoint = { id: 'cp-queued', project_id: P, status: 'protecting' };
    stack.emu.emulator.state.project(P).restorePoints.set(checkpoint.id, checkpoint);
    const res = await stack.execute(`{
      restorePoint(id: "cp-queued") { id status createdAt name description vaultId vaultName vault { id } resources { id } skippedResources { id } backups { id } }
    }`);
    expect(res).toEqual({
      data: {
        restorePoint: {
          id: 'cp-queued',
          status: 'PROTECTING',
          createdAt: null,
          name: null,
          description: null,
          vaultId: null,
          vaultName: null,
          vault: null,
          resources: [],
          skippedResources: [],
          backups: [],
        },
      },
    });
    expect(stack.calls()).toEqual([`GET /v3/${P}/checkpoints/cp-queued`, `GET /v3/${P}/backups?checkpoint_id=cp-queued`]);
  });
});

describe('a backup being protected (no times but its creation, no size, name or details yet)', () => {
  it('answers the fields the upstream left out as null and the lists as empty', async () => {
    const backup = protectingBackup({ id: 'b-protecting', project_id: P });
    stack.emu.emulator.state.project(P).backups.set(backup.id, backup);
    const res = await stack.execute(`{
      backup(id: "b-protecting") {
        id status createdAt updatedAt protectedAt expiresAt resourceSizeGb resourceName providerId incremental bootable imageIds replicationRecords { id }
      }
    }`);
    expect(res).toEqual({
      data: {
        backup: {
          id: 'b-protecting',
          status: 'PROTECTING',
          createdAt: '2024-03-01T08:00:00.000Z',
          updatedAt: null,
          protectedAt: null,
          expiresAt: null,
          resourceSizeGb: null,
          resourceName: null,
          providerId: null,
          incremental: null,
          bootable: null,
          imageIds: [],
          replicationRecords: [],
        },
      },
    });
    expect(stack.calls()).toEqual([`GET /v3/${P}/backups/b-protecting`]);
  });
});
