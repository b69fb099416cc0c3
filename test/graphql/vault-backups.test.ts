/**
 * `Vault.backups` under a vault list, end to end: when the request's complete vault list counts few backups in the
 * project, ONE project-wide `GET /backups` answers every vault (loaders/backup-plan.ts); every answer equals what the
 * per-vault calls give, and anything the plan cannot answer exactly (filters, later pages, an incomplete project page,
 * an incomplete vault list) keeps the per-vault calls.
 */
import { describe, expect, it } from 'vitest';
import { addServer, addVault, createCheckpoint, T0 } from '../helpers/builders';
import { PROJECT_A, PROJECT_B } from '../helpers/emulator';
import { useStack } from '../helpers/stack';

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;
const DEFAULT_SORT = 'sort=created_at%3Adesc%2Cid%3Adesc';
const PROJECT_PAGE = `GET /v3/${P}/backups?${DEFAULT_SORT}&limit=100`;

/** Three server vaults: "prod" (2 servers, 3 runs), "test" (1 server, 2 runs), "empty". */
async function seed(projectId: string = P, token?: string) {
  const emulator = stack.emu.emulator;
  const prod = addVault(emulator, projectId, { name: 'prod', resources: [addServer(emulator, projectId, { name: 'web' }), addServer(emulator, projectId, { name: 'db' })], size: 10_000 });
  const test = addVault(emulator, projectId, { name: 'test', resources: [addServer(emulator, projectId, { name: 'ci' })], size: 10_000 });
  const empty = addVault(emulator, projectId, { name: 'empty', size: 100 });
  for (let run = 1; run <= 3; run++) {
    await createCheckpoint(stack.emu, projectId, prod.id, { name: `prod-${run}` }, token);
    if (run <= 2) await createCheckpoint(stack.emu, projectId, test.id, { name: `test-${run}` }, token);
    emulator.clock.advance(60_000);
  }
  stack.clearCalls();
  return { prod, test, empty };
}

const NODE = 'totalCount pageInfo { hasNextPage } nodes { id name resourceName vault { name } }';

async function ok(query: string, variables?: Record<string, unknown>, options?: Parameters<typeof stack.execute>[2]) {
  const res = await stack.execute(query, variables, options);
  expect(res.errors).toBeUndefined();
  return res.data;
}

/** Each vault's page read the way that cannot be planned (the top-level list filtered by one vault), keyed by name. */
async function perVault(vaults: Array<{ id: string; name: string }>, args: string, filter = '') {
  const aliases = vaults.map((v, i) => `v${i}: backups(filter: { vaultId: "${v.id}" ${filter} }${args}) { ${NODE} }`).join('\n');
  const data = await ok(`{ ${aliases} }`);
  stack.clearCalls();
  return Object.fromEntries(vaults.map((v, i) => [v.name, data[`v${i}`]]));
}

const byName = (vaults: { nodes: Array<{ name: string; backups: unknown }> }) => Object.fromEntries(vaults.nodes.map((v) => [v.name, v.backups]));

describe('Vault.backups of a complete vault list of a small project', () => {
  it('costs one project page, split by vault, equal to the per-vault answers', async () => {
    const { prod, test, empty } = await seed();
    const expected = await perVault([prod, test, empty], ', first: 2');
    expect(expected.prod.totalCount).toBe(6);
    expect(expected.prod.pageInfo.hasNextPage).toBe(true);
    expect(expected.test.totalCount).toBe(2);
    expect(expected.empty).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false }, nodes: [] });

    const data = await ok(`{ vaults { nodes { name backups(first: 2) { ${NODE} } } } }`);
    expect(byName(data.vaults)).toEqual(expected);
    expect(stack.calls().sort()).toEqual([PROJECT_PAGE, `GET /v3/${P}/vaults?limit=20`].sort());
  });

  it('orderBy: one project page per order, each equal to the per-vault answers', async () => {
    const { prod, test, empty } = await seed();
    const order = 'orderBy: [{ field: NAME, direction: ASC }]';
    const byNameAsc = await perVault([prod, test, empty], `, first: 3, ${order}`);
    const newest = await perVault([prod, test, empty], ', first: 1');
    expect(byNameAsc.prod.nodes.map((b: { name: string }) => b.name)).toEqual(['prod-1', 'prod-1', 'prod-2']);

    const data = await ok(`{ vaults { nodes { name a: backups(first: 3, ${order}) { ${NODE} } b: backups(first: 1) { ${NODE} } } } }`);
    expect(Object.fromEntries(data.vaults.nodes.map((v: any) => [v.name, v.a]))).toEqual(byNameAsc);
    expect(Object.fromEntries(data.vaults.nodes.map((v: any) => [v.name, v.b]))).toEqual(newest);
    expect(stack.calls().sort()).toEqual(
      [`GET /v3/${P}/vaults?limit=20`, PROJECT_PAGE, `GET /v3/${P}/backups?sort=name%3Aasc&limit=100`].sort(),
    );
  });

  it('a filter or a later page keeps the per-vault calls', async () => {
    const { prod, test, empty } = await seed();
    const after = Buffer.from('offset:0').toString('base64url');
    const filtered = await perVault([prod, test, empty], ', first: 2', 'resourceName: "web"');
    const later = await perVault([prod, test, empty], `, first: 2, after: "${after}"`);

    const data = await ok(`{ vaults { nodes { name
      f: backups(first: 2, filter: { resourceName: "web" }) { ${NODE} }
      l: backups(first: 2, after: "${after}") { ${NODE} } } } }`);
    expect(Object.fromEntries(data.vaults.nodes.map((v: any) => [v.name, v.f]))).toEqual(filtered);
    expect(Object.fromEntries(data.vaults.nodes.map((v: any) => [v.name, v.l]))).toEqual(later);
    expect(stack.calls().sort()).toEqual(
      [
        `GET /v3/${P}/vaults?limit=20`,
        ...[prod, test, empty].flatMap((v) => [
          `GET /v3/${P}/backups?resource_name=web&vault_id=${v.id}&${DEFAULT_SORT}&limit=2`,
          `GET /v3/${P}/backups?vault_id=${v.id}&${DEFAULT_SORT}&limit=2&offset=1`,
        ]),
      ].sort(),
    );
  });
});

