/**
 * Vault tags over REST: one vault's tags, create one (an existing key takes the new value), batch create and delete,
 * delete one (404 6601 for a missing key), the 10-tag limit (6600), the project's keys, and the query of vaults by
 * tags with every condition kind, paging and `count`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_A, startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { addVault, T0 } from '../helpers/builders';

const base = `/v3/${PROJECT_A}/vault`;

describe('vault tags', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ lifecycle: 'immediate', clock: { mode: 'frozen', start: T0 } });
  });
  beforeEach(() => emu.reset());
  afterAll(() => emu.close());

  const tagsOf = async (vaultId: string) => (await emu.call('GET', `${base}/${vaultId}/tags`)).body;

  it('creates one tag, updates its value, batch-creates and batch-deletes, and deletes one; GET /vaults agrees', async () => {
    const vault = addVault(emu.emulator, PROJECT_A);
    expect(await tagsOf(vault.id)).toEqual({ tags: [] });
    expect((await emu.call('POST', `${base}/${vault.id}/tags`, { tag: { key: 'env', value: 'test' } })).status).toBe(204);
    expect((await emu.call('POST', `${base}/${vault.id}/tags`, { tag: { key: ' env ', value: 'prod' } })).status).toBe(204);
    expect(await tagsOf(vault.id)).toEqual({ tags: [{ key: 'env', value: 'prod' }] });

    const batch = await emu.call('POST', `${base}/${vault.id}/tags/action`, { action: 'create', tags: [{ key: 'team', value: 'web' }, { key: 'tier', value: '' }] });
    expect(batch.status).toBe(204);
    expect((await emu.call('GET', `/v3/${PROJECT_A}/vaults/${vault.id}`)).body.vault.tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'team', value: 'web' },
      { key: 'tier', value: '' },
    ]);
    // A value given with a delete must match; a key the vault lacks is skipped.
    await emu.call('POST', `${base}/${vault.id}/tags/action`, { action: 'delete', tags: [{ key: 'team', value: 'other' }, { key: 'tier' }, { key: 'nope' }] });
    expect(await tagsOf(vault.id)).toEqual({ tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'web' }] });

    expect((await emu.call('DELETE', `${base}/${vault.id}/tags/env`)).status).toBe(204);
    expect(await tagsOf(vault.id)).toEqual({ tags: [{ key: 'team', value: 'web' }] });
    const missing = await emu.call('DELETE', `${base}/${vault.id}/tags/env`);
    expect([missing.status, missing.body]).toEqual([404, { error_code: 'BackupService.6601', error_msg: 'The key does not exist.' }]);
  });

  it('refuses an 11th tag (6600), a bad key (9900), an unknown action (9900) and an unknown vault (6105)', async () => {
    const vault = addVault(emu.emulator, PROJECT_A);
    const ten = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect((await emu.call('POST', `${base}/${vault.id}/tags/action`, { action: 'create', tags: ten })).status).toBe(204);
    const eleventh = await emu.call('POST', `${base}/${vault.id}/tags`, { tag: { key: 'k10', value: 'v' } });
    expect([eleventh.status, eleventh.body.error_code]).toEqual([400, 'BackupService.6600']);
    const badKey = await emu.call('POST', `${base}/${vault.id}/tags`, { tag: { key: 'a=b', value: 'v' } });
    expect([badKey.status, badKey.body.error_code]).toEqual([400, 'BackupService.9900']);
    const badAction = await emu.call('POST', `${base}/${vault.id}/tags/action`, { action: 'update', tags: ten });
    expect([badAction.status, badAction.body.error_code]).toEqual([400, 'BackupService.9900']);
    const unknown = await emu.call('GET', `${base}/00000000-0000-4000-a000-000000000000/tags`);
    expect([unknown.status, unknown.body.error_code]).toEqual([404, 'BackupService.6105']);
  });

  it('lists the keys of the project with their values', async () => {
    const a = addVault(emu.emulator, PROJECT_A, { name: 'a' });
    const b = addVault(emu.emulator, PROJECT_A, { name: 'b' });
    await emu.call('POST', `${base}/${a.id}/tags/action`, { action: 'create', tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'web' }] });
    await emu.call('POST', `${base}/${b.id}/tags/action`, { action: 'create', tags: [{ key: 'env', value: 'test' }] });
    expect((await emu.call('GET', `${base}/tags`)).body).toEqual({
      tags: [
        { key: 'env', values: ['prod', 'test'] },
        { key: 'team', values: ['web'] },
      ],
    });
  });

  it('finds vaults by tags (all, any, not, none, without any), name and object type, pages them and counts them', async () => {
    const prodWeb = addVault(emu.emulator, PROJECT_A, { name: 'prod-web' });
    const prodDb = addVault(emu.emulator, PROJECT_A, { name: 'prod-db', objectType: 'disk' });
    const test = addVault(emu.emulator, PROJECT_A, { name: 'test-web' });
    const bare = addVault(emu.emulator, PROJECT_A, { name: 'bare' });
    await emu.call('POST', `${base}/${prodWeb.id}/tags/action`, { action: 'create', tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'web' }] });
    await emu.call('POST', `${base}/${prodDb.id}/tags/action`, { action: 'create', tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'db' }] });
    await emu.call('POST', `${base}/${test.id}/tags/action`, { action: 'create', tags: [{ key: 'env', value: 'test' }, { key: 'team', value: 'web' }] });
    const names = async (body: object) => {
      const res = await emu.call('POST', `${base}/resource_instances/action`, { action: 'filter', ...body });
      expect(res.status).toBe(200);
      return [res.body.total_count, res.body.resources.map((r: any) => r.resource_name)];
    };
    expect(await names({ tags: [{ key: 'env', values: ['prod'] }] })).toEqual([2, ['prod-db', 'prod-web']]);
    expect(await names({ tags: [{ key: 'env', values: [] }, { key: 'team', values: ['web'] }] })).toEqual([2, ['test-web', 'prod-web']]);
    expect(await names({ tags_any: [{ key: 'team', values: ['db'] }, { key: 'env', values: ['test'] }] })).toEqual([2, ['test-web', 'prod-db']]);
    expect(await names({ not_tags_any: [{ key: 'env', values: ['prod'] }] })).toEqual([2, ['bare', 'test-web']]);
    expect(await names({ not_tags: [{ key: 'env', values: ['prod'] }, { key: 'team', values: ['web'] }] })).toEqual([3, ['bare', 'test-web', 'prod-db']]);
    expect(await names({ without_any_tag: true })).toEqual([1, ['bare']]);
    expect(await names({ tags: [{ key: 'env', values: ['prod'] }], object_type: 'server', matches: [{ key: 'resource_name', value: 'web' }] })).toEqual([1, ['prod-web']]);
    expect(await names({ tags: [{ key: 'env', values: ['prod'] }], limit: '1', offset: '1' })).toEqual([2, ['prod-web']]);

    const first = (await emu.call('POST', `${base}/resource_instances/action`, { action: 'filter', tags: [{ key: 'team', values: ['db'] }] })).body.resources[0];
    expect(first).toEqual({
      resource_id: prodDb.id,
      resource_name: 'prod-db',
      resource_detail: { vault: expect.objectContaining({ id: prodDb.id, billing: expect.objectContaining({ object_type: 'disk' }) }) },
      tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'db' }],
    });
    const count = await emu.call('POST', `${base}/resource_instances/action`, { action: 'count', tags: [{ key: 'env', values: ['prod'] }] });
    expect(count.body).toEqual({ total_count: 2 });
    const bad = await emu.call('POST', `${base}/resource_instances/action`, { action: 'filter', limit: 10 });
    expect([bad.status, bad.body.error_code]).toEqual([400, 'BackupService.9900']);
  });
});
