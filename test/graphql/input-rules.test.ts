/**
 * The rules every argument shares (src/gateway/inputs/common.ts): one id check for by-id lookups, filter ids and
 * mutation ids; filters refuse empty values and over-long id lists; every TagInput is trimmed and bounded alike.
 * Each refusal is BAD_USER_INPUT naming the argument path, with no upstream call.
 */
import { describe, expect, it } from 'vitest';
import { T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { expectBadInput } from '../helpers/graphql';
import { useStack } from '../helpers/stack';

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

const ID_MESSAGE = 'must be an id: 1–64 letters, digits, "-" or "_"';
const EMPTY_MESSAGE = 'must not be empty: leave the filter out to apply no condition';
const UUID = '00000000-0000-4000-a000-000000000000';

/** Ids the audit sent: a path, nothing, a query string, a blank, a comma list, a path climb, 20,000 characters. */
const MALFORMED_IDS: Array<[label: string, id: string]> = [
  ['a/b', 'a/b'],
  ['empty', ''],
  ['x?y=1', 'x?y=1'],
  ['a blank', ' '],
  ['a,b', 'a,b'],
  ['../policies', '../policies'],
  ['20,000 characters', 'x'.repeat(20_000)],
];

describe('ids', () => {
  it.each(MALFORMED_IDS)('refuses the id %s of a vault lookup naming id, without a call', async (_, id) => {
    const res = await stack.execute(`query ($id: ID!) { vault(id: $id) { id } }`, { id });
    expect(res.data).toEqual({ vault: null });
    expectBadInput(res, { field: 'id', message: `id: ${ID_MESSAGE}` });
    expect(stack.calls()).toEqual([]);
  });

  it.each(MALFORMED_IDS)('refuses the id %s of updateVault naming input.id, without a call', async (_, id) => {
    const res = await stack.execute(`mutation ($id: ID!) { updateVault(input: { id: $id, name: "x" }) { vault { id } } }`, { id });
    expect(res.data).toEqual({ updateVault: null });
    expectBadInput(res, { field: 'input.id', message: `input.id: ${ID_MESSAGE}` });
    expect(stack.calls()).toEqual([]);
  });

  // Every by-id lookup, vbsPolicy included (it used to answer null for "" while the others refused it).
  it.each([
    ['vault', 'id', `query ($v: ID!) { vault(id: $v) { id } }`],
    ['backup', 'id', `query ($v: ID!) { backup(id: $v) { id } }`],
    ['task', 'id', `query ($v: ID!) { task(id: $v) { id } }`],
    ['policy', 'id', `query ($v: ID!) { policy(id: $v) { id } }`],
    ['restorePoint', 'id', `query ($v: ID!) { restorePoint(id: $v) { id } }`],
    ['vbsPolicy', 'id', `query ($v: ID!) { vbsPolicy(id: $v) { id } }`],
    ['protectedResource', 'id', `query ($v: ID!) { protectedResource(id: $v) { id } }`],
    ['shareMembers', 'backupId', `query ($v: ID!) { shareMembers(backupId: $v) { totalCount } }`],
    ['shareMember', 'memberId', `query ($v: ID!) { shareMember(backupId: "b-1", memberId: $v) { id } }`],
  ])('refuses an empty id on %s naming %s, without a call', async (name, field, query) => {
    const res = await stack.execute(query, { v: '' });
    expect(res.data).toEqual({ [name]: null });
    expectBadInput(res, { field, message: `${field}: ${ID_MESSAGE}` });
    expect(stack.calls()).toEqual([]);
  });

  it.each([
    ['vaults', { id: 'a/b' }, 'filter.id', 'VaultFilter', `vaults(filter: $f) { totalCount }`],
    ['vaults', { policyId: 'a/b' }, 'filter.policyId', 'VaultFilter', `vaults(filter: $f) { totalCount }`],
    ['vaults', { resourceIds: [UUID, 'a/b'] }, 'filter.resourceIds[1]', 'VaultFilter', `vaults(filter: $f) { totalCount }`],
    ['vaults', { resourceIds: ['a,b'] }, 'filter.resourceIds[0]', 'VaultFilter', `vaults(filter: $f) { totalCount }`],
    ['backups', { vaultId: 'a/b' }, 'filter.vaultId', 'BackupFilter', `backups(filter: $f) { totalCount }`],
    ['backups', { resourceId: ' ' }, 'filter.resourceId', 'BackupFilter', `backups(filter: $f) { totalCount }`],
    ['backups', { restorePointId: 'x?y=1' }, 'filter.restorePointId', 'BackupFilter', `backups(filter: $f) { totalCount }`],
    ['backups', { parentId: '' }, 'filter.parentId', 'BackupFilter', `backups(filter: $f) { totalCount }`],
    ['tasks', { vaultId: 'a/b' }, 'filter.vaultId', 'TaskFilter', `tasks(filter: $f) { totalCount }`],
    ['tasks', { resourceId: '' }, 'filter.resourceId', 'TaskFilter', `tasks(filter: $f) { totalCount }`],
    ['tasks', { providerId: 'a,b' }, 'filter.providerId', 'TaskFilter', `tasks(filter: $f) { totalCount }`],
    ['policies', { vaultId: '' }, 'filter.vaultId', 'PolicyFilter', `policies(filter: $f) { totalCount }`],
    ['shareMembers', { vaultId: 'a/b' }, 'filter.vaultId', 'ShareMemberFilter', `shareMembers(backupId: "b-1", filter: $f) { totalCount }`],
    ['shareMembers', { imageId: '' }, 'filter.imageId', 'ShareMemberFilter', `shareMembers(backupId: "b-1", filter: $f) { totalCount }`],
    ['shareMembers', { destinationProjectId: ' ' }, 'filter.destinationProjectId', 'ShareMemberFilter', `shareMembers(backupId: "b-1", filter: $f) { totalCount }`],
  ])('refuses a malformed filter id on %s: %j at %s, without a call', async (name, filter, path, type, field) => {
    const res = await stack.execute(`query ($f: ${type}) { ${field} }`, { f: filter });
    expect(res.data).toEqual({ [name]: null });
    expectBadInput(res, { field: path, message: `${path}: ${ID_MESSAGE}` });
    expect(stack.calls()).toEqual([]);
  });

  const VAULT = UUID;
  it.each([
    ['deleteVault', 'input.id', `deleteVault(input: { id: "" }) { deletedVaultId }`],
    ['deletePolicy', 'input.id', `deletePolicy(input: { id: "" }) { deletedPolicyId }`],
    ['deleteVbsPolicy', 'input.id', `deleteVbsPolicy(input: { id: "" }) { deletedVbsPolicyId }`],
    ['updateVault', 'input.id', `updateVault(input: { id: "../policies", name: "x" }) { vault { id } }`],
    ['updatePolicy', 'input.id', `updatePolicy(input: { id: "a/b", name: "x" }) { policy { id } }`],
    ['updateVbsPolicy', 'input.id', `updateVbsPolicy(input: { id: " ", name: "x" }) { policyId }`],
    ['executeVbsPolicy', 'input.id', `executeVbsPolicy(input: { id: "a/b" }) { policyId }`],
    ['deleteBackup', 'input.backupId', `deleteBackup(input: { backupId: " " }) { deletedBackupId }`],
    ['restoreBackup', 'input.serverId', `restoreBackup(input: { backupId: "b-1", serverId: "a/b" }) { backup { id } }`],
    ['restoreBackup', 'input.mappings[0].volumeId', `restoreBackup(input: { backupId: "b-1", mappings: [{ backupId: "b-2", volumeId: "a,b" }] }) { backup { id } }`],
    ['associateVaultPolicy', 'input.policyId', `associateVaultPolicy(input: { vaultId: "${VAULT}", policyId: "a/b" }) { vaultId }`],
    ['associateVaultPolicy', 'input.destinationVaultId', `associateVaultPolicy(input: { vaultId: "${VAULT}", policyId: "p", destinationVaultId: "" }) { vaultId }`],
    ['dissociateVaultPolicy', 'input.vaultId', `dissociateVaultPolicy(input: { vaultId: "", policyId: "p" }) { vaultId }`],
    ['addVaultResources', 'input.resources[0].id', `addVaultResources(input: { vaultId: "${VAULT}", resources: [{ id: "a/b", type: SERVER }] }) { addedResourceIds }`],
    ['addVaultResources', 'input.resources[0].excludedVolumeIds[1]', `addVaultResources(input: { vaultId: "${VAULT}", resources: [{ id: "s", type: SERVER, excludedVolumeIds: ["d", " "] }] }) { addedResourceIds }`],
    ['removeVaultResources', 'input.vaultId', `removeVaultResources(input: { vaultId: "x?y=1", resourceIds: ["r"] }) { removedResourceIds }`],
    ['removeVaultResources', 'input.resourceIds[1]', `removeVaultResources(input: { vaultId: "${VAULT}", resourceIds: ["r", "a,b"] }) { removedResourceIds }`],
    ['migrateVaultResources', 'input.destinationVaultId', `migrateVaultResources(input: { vaultId: "${VAULT}", destinationVaultId: "a/b", resourceIds: ["r"] }) { migratedResourceIds }`],
    ['createRestorePoint', 'input.vaultId', `createRestorePoint(input: { vaultId: "a/b" }) { restorePoint { id } }`],
    ['createRestorePoint', 'input.resourceIds[0]', `createRestorePoint(input: { vaultId: "${VAULT}", resourceIds: [""] }) { restorePoint { id } }`],
    ['createRestorePoint', 'input.resources[0].id', `createRestorePoint(input: { vaultId: "${VAULT}", resources: [{ id: "a/b", type: DISK }] }) { restorePoint { id } }`],
    ['addShareMembers', 'input.projectIds[1]', `addShareMembers(input: { backupId: "b-1", projectIds: ["p", "a/b"] }) { members { id } }`],
    ['updateShareMemberStatus', 'input.memberId', `updateShareMemberStatus(input: { backupId: "b-1", memberId: "a/b", status: REJECTED }) { member { id } }`],
    ['deleteShareMember', 'input.backupId', `deleteShareMember(input: { backupId: "a/b", memberId: "m" }) { deletedMemberId }`],
    ['associateVbsPolicyResources', 'input.resourceIds[0]', `associateVbsPolicyResources(input: { policyId: "p", resourceIds: ["a/b"] }) { failed { resourceId } }`],
    ['disassociateVbsPolicyResources', 'input.policyId', `disassociateVbsPolicyResources(input: { policyId: "", resourceIds: ["r"] }) { failed { resourceId } }`],
    ['createVault', 'input.policyId', `createVault(input: { name: "v", billing: { objectType: DISK, sizeGb: 10 }, policyId: "a/b" }) { vault { id } }`],
    ['createVault', 'input.resources[0].id', `createVault(input: { name: "v", billing: { objectType: DISK, sizeGb: 10 }, resources: [{ id: "", type: DISK }] }) { vault { id } }`],
  ])('refuses a malformed id in %s naming %s, without a call', async (name, field, mutation) => {
    const res = await stack.execute(`mutation { ${mutation} }`);
    expect(res.data).toEqual({ [name]: null });
    expectBadInput(res, { field, message: `${field}: ${ID_MESSAGE}` });
    expect(stack.calls()).toEqual([]);
  });
});

describe('filters', () => {
  const uuids = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`);

  it('refuses more than 100 resource ids naming filter.resourceIds, without a call (2000 ids used to fail upstream with 431)', async () => {
    const res = await stack.execute(`query ($r: [ID!]) { vaults(filter: { resourceIds: $r }) { totalCount } }`, { r: uuids(2000) });
    expect(res.data).toEqual({ vaults: null });
    expectBadInput(res, { field: 'filter.resourceIds', message: 'filter.resourceIds: must list at most 100 ids' });
    expect(stack.calls()).toEqual([]);
  });

  it('sends 100 resource ids in one call', async () => {
    const ids = uuids(100);
    const res = await stack.execute(`query ($r: [ID!]) { vaults(filter: { resourceIds: $r }) { totalCount } }`, { r: ids });
    expect(res).toEqual({ data: { vaults: { totalCount: 0 } } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=20&resource_ids=${ids.join('%2C')}`]);
  });

  it.each([
    ['vaults', { resourceIds: [] }, 'filter.resourceIds', 'VaultFilter', `vaults(filter: $f) { totalCount }`],
    ['vaults', { name: '' }, 'filter.name', 'VaultFilter', `vaults(filter: $f) { totalCount }`],
    ['backups', { status: [] }, 'filter.status', 'BackupFilter', `backups(filter: $f) { totalCount }`],
    ['backups', { name: '' }, 'filter.name', 'BackupFilter', `backups(filter: $f) { totalCount }`],
    ['backups', { resourceName: '' }, 'filter.resourceName', 'BackupFilter', `backups(filter: $f) { totalCount }`],
    ['backups', { resourceAz: '' }, 'filter.resourceAz', 'BackupFilter', `backups(filter: $f) { totalCount }`],
    ['tasks', { resourceName: '' }, 'filter.resourceName', 'TaskFilter', `tasks(filter: $f) { totalCount }`],
    ['tasks', { vaultName: '' }, 'filter.vaultName', 'TaskFilter', `tasks(filter: $f) { totalCount }`],
  ])('refuses an empty filter value on %s: %j at %s, without a call', async (name, filter, path, type, field) => {
    const res = await stack.execute(`query ($f: ${type}) { ${field} }`, { f: filter });
    expect(res.data).toEqual({ [name]: null });
    expectBadInput(res, { field: path, message: `${path}: ${EMPTY_MESSAGE}` });
    expect(stack.calls()).toEqual([]);
  });

  it('refuses an empty id filter the same way as a malformed one', async () => {
    const res = await stack.execute(`{ vaults(filter: { id: "" }) { totalCount } }`);
    expectBadInput(res, { field: 'filter.id', message: `filter.id: ${ID_MESSAGE}` });
    expect(stack.calls()).toEqual([]);
  });
});