describe('Vault.backups without a plan', () => {
  it('a vault list that is not the whole project (a first page of 2 of 3 vaults) keeps the per-vault calls', async () => {
    await seed();
    const data = await ok(`{ vaults(first: 2) { totalCount nodes { id name backups(first: 2) { ${NODE} } } } }`);
    expect(data.vaults.totalCount).toBe(3);
    const listed = data.vaults.nodes as Array<{ id: string; name: string }>;
    expect(stack.calls().sort()).toEqual(
      [`GET /v3/${P}/vaults?limit=2`, ...listed.map((v) => `GET /v3/${P}/backups?vault_id=${v.id}&${DEFAULT_SORT}&limit=2`)].sort(),
    );
    stack.clearCalls();
    expect(byName(data.vaults)).toEqual(await perVault(listed, ', first: 2'));
  });

  it('a project page that is incomplete (backups the vault list does not count) falls back to per-vault calls', async () => {
    const { prod, test, empty } = await seed();
    // 100 backups of a server no vault protects any more: in `prod`, but no resource of the vault counts them.
    const project = stack.emu.emulator.state.project(P);
    const model = [...project.backups.values()].find((b) => b.vault_id === prod.id && !b.parent_id)!;
    for (let i = 0; i < 100; i++) {
      const id = stack.emu.emulator.ids.uuid();
      project.backups.set(id, { ...model, id, name: `orphan-${i}`, resource_id: 'removed-server', resource_name: 'removed' });
    }
    const expected = await perVault([prod, test, empty], ', first: 2');
    expect(expected.prod.totalCount).toBe(106);

    const data = await ok(`{ vaults { nodes { name backups(first: 2) { ${NODE} } } } }`);
    expect(byName(data.vaults)).toEqual(expected);
    expect(stack.calls().sort()).toEqual(
      [
        `GET /v3/${P}/vaults?limit=20`,
        PROJECT_PAGE,
        ...[prod, test, empty].map((v) => `GET /v3/${P}/backups?vault_id=${v.id}&${DEFAULT_SORT}&limit=2`),
      ].sort(),
    );
  });

  it('a failing project page nulls each vault backups field with the error; the vaults stand', async () => {
    await seed();
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/backups', errorRate: 1, status: 500, times: 1 }] });
    const res = await stack.execute(`{ vaults { nodes { name backups(first: 2) { totalCount } } } }`);
    expect(res.data?.vaults.nodes.map((v: any) => [v.name, v.backups]).sort()).toEqual([['empty', null], ['prod', null], ['test', null]]);
    expect(res.errors).toHaveLength(3);
    for (const error of res.errors!) {
      expect(error).toEqual(expect.objectContaining({ path: ['vaults', 'nodes', expect.any(Number), 'backups'], extensions: expect.objectContaining({ code: 'UPSTREAM_ERROR' }) }));
    }
    expect(stack.calls()).toHaveLength(2);
  });
});

describe('Vault.backups plans never leak across requests', () => {
  it('a second request reads again and sees a backup made in between', async () => {
    const { prod } = await seed();
    const query = `{ vaults { nodes { name backups(first: 1) { totalCount nodes { name } } } } }`;
    const before = byName((await ok(query)).vaults);
    expect(before.prod).toEqual({ totalCount: 6, nodes: [{ name: 'prod-3' }] });

    await createCheckpoint(stack.emu, P, prod.id, { name: 'prod-4' });
    stack.clearCalls();
    const after = byName((await ok(query)).vaults);
    expect(after.prod).toEqual({ totalCount: 8, nodes: [{ name: 'prod-4' }] });
    expect(after.test).toEqual(before.test);
    expect(stack.calls().sort()).toEqual([PROJECT_PAGE, `GET /v3/${P}/vaults?limit=20`].sort());
  });

  it('two projects asking at once each get their own page', async () => {
    // Tokens of B issued when used (the frozen clock moves on with every seed).
    const tokenB = () => stack.emu.emulator.identity.issueToken(PROJECT_B).token;
    await seed(P);
    await seed(PROJECT_B, tokenB());
    const query = `{ vaults { nodes { id backups(first: 3) { totalCount nodes { vaultId } } } } }`;
    const [a, b] = await Promise.all([ok(query), ok(query, undefined, { token: tokenB(), projectId: PROJECT_B })]);
    for (const data of [a, b]) {
      expect(data.vaults.nodes.map((v: any) => v.backups.totalCount).sort()).toEqual([0, 2, 6]);
      // Each vault's share holds its own backups only.
      for (const vault of data.vaults.nodes) expect(vault.backups.nodes.every((n: any) => n.vaultId === vault.id)).toBe(true);
    }
    const vaultIds = (data: any) => data.vaults.nodes.map((v: any) => v.id);
    expect(vaultIds(a).filter((id: string) => vaultIds(b).includes(id))).toEqual([]);
    expect(stack.calls().filter((c) => c.includes('/backups?')).sort()).toEqual(
      [PROJECT_PAGE, `GET /v3/${PROJECT_B}/backups?${DEFAULT_SORT}&limit=100`].sort(),
    );
  });
});
