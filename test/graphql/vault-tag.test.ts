/**
 * Vault tags end to end: tagVault/untagVault with their upstream calls and refusals, the project's tag keys, and the
 * tag filter of `vaults` answered by the API's tag query (paging, combined filters, refused combinations).
 */
import { describe, expect, it } from 'vitest';
import { addVault, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { expectBadInput } from '../helpers/graphql';
import { useStack } from '../helpers/stack';

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

const TAG = `mutation ($input: TagVaultInput!) { tagVault(input: $input) { vault { id tags { key value } } } }`;
const UNTAG = `mutation ($input: UntagVaultInput!) { untagVault(input: $input) { vault { tags { key value } } } }`;

async function tag(vaultId: string, tags: Array<{ key: string; value: string }>) {
  const res = await stack.execute(TAG, { input: { vaultId, tags } });
  expect(res.errors).toBeUndefined();
}

describe('tagVault / untagVault', () => {
  it('adds tags (an existing key takes the new value) and removes them by key, one call each plus the vault re-read', async () => {
    const vault = addVault(stack.emu.emulator, P);
    const res = await stack.execute(TAG, { input: { vaultId: vault.id, tags: [{ key: ' env ', value: 'prod' }, { key: 'team', value: 'web' }] } });
    expect(res).toEqual({ data: { tagVault: { vault: { id: vault.id, tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'web' }] } } } });
    expect(stack.calls()).toEqual([`POST /v3/${P}/vault/${vault.id}/tags/action`, `GET /v3/${P}/vaults/${vault.id}`]);

    await tag(vault.id, [{ key: 'env', value: 'test' }]);
    stack.clearCalls();
    const removed = await stack.execute(UNTAG, { input: { vaultId: vault.id, keys: ['team', 'absent'] } });
    expect(removed).toEqual({ data: { untagVault: { vault: { tags: [{ key: 'env', value: 'test' }] } } } });
    expect(stack.calls()).toEqual([`POST /v3/${P}/vault/${vault.id}/tags/action`, `GET /v3/${P}/vaults/${vault.id}`]);
  });

  it('refuses repeated keys and a bad key before any call, naming the input path', async () => {
    const repeated = await stack.execute(TAG, { input: { vaultId: 'v-1', tags: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] } });
    expectBadInput(repeated, { field: 'input.tags[1].key', message: 'input.tags[1].key: duplicate tag key a' });
    const badKey = await stack.execute(UNTAG, { input: { vaultId: 'v-1', keys: ['x'.repeat(37)] } });
    expect(badKey.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.keys[0]' });
    const none = await stack.execute(UNTAG, { input: { vaultId: 'v-1', keys: [] } });
    expect(none.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.keys' });
    expect(stack.calls()).toEqual([]);
  });

  it('passes the 10-tag limit on as BAD_USER_INPUT with the upstream code (6600), and an unknown vault as NOT_FOUND', async () => {
    const vault = addVault(stack.emu.emulator, P);
    await tag(vault.id, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: 'v' })));
    const full = await stack.execute(TAG, { input: { vaultId: vault.id, tags: [{ key: 'k10', value: 'v' }] } });
    expect(full.errors?.[0]).toMatchObject({ path: ['tagVault'], extensions: { code: 'BAD_USER_INPUT', upstream: { status: 400, code: 'BackupService.6600' } } });
    const unknown = await stack.execute(TAG, { input: { vaultId: '00000000-0000-4000-a000-000000000000', tags: [{ key: 'a', value: 'b' }] } });
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', upstream: { code: 'BackupService.6105' } } });
  });
});

