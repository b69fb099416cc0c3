import { describe, expect, it } from 'vitest';
import { addServer, addVault, addVolume, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { expectBadInput, upstreamRefusal } from '../helpers/graphql';
import { useStack } from '../helpers/stack';

/** Every field of ProtectedResource (the "all fields" query of the type). */
const RESOURCE_FIELDS = /* GraphQL */ `
  fragment ResourceFields on ProtectedResource {
    id
    name
    type
    protectStatus
    sizeGb
    backupSizeGb
    backupCount
    excludedVolumeIds
    vault { id name }
  }
`;

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

describe('ProtectedResource', () => {
  it('answers every field of a resource listed in its vault, the vault edge without another call', async () => {
    const server = addServer(stack.emu.emulator, P, { name: 'db-1', disks: [{ sizeGb: 40 }, { sizeGb: 100 }] });
    const dataDisk = server.disks![1]!.id;
    const vault = addVault(stack.emu.emulator, P, { name: 'db-vault', resources: [server], excludeVolumes: [dataDisk] });
    const res = await stack.execute(`query ($id: ID!) { vault(id: $id) { resources { ...ResourceFields } } } ${RESOURCE_FIELDS}`, { id: vault.id });
    expect(res).toEqual({
      data: {
        vault: {
          resources: [
            {
              id: server.id,
              name: 'db-1',
              type: 'SERVER',
              protectStatus: 'AVAILABLE',
              sizeGb: 140,
              backupSizeGb: 0,
              backupCount: 0,
              excludedVolumeIds: [dataDisk],
              vault: { id: vault.id, name: 'db-vault' },
            },
          ],
        },
      },
    });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults/${vault.id}`]);
  });

  it('finds a resource by id through the vault list filtered by resource ids', async () => {
    const volume = addVolume(stack.emu.emulator, P, { name: 'data', sizeGb: 20 });
    const vault = addVault(stack.emu.emulator, P, { name: 'disks', resources: [volume] });
    const res = await stack.execute(`query ($id: ID!) { protectedResource(id: $id) { ...ResourceFields } } ${RESOURCE_FIELDS}`, { id: volume.id });
    expect(res).toEqual({
      data: {
        protectedResource: {
          id: volume.id,
          name: 'data',
          type: 'DISK',
          protectStatus: 'AVAILABLE',
          sizeGb: 20,
          backupSizeGb: 0,
          backupCount: 0,
          excludedVolumeIds: [],
          vault: { id: vault.id, name: 'disks' },
        },
      },
    });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?resource_ids=${volume.id}&limit=1000`]);
  });

  it('batches several resource lookups into ONE call; an unprotected resource is null', async () => {
    const a = addVolume(stack.emu.emulator, P, { name: 'a' });
    const b = addVolume(stack.emu.emulator, P, { name: 'b' });
    const loose = addVolume(stack.emu.emulator, P, { name: 'loose' });
    addVault(stack.emu.emulator, P, { name: 'va', resources: [a] });
    addVault(stack.emu.emulator, P, { name: 'vb', resources: [b] });
    const res = await stack.execute(`query ($a: ID!, $b: ID!, $c: ID!) { a: protectedResource(id: $a) { name vault { name } } b: protectedResource(id: $b) { name vault { name } } c: protectedResource(id: $c) { name } }`, {
      a: a.id,
      b: b.id,
      c: loose.id,
    });
    expect(res).toEqual({ data: { a: { name: 'a', vault: { name: 'va' } }, b: { name: 'b', vault: { name: 'vb' } }, c: null } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?resource_ids=${a.id}%2C${b.id}%2C${loose.id}&limit=1000`]);
  });
});

describe('addVaultResources / removeVaultResources / migrateVaultResources', () => {
  it('associates resources and answers the added ids and the vault re-read', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'v', objectType: 'disk' });
    const volume = addVolume(stack.emu.emulator, P, { name: 'vol' });
    const res = await stack.execute(
      `mutation ($input: AddVaultResourcesInput!) { addVaultResources(input: $input) { addedResourceIds vault { id resources { id name type } } } }`,
      { input: { vaultId: vault.id, resources: [{ id: volume.id, type: 'DISK' }] } },
    );
    expect(res).toEqual({
      data: { addVaultResources: { addedResourceIds: [volume.id], vault: { id: vault.id, resources: [{ id: volume.id, name: 'vol', type: 'DISK' }] } } },
    });
    expect(stack.calls()).toEqual([`POST /v3/${P}/vaults/${vault.id}/addresources`, `GET /v3/${P}/vaults/${vault.id}`]);
  });

  it('rejects an empty resource list naming input.resources, before any upstream call', async () => {
    const res = await stack.execute(`mutation { addVaultResources(input: { vaultId: "v", resources: [] }) { addedResourceIds } }`);
    expectBadInput(res, { field: 'input.resources', message: 'input.resources: Too small: expected array to have >=1 items' });
    expect(stack.calls()).toEqual([]);
  });

  it('passes the upstream 404 of an unknown vault on as NOT_FOUND', async () => {
    const volume = addVolume(stack.emu.emulator, P);
    const res = await stack.execute(`mutation ($id: ID!) { addVaultResources(input: { vaultId: "00000000-0000-4000-a000-000000000000", resources: [{ id: $id, type: DISK }] }) { addedResourceIds } }`, {
      id: volume.id,
    });
    expect(res.data).toEqual({ addVaultResources: null });
    expect(res.errors?.[0]?.extensions).toEqual({
      code: 'NOT_FOUND',
      upstream: { status: 404, code: 'BackupService.6105', message: 'The vault does not exist.', requestId: expect.stringMatching(/^req-/) },
    });
  });

  it('dissociates resources and answers the removed ids', async () => {
    const volume = addVolume(stack.emu.emulator, P, { name: 'vol' });
    const vault = addVault(stack.emu.emulator, P, { resources: [volume] });
    const res = await stack.execute(
      `mutation ($input: RemoveVaultResourcesInput!) { removeVaultResources(input: $input) { removedResourceIds vault { resources { id } } } }`,
      { input: { vaultId: vault.id, resourceIds: [volume.id] } },
    );
    // The emulator runs in `immediate` lifecycle mode: the removal has finished when the vault is re-read.
    expect(res).toEqual({ data: { removeVaultResources: { removedResourceIds: [volume.id], vault: { resources: [] } } } });
    expect(stack.calls()).toEqual([`POST /v3/${P}/vaults/${vault.id}/removeresources`, `GET /v3/${P}/vaults/${vault.id}`]);
  });

  it('answers the remove_resource task that deletes the backups, when selected', async () => {
    const volume = addVolume(stack.emu.emulator, P, { name: 'vol' });
    const vault = addVault(stack.emu.emulator, P, { resources: [volume] });
    const res = await stack.execute(
      `mutation ($input: RemoveVaultResourcesInput!) { removeVaultResources(input: $input) { removedResourceIds task { operationType status vaultId } } }`,
      { input: { vaultId: vault.id, resourceIds: [volume.id] } },
    );
    expect(res).toEqual({
      data: { removeVaultResources: { removedResourceIds: [volume.id], task: { operationType: 'REMOVE_RESOURCE', status: 'SUCCESS', vaultId: vault.id } } },
    });
    expect(stack.calls()).toEqual([
      `POST /v3/${P}/vaults/${vault.id}/removeresources`,
      `GET /v3/${P}/operation-logs?vault_id=${vault.id}&operation_type=remove_resource`,
    ]);
  });

  it('passes the refusal of a resource that is not in the vault on as BAD_USER_INPUT', async () => {
    const vault = addVault(stack.emu.emulator, P);
    const res = await stack.execute(`mutation ($v: ID!) { removeVaultResources(input: { vaultId: $v, resourceIds: ["nope"] }) { removedResourceIds } }`, { v: vault.id });
    expect(res.errors?.[0]).toEqual(
      upstreamRefusal({ code: 'BAD_USER_INPUT', status: 400, upstreamCode: 'BackupService.6135', message: 'The resource does not exist in the vault.' }),
    );
  });

  it('moves resources to another vault and re-reads both vaults with ONE call', async () => {
    const volume = addVolume(stack.emu.emulator, P, { name: 'vol' });
    const source = addVault(stack.emu.emulator, P, { name: 'src', resources: [volume] });
    const destination = addVault(stack.emu.emulator, P, { name: 'dst', objectType: 'disk' });
    const res = await stack.execute(
      `mutation ($input: MigrateVaultResourcesInput!) { migrateVaultResources(input: $input) { migratedResourceIds sourceVault { name resources { id } } destinationVault { name resources { id } } } }`,
      { input: { vaultId: source.id, destinationVaultId: destination.id, resourceIds: [volume.id] } },
    );
    expect(res).toEqual({
      data: {
        migrateVaultResources: {
          migratedResourceIds: [volume.id],
          sourceVault: { name: 'src', resources: [] },
          destinationVault: { name: 'dst', resources: [{ id: volume.id }] },
        },
      },
    });
    expect(stack.calls()).toEqual([
      `POST /v3/${P}/vaults/${source.id}/migrateresources`,
      `GET /v3/${P}/vaults?limit=1000`,
    ]);
  });

  it('rejects a migration without resource ids naming input.resourceIds', async () => {
    const res = await stack.execute(`mutation { migrateVaultResources(input: { vaultId: "a", destinationVaultId: "b", resourceIds: [] }) { migratedResourceIds } }`);
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.resourceIds' });
    expect(stack.calls()).toEqual([]);
  });

  it('refuses to migrate into the source vault itself naming input.destinationVaultId, before any call', async () => {
    const volume = addVolume(stack.emu.emulator, P);
    const vault = addVault(stack.emu.emulator, P, { resources: [volume] });
    const res = await stack.execute(
      `mutation ($input: MigrateVaultResourcesInput!) { migrateVaultResources(input: $input) { migratedResourceIds } }`,
      { input: { vaultId: vault.id, destinationVaultId: vault.id, resourceIds: [volume.id] } },
    );
    expect(res.data).toEqual({ migrateVaultResources: null });
    expectBadInput(res, { field: 'input.destinationVaultId', message: 'input.destinationVaultId: must differ from the source vault (input.vaultId)' });
    expect(stack.calls()).toEqual([]);
  });
});
