/**
 * Lists whose items fail one by one, through the gateway against the emulator, each query run twice: interpreted by
 * graphql-js, then compiled by graphql-jit. Both answers must be the same, item for item, with the errors at the
 * items' paths. `_entities` is the one list of OUR schema whose items are promises (one lookup per representation);
 * graphql-jit misplaced the null of a failed one (src/gateway/list-items.ts) when it failed out of order: a malformed
 * representation (refused at once) or a lookup of another loader than the items before it; without list-items.ts the
 * first three cases below lose the last item or add a fourth. Failures of one loader settle in key order, which hid
 * it. The nested case (plain items whose own edge fails for one of them) graphql-jit always answered right.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addServer, addVault, backupsOf, createCheckpoint } from '../helpers/builders';
import { startStack, type GraphQLResponse, type Stack } from '../helpers/stack';

const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) { __typename ... on Backup { id resourceId } }
  }
`;

describe('list items failing one by one, interpreted then compiled', () => {
  let stack: Stack;
  let P: string;
  let backups: Array<{ id: string; resource_id: string; checkpoint_id: string }>;
  let vaultId: string;

  beforeAll(async () => {
    // The first run of a document is interpreted (graphql-js), the next ones compiled (graphql-jit).
    stack = await startStack({ gateway: { compileAfterRuns: 1 } });
    P = stack.emu.project.id;
    const servers = [0, 1, 2].map((i) => addServer(stack.emu.emulator, P, { name: `ecs-${i}` }));
    const vault = addVault(stack.emu.emulator, P, { name: 'three', resources: servers, size: 1000 });
    vaultId = vault.id;
    const checkpoint = await createCheckpoint(stack.emu, P, vault.id);
    const byResource = new Map((await backupsOf(stack.emu, P, checkpoint.id)).map((b) => [b.resource_id, b]));
    backups = servers.map((s) => byResource.get(s.id)!);
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emu.emulator.faults.clear());

  /**
   * Runs `query` twice (the text made unique per case, so the first run is interpreted); both answers, with the
   * upstream request ids (one per call, so never the same twice) written `req-*`.
   */
  async function bothPaths(tag: string, query: string, variables: Record<string, unknown>): Promise<[GraphQLResponse, GraphQLResponse]> {
    const document = `${query} # ${tag}`;
    const runs: GraphQLResponse[] = [];
    for (let run = 0; run < 2; run++) {
      runs.push(JSON.parse(JSON.stringify(await stack.execute(document, variables)).replace(/req-[0-9a-f]+/g, 'req-*')));
    }
    return [runs[0]!, runs[1]!];
  }

  const entity = (b: { id: string; resource_id: string }) => ({ __typename: 'Backup', id: b.id, resourceId: b.resource_id });
  const backupRep = (index: number) => ({ __typename: 'Backup', id: backups[index]!.id });
  const vaultRep = () => ({ __typename: 'Vault', id: vaultId });
  /**
   * The vault lookup fails upstream (500, not retried) after `failMs`, the backup lookups answer after `okMs`. The
   * loaders settle a batch in key order, so a failing item must come from another loader than the items before it to
   * fail out of order, as in a router's batch of mixed entity types.
   */
  function failVault(failMs: number, okMs: number) {
    stack.emu.emulator.faults.set({
      rules: [
        { route: `GET /v3/${P}/vaults/*`, errorRate: 1, status: 500, latency: { minMs: failMs } },
        { route: `GET /v3/${P}/backups/*`, latency: { minMs: okMs } },
      ],
    });
  }
  const upstreamError = (path: Array<string | number>) => expect.objectContaining({ path, extensions: expect.objectContaining({ code: 'UPSTREAM_ERROR' }) });

  it('_entities: the last lookup fails before the others answer; its null stays last, the list keeps its length', async () => {
    failVault(0, 60);
    const [interpreted, compiled] = await bothPaths('last-first', ENTITIES, { representations: [backupRep(0), backupRep(1), vaultRep()] });
    expect(interpreted).toEqual({ data: { _entities: [entity(backups[0]!), entity(backups[1]!), null] }, errors: [upstreamError(['_entities', 2])] });
    expect(compiled).toEqual(interpreted);
  });

  it('_entities: a middle lookup fails after the others answered; no null is added past the end', async () => {
    failVault(60, 0);
    const [interpreted, compiled] = await bothPaths('middle-last', ENTITIES, { representations: [backupRep(0), vaultRep(), backupRep(2)] });
    expect(interpreted).toEqual({ data: { _entities: [entity(backups[0]!), null, entity(backups[2]!)] }, errors: [upstreamError(['_entities', 1])] });
    expect(compiled).toEqual(interpreted);
  });

  it('_entities: lookups of one loader failing one by one settle in order (the shape graphql-jit got right by luck)', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: `GET /v3/${P}/backups/${backups[0]!.id}`, errorRate: 1, status: 500 }] });
    const [interpreted, compiled] = await bothPaths('same-loader', ENTITIES, { representations: [0, 1, 2].map(backupRep) });
    expect(interpreted).toEqual({ data: { _entities: [null, entity(backups[1]!), entity(backups[2]!)] }, errors: [upstreamError(['_entities', 0])] });
    expect(compiled).toEqual(interpreted);
  });

  it('_entities: a malformed representation (refused at once, before any call) last in the list keeps its place', async () => {
    const [interpreted, compiled] = await bothPaths('malformed-last', ENTITIES, {
      representations: [...[0, 1, 2].map(backupRep), { __typename: 'Backup', id: 'a/b' }],
    });
    expect(interpreted.data).toEqual({ _entities: [...backups.map(entity), null] });
    expect(interpreted.errors).toEqual([
      expect.objectContaining({ path: ['_entities', 3], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'representations[3].id' }) }),
    ]);
    expect(compiled).toEqual(interpreted);
  });

  it("a list of plain items whose own edge fails for one of them: the item's field is null, the list whole", async () => {
    // The backups resolve, the restore point of the last fails: one GET per restore point id, the last one faulted.
    const [first] = backups;
    const other = await createCheckpoint(stack.emu, P, vaultId);
    const later = (await backupsOf(stack.emu, P, other.id)).find((b) => b.resource_id === first!.resource_id)!;
    stack.emu.emulator.faults.set({ rules: [{ route: `GET /v3/${P}/checkpoints/${other.id}`, errorRate: 1, status: 500 }] });
    const query = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) { ... on Backup { id restorePoint { id } } }
    }`;
    const [interpreted, compiled] = await bothPaths('nested', query, {
      representations: [first, later].map((b) => ({ __typename: 'Backup', id: b!.id })),
    });
    expect(interpreted).toEqual({
      data: { _entities: [{ id: first!.id, restorePoint: { id: first!.checkpoint_id } }, { id: later.id, restorePoint: null }] },
      errors: [upstreamError(['_entities', 1, 'restorePoint'])],
    });
    expect(compiled).toEqual(interpreted);
  });

  it('a non-null item list with several unreadable items: the same data; compiled reports each item, interpreted the first', async () => {
    // Known graphql-jit difference, left as is: no data differs (`backups` is null on both paths), only the count of
    // errors under the nulled list. Pinned so that a change on either side is noticed.
    const stored = stack.emu.emulator.state.project(P).backups;
    const originals = backups.map((b) => stored.get(b.id)!.created_at);
    try {
      for (const b of backups.slice(1)) stored.get(b.id)!.created_at = 'last tuesday';
      const [interpreted, compiled] = await bothPaths('unreadable', '{ backups(first: 5) { nodes { id createdAt } } }', {});
      const unreadable = (index: number) =>
        expect.objectContaining({ path: ['backups', 'nodes', index, 'createdAt'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(interpreted).toEqual({ data: { backups: null }, errors: [unreadable(interpreted.errors![0]!.path![2] as number)] });
      expect(compiled.data).toEqual(interpreted.data);
      expect(compiled.errors).toEqual([interpreted.errors![0], unreadable(compiled.errors![1]!.path![2] as number)]);
    } finally {
      backups.forEach((b, i) => (stored.get(b.id)!.created_at = originals[i]!));
    }
  });
});
