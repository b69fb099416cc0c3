/**
 * The gateway as a federation v2 subgraph, asked directly as a router asks it: `_service { sdl }` and `_entities`
 * batched through the request's loaders (upstream calls pinned), nulls in position, mixed types, bad
 * representations, the Server and Volume entities, and the credential and call-budget rules. The same subgraph inside a
 * real federation gateway: federation-gateway.test.ts.
 */
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { assertEntityUnion } from '../../src/gateway/federation';
import { createGatewaySchema, loadTypeDefs } from '../../src/gateway/schema';
import { addServer, addVault, addVolume, createCheckpoint, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { useStack } from '../helpers/stack';

const P = PROJECT_A;
const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Vault { id name }
      ... on Backup { id resourceId }
      ... on RestorePoint { id }
      ... on Policy { id name }
      ... on Task { id operationType }
      ... on ShareMember { backupId destinationProjectId status }
      ... on VbsPolicy { id name }
      ... on Server { id latestBackup { id } }
      ... on Volume { id vault { id } }
    }
  }
`;

/** Sends `_entities` for `representations`; returns the answer. */
function entities(stack: ReturnType<typeof useStack>, representations: unknown[], options?: Parameters<typeof stack.execute>[2]) {
  return stack.execute(ENTITIES, { representations }, options);
}

describe('the entity list', () => {
  it('accepts the gateway schema, and refuses one whose _Entity union misses a @key type', () => {
    expect(() => assertEntityUnion(createGatewaySchema())).not.toThrow();
    const missing = buildSchema(`
      directive @key(fields: String!) repeatable on OBJECT
      type Vault @key(fields: "id") { id: ID! }
      type Backup @key(fields: "id") { id: ID! }
      union _Entity = Vault
      type Query { vault: Vault backup: Backup entity: _Entity }
    `);
    expect(() => assertEntityUnion(missing)).toThrow('Federation entities differ: @key types [Backup,Vault], _Entity [Vault]');
  });
});

describe('the subgraph on its own', () => {
  const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });

  it('serves schema/ as written as `_service.sdl`, with the federation @link and the @key of every entity', async () => {
    const res = await stack.execute('{ _service { sdl } }');
    const sdl: string = res.data._service.sdl;
    expect(sdl).toBe(loadTypeDefs().join('\n'));
    expect(sdl).toContain('extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])');
    for (const type of ['Vault', 'Backup', 'RestorePoint', 'Policy', 'Task', 'VbsPolicy', 'Server', 'Volume']) {
      expect(sdl).toContain(`type ${type} @key(fields: "id") {`);
    }
    expect(sdl).toContain('type ShareMember @key(fields: "backupId destinationProjectId") {');
    // Routers add the federation definitions themselves: the served SDL must not define them again.
    const defined = parse(sdl).definitions.map((d) => ('name' in d && d.name ? d.name.value : d.kind));
    expect(defined).not.toContain('key');
    expect(defined.filter((name) => name.startsWith('_'))).toEqual([]);
    expect(stack.calls()).toEqual([]);
  });

  it('resolves 100 vault representations with ONE upstream call, as a 100-vault list costs; unknown ids are null in position', async () => {
    const vaults = Array.from({ length: 100 }, (_, i) => addVault(stack.emu.emulator, P, { name: `v${i}` }));
    const representations = vaults.map((v) => ({ __typename: 'Vault', id: v.id }));
    representations.splice(50, 0, { __typename: 'Vault', id: 'no-such-vault' });
    representations.push({ __typename: 'Vault', id: vaults[3]!.id });

    const res = await entities(stack, representations);
    expect(res.errors).toBeUndefined();
    const answered = res.data._entities as Array<{ __typename: string; id: string; name: string } | null>;
    expect(answered).toHaveLength(102);
    expect(answered[50]).toBeNull();
    expect(answered.slice(0, 50).map((v) => v?.name)).toEqual(vaults.slice(0, 50).map((v) => v.name));
    expect(answered.slice(51, 101).map((v) => v?.id)).toEqual(vaults.slice(50).map((v) => v.id));
    expect(answered[101]).toEqual({ __typename: 'Vault', id: vaults[3]!.id, name: 'v3' });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=1000`]);

    stack.clearCalls();
    await stack.execute('{ vaults(first: 100) { nodes { id name } } }');
    expect(stack.calls()).toHaveLength(1);
  });

  it('reads one representation of a type with the by-id call', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'only' });
    const res = await entities(stack, [{ __typename: 'Vault', id: vault.id }]);
    expect(res).toEqual({ data: { _entities: [{ __typename: 'Vault', id: vault.id, name: 'only' }] } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults/${vault.id}`]);
  });

  it('resolves 20 servers with their vault and latest backup in the fewest calls: 1 vault list + 1 backup list per server', async () => {
    const servers = Array.from({ length: 20 }, (_, i) => addServer(stack.emu.emulator, P, { name: `ecs-${i}` }));
    const vault = addVault(stack.emu.emulator, P, { name: 'servers', resources: servers, size: 2000 });
    await createCheckpoint(stack.emu, P, vault.id);
    const unprotected = addServer(stack.emu.emulator, P, { name: 'loose' });
    stack.clearCalls();

    const res = await stack.execute(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Server { id vault { name } latestBackup { resourceId status } } }
      }`,
      { representations: [...servers, unprotected].map((s) => ({ __typename: 'Server', id: s.id })) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      ...servers.map((s) => ({ id: s.id, vault: { name: 'servers' }, latestBackup: { resourceId: s.id, status: 'AVAILABLE' } })),
      { id: unprotected.id, vault: null, latestBackup: null },
    ]);
    const calls = stack.calls();
    expect(calls).toHaveLength(1 + 21);
    expect(calls.filter((c) => c.startsWith(`GET /v3/${P}/vaults?resource_ids=`))).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith(`GET /v3/${P}/backups?`) && c.includes('limit=1'))).toHaveLength(21);
  });

  it('answers Server.backups(first, orderBy) and Volume entities; ProtectedResource and Backup lead to them', async () => {
    const server = addServer(stack.emu.emulator, P, { name: 'ecs' });
    const volume = addVolume(stack.emu.emulator, P, { name: 'evs' });
    const serverVault = addVault(stack.emu.emulator, P, { name: 'sv', resources: [server] });
    const diskVault = addVault(stack.emu.emulator, P, { name: 'dv', resources: [volume] });
    await createCheckpoint(stack.emu, P, serverVault.id);
    await createCheckpoint(stack.emu, P, serverVault.id);
    await createCheckpoint(stack.emu, P, diskVault.id);
    stack.clearCalls();

    const res = await stack.execute(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Server { id backups(first: 1, orderBy: [{ field: CREATED_AT, direction: ASC }]) { totalCount edges { node { resourceId server { id } volume { id } } } } }
          ... on Volume { id vault { name } backups { totalCount } latestBackup { volume { id } } }
        }
      }`,
      { representations: [{ __typename: 'Server', id: server.id }, { __typename: 'Volume', id: volume.id }] },
    );
    expect(res).toEqual({
      data: {
        _entities: [
          { id: server.id, backups: { totalCount: 2, edges: [{ node: { resourceId: server.id, server: { id: server.id }, volume: null } }] } },
          { id: volume.id, vault: { name: 'dv' }, backups: { totalCount: 1 }, latestBackup: { volume: { id: volume.id } } },
        ],
      },
    });

    const resources = await stack.execute(`{ vaults { nodes { name resources { server { id } volume { id } } } } }`);
    expect(resources.data.vaults.nodes).toEqual(
      expect.arrayContaining([
        { name: 'sv', resources: [{ server: { id: server.id }, volume: null }] },
        { name: 'dv', resources: [{ server: null, volume: { id: volume.id } }] },
      ]),
    );
  });

  it('nulls a malformed representation alone, with BAD_USER_INPUT naming it, before any call for it', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'good' });
    const res = await entities(stack, [
      { __typename: 'Vault', id: 'a/b' },
      { __typename: 'Vault', id: vault.id },
      { __typename: 'Nope', id: 'x' },
      { __typename: 'ShareMember', backupId: 'b1' },
      'not an object',
    ]);
    expect(res.data._entities).toEqual([null, { __typename: 'Vault', id: vault.id, name: 'good' }, null, null, null]);
    const byPath = Object.fromEntries(res.errors!.map((e) => [e.path!.join('.'), e.extensions]));
    expect(byPath).toEqual({
      '_entities.0': { code: 'BAD_USER_INPUT', field: 'representations[0].id' },
      '_entities.2': { code: 'BAD_USER_INPUT', field: 'representations[2].__typename' },
      '_entities.3': { code: 'BAD_USER_INPUT', field: 'representations[3].destinationProjectId' },
      '_entities.4': { code: 'BAD_USER_INPUT', field: 'representations[4]' },
    });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults/${vault.id}`]);
  });

  it('obeys the credential rules of any query: no token and no gateway credentials is UNAUTHENTICATED, with no call', async () => {
    const vault = addVault(stack.emu.emulator, P);
    const res = await entities(stack, [{ __typename: 'Vault', id: vault.id }], { token: null });
    expect(res.data._entities).toEqual([null]);
    expect(res.errors).toEqual([expect.objectContaining({ path: ['_entities', 0], extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    expect(stack.calls()).toEqual([]);
  });

  it("acts with the caller's token in the caller's project: another project's vault is null", async () => {
    const mine = addVault(stack.emu.emulator, P, { name: 'mine' });
    const theirs = addVault(stack.emu.emulator, stack.emu.otherProject.id, { name: 'theirs' });
    const res = await entities(stack, [
      { __typename: 'Vault', id: mine.id },
      { __typename: 'Vault', id: theirs.id },
    ]);
    expect(res.data._entities).toEqual([{ __typename: 'Vault', id: mine.id, name: 'mine' }, null]);
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=1000`]);
  });
});

describe('every entity type in one call', () => {
  // The demo dataset has one of everything: policies, VBS policies, backups, tasks and a pending share.
  const stack = useStack({ emulator: { demo: true, clock: { start: T0, mode: 'frozen' } } });

  it('resolves mixed types in order, each type batched through its own loader', async () => {
    const list = async (path: string) => (await stack.emu.call('GET', path)).body;
    const [vaults, policies, backups, tasks, vbs] = await Promise.all([
      list(`/v3/${P}/vaults`),
      list(`/v3/${P}/policies`),
      list(`/v3/${P}/backups?limit=5`),
      list(`/v3/${P}/operation-logs?limit=1`),
      list(`/v2/${P}/backuppolicy`),
    ]);
    const shared = (await list(`/v3/${P}/backups?name=before-jenkins-upgrade`)).backups as Array<{ id: string; parent_id: string | null }>;
    const members = (await list(`/v3/${P}/backups/${shared.find((b) => !b.parent_id)!.id}/members`)).members as Array<{ backup_id: string; dest_project_id: string }>;
    const [v0, v1] = vaults.vaults;
    const [p0, p1] = policies.policies;
    const [b0, b1] = backups.backups;
    const [t0] = tasks.operation_logs;
    const [vbs0] = vbs.backup_policies;
    const [m0] = members;
    stack.clearCalls();

    const res = await entities(stack, [
      { __typename: 'Vault', id: v0.id },
      { __typename: 'Policy', id: p0.id },
      { __typename: 'Backup', id: b0.id },
      { __typename: 'Vault', id: v1.id },
      { __typename: 'Policy', id: p1.id },
      { __typename: 'Task', id: t0.id },
      { __typename: 'RestorePoint', id: b1.checkpoint_id },
      { __typename: 'ShareMember', backupId: m0!.backup_id, destinationProjectId: m0!.dest_project_id },
      { __typename: 'VbsPolicy', id: vbs0.backup_policy_id },
      { __typename: 'Backup', id: b0.id },
      { __typename: 'Task', id: 'no-such-task' },
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { __typename: 'Vault', id: v0.id, name: v0.name },
      { __typename: 'Policy', id: p0.id, name: p0.name },
      { __typename: 'Backup', id: b0.id, resourceId: b0.resource_id },
      { __typename: 'Vault', id: v1.id, name: v1.name },
      { __typename: 'Policy', id: p1.id, name: p1.name },
      { __typename: 'Task', id: t0.id, operationType: expect.any(String) },
      { __typename: 'RestorePoint', id: b1.checkpoint_id },
      { __typename: 'ShareMember', backupId: m0!.backup_id, destinationProjectId: m0!.dest_project_id, status: 'PENDING' },
      { __typename: 'VbsPolicy', id: vbs0.backup_policy_id, name: vbs0.backup_policy_name },
      { __typename: 'Backup', id: b0.id, resourceId: b0.resource_id },
      null,
    ]);
    // Two vaults: the list; two policies: the list; the rest by id (the API has no batch read for them), b0 once.
    expect([...stack.calls()].sort()).toEqual(
      [
        `GET /v3/${P}/vaults?limit=1000`,
        `GET /v3/${P}/policies`,
        `GET /v3/${P}/backups/${b0.id}`,
        `GET /v3/${P}/operation-logs/${t0.id}`,
        `GET /v3/${P}/operation-logs/no-such-task`,
        `GET /v3/${P}/checkpoints/${b1.checkpoint_id}`,
        `GET /v3/${P}/backups/${m0!.backup_id}/members/${m0!.dest_project_id}`,
        `GET /v2/${P}/backuppolicy`,
      ].sort(),
    );
  });
});

describe('the call budget and the query limits', () => {
  const stack = useStack({ gateway: { maxUpstreamCallsPerRequest: 2, limits: { maxDepth: 4 } } });

  it('applies the query limits to _entities: a selection deeper than maxDepth is refused before any call', async () => {
    const res = await stack.execute(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Server { latestBackup { vault { policy { id } } } } } }`,
      { r: [{ __typename: 'Server', id: 's1' }] },
    );
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([expect.objectContaining({ message: 'The operation is 5 levels deep; at most 4 are allowed', extensions: { code: 'BAD_USER_INPUT' } })]);
    expect(stack.calls()).toEqual([]);
  });

  it('applies to _entities as to any query: past it, the entities that need more calls are null with TOO_MANY_UPSTREAM_CALLS', async () => {
    // Unknown task ids: each costs one GET answered 404 (null, no error) until the budget is spent.
    const res = await entities(stack, ['t1', 't2', 't3'].map((id) => ({ __typename: 'Task', id })));
    expect(stack.calls()).toHaveLength(2);
    expect(res.data._entities).toEqual([null, null, null]);
    expect(res.errors).toEqual([
      expect.objectContaining({ path: ['_entities', expect.any(Number)], extensions: { code: 'TOO_MANY_UPSTREAM_CALLS' } }),
    ]);
  });
});