describe('vaultTagKeys', () => {
  it('lists every key of the project with its values, in one call', async () => {
    const a = addVault(stack.emu.emulator, P, { name: 'a' });
    const b = addVault(stack.emu.emulator, P, { name: 'b' });
    await tag(a.id, [{ key: 'env', value: 'prod' }]);
    await tag(b.id, [{ key: 'env', value: 'test' }, { key: 'team', value: '' }]);
    stack.clearCalls();
    const res = await stack.execute(`{ vaultTagKeys { key values } }`);
    expect(res).toEqual({ data: { vaultTagKeys: [{ key: 'env', values: ['prod', 'test'] }, { key: 'team', values: [''] }] } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vault/tags`]);
  });
});

describe('vaults(filter: { tags })', () => {
  async function tagged() {
    const prodWeb = addVault(stack.emu.emulator, P, { name: 'prod-web' });
    const prodDb = addVault(stack.emu.emulator, P, { name: 'prod-db', objectType: 'disk' });
    const testWeb = addVault(stack.emu.emulator, P, { name: 'test-web' });
    addVault(stack.emu.emulator, P, { name: 'bare' });
    await tag(prodWeb.id, [{ key: 'env', value: 'prod' }, { key: 'team', value: 'web' }]);
    await tag(prodDb.id, [{ key: 'env', value: 'prod' }]);
    await tag(testWeb.id, [{ key: 'env', value: 'test' }, { key: 'team', value: 'web' }]);
    stack.clearCalls();
  }
  const LIST = `query ($f: VaultFilter, $first: Int, $after: String) {
    vaults(filter: $f, first: $first, after: $after) { totalCount nodes { name billing { objectType } tags { key value } } pageInfo { hasNextPage endCursor } }
  }`;

  it('finds vaults by all of some tags in one tag-query call, whose vaults need no further read', async () => {
    await tagged();
    const res = await stack.execute(LIST, { f: { tags: [{ key: 'env', values: ['prod'] }] } });
    expect(res.errors).toBeUndefined();
    expect(res.data.vaults.totalCount).toBe(2);
    expect(res.data.vaults.nodes.map((v: any) => [v.name, v.billing.objectType])).toEqual([
      ['prod-db', 'DISK'],
      ['prod-web', 'SERVER'],
    ]);
    expect(stack.calls()).toEqual([`POST /v3/${P}/vault/resource_instances/action`]);
  });

  it('combines tagsAny, withoutAnyTag, name and objectType as the tag query does, and pages with its total', async () => {
    await tagged();
    const names = async (f: object, first = 20) => (await stack.execute(LIST, { f, first })).data.vaults.nodes.map((v: any) => v.name);
    expect(await names({ tagsAny: [{ key: 'team' }, { key: 'env', values: ['nope'] }] })).toEqual(['test-web', 'prod-web']);
    expect(await names({ withoutAnyTag: true })).toEqual(['bare']);
    expect(await names({ tags: [{ key: 'env' }], name: 'web', objectType: 'SERVER' })).toEqual(['test-web', 'prod-web']);
    const first = (await stack.execute(LIST, { f: { tags: [{ key: 'env' }] }, first: 2 })).data.vaults;
    const second = (await stack.execute(LIST, { f: { tags: [{ key: 'env' }] }, first: 2, after: first.pageInfo.endCursor })).data.vaults;
    expect([first.totalCount, first.pageInfo.hasNextPage, second.nodes.map((v: any) => v.name), second.pageInfo.hasNextPage]).toEqual([3, true, ['prod-web'], false]);
  });

  it('refuses filters the tag query cannot take, naming them, without a call; without tags the vault list answers', async () => {
    const res = await stack.execute(LIST, { f: { tags: [{ key: 'env' }], status: 'AVAILABLE' } });
    expectBadInput(res, { field: 'filter.status', message: "filter.status: cannot be combined with a tag filter (the API's tag query does not take it)" });
    const tooLong = await stack.execute(LIST, { f: { tags: [{ key: 'k'.repeat(128) }] } });
    expect(tooLong.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.tags[0].key' });
    expect(stack.calls()).toEqual([]);
    await stack.execute(LIST, { f: { tags: [], name: 'x' } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=20&name=x`]);
  });
});