describe('TagInput', () => {
  const CREATE = `mutation ($input: CreateVaultInput!) { createVault(input: $input) { vault { id tags { key value } autoBindTags { key value } } } }`;
  const billing = { objectType: 'DISK', sizeGb: 10 };

  it('trims automatic-association tags as it trims vault tags', async () => {
    const res = await stack.execute(CREATE, {
      input: { name: 'v', billing, tags: [{ key: ' k ', value: ' v ' }], autoBind: true, autoBindTags: [{ key: ' a ', value: ' x ' }] },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.createVault.vault).toMatchObject({ tags: [{ key: 'k', value: 'v' }], autoBindTags: [{ key: 'a', value: 'x' }] });
  });

  it('trims the automatic-association tags of updateVault', async () => {
    const id = (await stack.execute(CREATE, { input: { name: 'v', billing } })).data.createVault.vault.id;
    const res = await stack.execute(
      `mutation ($id: ID!) { updateVault(input: { id: $id, autoBindTags: [{ key: " a ", value: " x " }] }) { vault { autoBindTags { key value } } } }`,
      { id },
    );
    expect(res).toEqual({ data: { updateVault: { vault: { autoBindTags: [{ key: 'a', value: 'x' }] } } } });
  });

  it.each([
    ['createVault', { autoBindTags: [{ key: 'k'.repeat(37), value: 'x' }] }, 'input.autoBindTags[0].key', 'Too big: expected string to have <=36 characters'],
    ['createVault', { autoBindTags: [{ key: 'k', value: 'v'.repeat(44) }] }, 'input.autoBindTags[0].value', 'Too big: expected string to have <=43 characters'],
    ['createVault', { autoBindTags: [{ key: '  ', value: 'x' }] }, 'input.autoBindTags[0].key', 'Too small: expected string to have >=1 characters'],
    ['createVault', { tags: [{ key: 'k', value: 'a' }, { key: ' k ', value: 'b' }] }, 'input.tags[1].key', 'duplicate tag key k'],
    ['createVault', { tags: [{ key: 'a=b', value: '' }] }, 'input.tags[0].key', 'can contain only letters, digits, hyphens (-) and underscores (_)'],
  ])('refuses in %s %j at %s, without a call', async (_, extra, field, message) => {
    const res = await stack.execute(CREATE, { input: { name: 'v', billing, ...extra } });
    expectBadInput(res, { field, message: `${field}: ${message}` });
    expect(stack.calls()).toEqual([]);
  });

  it('refuses a 37-character automatic-association key in updateVault', async () => {
    const res = await stack.execute(`mutation ($t: [TagInput!]) { updateVault(input: { id: "v", autoBindTags: $t }) { vault { id } } }`, {
      t: [{ key: 'k'.repeat(37), value: 'x' }],
    });
    expectBadInput(res, { field: 'input.autoBindTags[0].key', message: 'input.autoBindTags[0].key: Too big: expected string to have <=36 characters' });
    expect(stack.calls()).toEqual([]);
  });

  it('accepts Unicode letters in vault tags (the vault Tag table allows letters)', async () => {
    const res = await stack.execute(CREATE, { input: { name: 'v', billing, tags: [{ key: 'schlüssel', value: 'wert' }] } });
    expect(res.data.createVault.vault.tags).toEqual([{ key: 'schlüssel', value: 'wert' }]);
  });

  it('accepts one key with several values in automatic association: a resource carrying any of them matches', async () => {
    const tags = [{ key: 'env', value: 'prod' }, { key: 'env', value: 'test' }];
    const res = await stack.execute(CREATE, { input: { name: 'v', billing, autoBind: true, autoBindTags: tags } });
    expect(res.data.createVault.vault.autoBindTags).toEqual(tags);
  });

  it('trims the tags of a VBS policy and refuses a repeated key', async () => {
    const CREATE_VBS = `mutation ($t: [TagInput!]) { createVbsPolicy(input: { name: "p", schedule: { startTimes: ["02:00"], frequencyDays: 1, retentionCount: 7 }, tags: $t }) { policyId } }`;
    const trimmed = await stack.execute(CREATE_VBS, { t: [{ key: ' k ', value: ' v ' }] });
    expect(trimmed.errors).toBeUndefined();
    expect(stack.calls()).toEqual([`POST /v2/${P}/backuppolicy`]);
    stack.clearCalls();
    const repeated = await stack.execute(CREATE_VBS, { t: [{ key: 'k', value: 'a' }, { key: 'k ', value: 'b' }] });
    expectBadInput(repeated, { field: 'input.tags[1].key', message: 'input.tags[1].key: duplicate tag key k' });
    expect(stack.calls()).toEqual([]);
  });
});
