import { describe, expect, it } from 'vitest';
import { addServer, addVault, addVolume, createCheckpoint, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { expectBadInput } from '../helpers/graphql';
import { useStack } from '../helpers/stack';

/** Every field of Vault and VaultBilling (the "all fields" query of the Vault type). */
const VAULT_FIELDS = /* GraphQL */ `
  fragment VaultFields on Vault {
    id
    name
    description
    projectId
    providerId
    enterpriseProjectId
    userId
    createdAt
    billing {
      sizeGb
      allocatedGb
      usedMb
      objectType
      protectType
      consistentLevel
      chargingMode
      cloudType
      specCode
      status
      orderId
      productId
      storageUnit
      frozenScene
      isMultiAz
    }
    resources { id name type }
    tags { key value }
    autoBind
    autoBindTags { key value }
    autoExpand
    smnNotify
    thresholdPercent
    policy { id }
    replicationPolicy { id }
    backupNamePrefix
    demandBilling
    cbcDeleteCount
    frozen
    locked
    availabilityZone
    updatedAt
    version
    usedPercent
  }
`;

const CREATE = /* GraphQL */ `
  mutation ($input: CreateVaultInput!) {
    createVault(input: $input) { vault { ...VaultFields } }
  }
  ${VAULT_FIELDS}
`;

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

async function createVault(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await stack.execute(`mutation ($input: CreateVaultInput!) { createVault(input: $input) { vault { id } } }`, {
    input: { name, billing: { objectType: 'SERVER', sizeGb: 100 }, ...extra },
  });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createVault.vault.id;
}

async function createPolicy(name: string): Promise<string> {
  const res = await stack.execute(`mutation ($input: CreatePolicyInput!) { createPolicy(input: $input) { policy { id } } }`, {
    input: {
      name,
      operationType: 'BACKUP',
      operationDefinition: { maxBackups: 10 },
      pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=3;BYMINUTE=00'],
    },
  });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createPolicy.policy.id;
}

describe('createVault', () => {
  it('creates a vault with resources, tags and automatic association, and answers every field', async () => {
    const server = addServer(stack.emu.emulator, P, { name: 'web-1' });
    const res = await stack.execute(CREATE, {
      input: {
        name: 'vault-web',
        description: 'web servers',
        billing: { objectType: 'SERVER', sizeGb: 100 },
        resources: [{ id: server.id, type: 'SERVER' }],
        tags: [{ key: 'env', value: 'prod' }],
        autoBind: true,
        autoBindTags: [{ key: 'backup', value: 'daily' }],
        backupNamePrefix: 'web',
      },
    });
    expect(res.errors).toBeUndefined();
    const vault = res.data.createVault.vault;
    expect(vault).toEqual({
      id: expect.any(String),
      name: 'vault-web',
      description: 'web servers',
      projectId: P,
      providerId: '0daac4c5-6707-4851-97ba-169e36266b66',
      enterpriseProjectId: '0',
      userId: expect.any(String),
      createdAt: '2024-03-01T08:00:00.000Z',
      billing: {
        sizeGb: 100,
        allocatedGb: 40,
        usedMb: 0,
        objectType: 'SERVER',
        protectType: 'BACKUP',
        consistentLevel: 'CRASH_CONSISTENT',
        chargingMode: 'POST_PAID',
        cloudType: 'PUBLIC',
        specCode: 'vault.backup.server.normal',
        status: 'AVAILABLE',
        orderId: null,
        productId: null,
        storageUnit: null,
        frozenScene: null,
        isMultiAz: false,
      },
      resources: [{ id: server.id, name: 'web-1', type: 'SERVER' }],
      tags: [{ key: 'env', value: 'prod' }],
      autoBind: true,
      autoBindTags: [{ key: 'backup', value: 'daily' }],
      autoExpand: false,
      smnNotify: true,
      thresholdPercent: 80,
      policy: null,
      replicationPolicy: null,
      backupNamePrefix: 'web',
      demandBilling: true,
      cbcDeleteCount: 0,
      frozen: false,
      locked: false,
      availabilityZone: null,
      updatedAt: '2024-03-01T08:00:00.000Z',
      version: null,
      usedPercent: 0,
    });
    // One POST, then the policy list for `policy`/`replicationPolicy` (the created vault itself is not re-read).
    expect(stack.calls()).toEqual([`POST /v3/${P}/vaults`, `GET /v3/${P}/policies`]);
  });

  it('applies a backup policy given at creation, visible as Vault.policy', async () => {
    const policyId = await createPolicy('nightly');
    stack.clearCalls();
    const res = await stack.execute(
      `mutation ($input: CreateVaultInput!) { createVault(input: $input) { vault { name policy { id name } replicationPolicy { id } } } }`,
      { input: { name: 'with-policy', billing: { objectType: 'DISK', sizeGb: 50 }, policyId } },
    );
    expect(res).toEqual({ data: { createVault: { vault: { name: 'with-policy', policy: { id: policyId, name: 'nightly' }, replicationPolicy: null } } } });
    expect(stack.calls()).toEqual([`POST /v3/${P}/vaults`, `GET /v3/${P}/policies`]);
  });

  it('rejects a size below 10 GB with BAD_USER_INPUT naming input.billing.sizeGb, before any upstream call', async () => {
    const res = await stack.execute(CREATE, { input: { name: 'small', billing: { objectType: 'DISK', sizeGb: 5 } } });
    expect(res.data).toEqual({ createVault: null });
    expect(res.errors).toEqual([
      {
        message: 'input.billing.sizeGb: Too small: expected number to be >=10',
        locations: [{ line: 3, column: 5 }],
        path: ['createVault'],
        extensions: { code: 'BAD_USER_INPUT', field: 'input.billing.sizeGb' },
      },
    ]);
    expect(stack.calls()).toEqual([]);
  });

  it('names the offending resource and tag by index', async () => {
    const tooLongKey = 'k'.repeat(37);
    const tag = await stack.execute(CREATE, {
      input: { name: 'v', billing: { objectType: 'DISK', sizeGb: 10 }, tags: [{ key: 'ok', value: '' }, { key: tooLongKey, value: 'x' }] },
    });
    expect(tag.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.tags[1].key' });
    expect(tag.errors?.[0]?.message).toBe('input.tags[1].key: Too big: expected string to have <=36 characters');

    const resource = await stack.execute(CREATE, {
      input: { name: 'v', billing: { objectType: 'SERVER', sizeGb: 10 }, resources: [{ id: 's1', type: 'SERVER', excludedVolumeIds: [''] }] },
    });
    expect(resource.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.resources[0].excludedVolumeIds[0]' });
    expect(stack.calls()).toEqual([]);
  });

  it('sends isAutoRenew, isAutoPay and consoleUrl as billing fields, checked by the wire rules (1–255 characters)', async () => {
    const billing = { objectType: 'DISK', sizeGb: 10, isAutoRenew: false, isAutoPay: true, consoleUrl: 'https://console.example/cbr' };
    const ok = await stack.execute(CREATE, { input: { name: 'paid', billing } });
    expect(ok.errors).toBeUndefined();
    expect(stack.calls()).toEqual([`POST /v3/${P}/vaults`, `GET /v3/${P}/policies`]);
    stack.clearCalls();
    const bad = await stack.execute(CREATE, { input: { name: 'paid', billing: { ...billing, consoleUrl: 'x'.repeat(256) } } });
    expectBadInput(bad, { field: 'input.billing.consoleUrl', message: 'input.billing.consoleUrl: Too big: expected string to have <=255 characters' });
    expect(stack.calls()).toEqual([]);
  });

  it('reads locked and frozen from the vault status', async () => {
    const id = await createVault('locked');
    stack.emu.emulator.state.project(P).vaults.get(id)!.billing.status = 'lock';
    const res = await stack.execute(`query ($id: ID!) { vault(id: $id) { frozen locked billing { status } } }`, { id });
    expect(res).toEqual({ data: { vault: { frozen: false, locked: true, billing: { status: 'LOCKED' } } } });
  });

  it('rejects UNKNOWN as an input value', async () => {
    const res = await stack.execute(CREATE, { input: { name: 'v', billing: { objectType: 'UNKNOWN', sizeGb: 10 } } });
    expectBadInput(res, { field: 'input.billing.objectType', message: 'input.billing.objectType: UNKNOWN cannot be sent to the upstream' });
    expect(stack.calls()).toEqual([]);
  });

  it('passes the upstream refusal of a resource of the wrong kind on as BAD_USER_INPUT with the upstream details', async () => {
    const volume = addVolume(stack.emu.emulator, P);
    const res = await stack.execute(CREATE, {
      input: { name: 'v', billing: { objectType: 'SERVER', sizeGb: 10 }, resources: [{ id: volume.id, type: 'DISK' }] },
    });
    expect(res.data).toEqual({ createVault: null });
    expect(res.errors).toHaveLength(1);
    const error = res.errors![0]!;
    expect(error.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      upstream: { status: 400, code: expect.stringMatching(/^BackupService\.\d{4}$/), message: error.message, requestId: expect.stringMatching(/^req-/) },
    });
    expect(stack.calls()).toEqual([`POST /v3/${P}/vaults`]);
  });
});

describe('vault queries', () => {
  it('reads a vault by id with one GET', async () => {
    const id = await createVault('one');
    stack.clearCalls();
    const res = await stack.execute(`query ($id: ID!) { vault(id: $id) { id name billing { sizeGb objectType status } } }`, { id });
    expect(res).toEqual({ data: { vault: { id, name: 'one', billing: { sizeGb: 100, objectType: 'SERVER', status: 'AVAILABLE' } } } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults/${id}`]);
  });

  it('answers a used capacity beyond GraphQL Int (2^31 MB, about 2 PB) as the number it is', async () => {
    const volume = addVolume(stack.emu.emulator, P, { sizeGb: 3_000_000 });
    const vault = addVault(stack.emu.emulator, P, { name: 'huge', size: 10_485_760, resources: [volume] });
    await createCheckpoint(stack.emu, P, vault.id);
    const res = await stack.execute(`query ($id: ID!) { vault(id: $id) { billing { sizeGb usedMb } } }`, { id: vault.id });
    expect(res).toEqual({ data: { vault: { billing: { sizeGb: 10_485_760, usedMb: 3_000_000 * 1024 } } } });
  });

  it('answers null for a vault that does not exist (upstream 404)', async () => {
    const res = await stack.execute(`{ vault(id: "00000000-0000-4000-a000-000000000000") { id } }`);
    expect(res).toEqual({ data: { vault: null } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults/00000000-0000-4000-a000-000000000000`]);
  });

  it('reads several vaults by id with ONE call to the whole list (its id filter takes one id); missing ones are null', async () => {
    const a = await createVault('a');
    const b = await createVault('b');
    stack.clearCalls();
    const res = await stack.execute(`query ($a: ID!, $b: ID!) { a: vault(id: $a) { name } b: vault(id: $b) { name } c: vault(id: "missing") { name } again: vault(id: $a) { id } }`, { a, b });
    expect(res).toEqual({ data: { a: { name: 'a' }, b: { name: 'b' }, c: null, again: { id: a } } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=1000`]);
  });

  it('reads the whole list past 1000 vaults with the further pages in parallel', async () => {
    const vaults = Array.from({ length: 1001 }, (_, i) => addVault(stack.emu.emulator, P, { name: `v${i}` }));
    const [oldest, newest] = [vaults[0]!, vaults[1000]!]; // the list is newest first: the oldest is on page 2
    stack.clearCalls();
    const res = await stack.execute(`query ($a: ID!, $b: ID!) { a: vault(id: $a) { name } b: vault(id: $b) { name } }`, { a: oldest.id, b: newest.id });
    expect(res).toEqual({ data: { a: { name: 'v0' }, b: { name: 'v1000' } } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=1000`, `GET /v3/${P}/vaults?limit=1000&offset=1000`]);
  });

  it('serves 20 vaults with their policy and resources in 2 upstream calls, not 22', async () => {
    const policyId = await createPolicy('daily');
    for (let i = 0; i < 20; i++) {
      const server = addServer(stack.emu.emulator, P, { name: `srv-${i}` });
      await createVault(`v-${String(i).padStart(2, '0')}`, { resources: [{ id: server.id, type: 'SERVER' }], ...(i % 2 === 0 ? { policyId } : {}) });
    }
    stack.clearCalls();
    const res = await stack.execute(`{ vaults(first: 20) { totalCount nodes { name policy { name } resources { name vault { name } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.vaults.totalCount).toBe(20);
    expect(res.data.vaults.nodes).toHaveLength(20);
    const v00 = res.data.vaults.nodes.find((v: { name: string }) => v.name === 'v-00');
    const v01 = res.data.vaults.nodes.find((v: { name: string }) => v.name === 'v-01');
    expect(v00).toEqual({ name: 'v-00', policy: { name: 'daily' }, resources: [{ name: 'srv-0', vault: { name: 'v-00' } }] });
    expect(v01).toEqual({ name: 'v-01', policy: null, resources: [{ name: 'srv-1', vault: { name: 'v-01' } }] });
    // Sent together (policy.test.ts pins that the policy list does not wait for the page), so either may be logged first.
    expect(stack.calls().sort()).toEqual([`GET /v3/${P}/policies`, `GET /v3/${P}/vaults?limit=20`]);
  });

  it('pages forwards to the end with opaque cursors, one call per page', async () => {
    for (const name of ['v1', 'v2', 'v3', 'v4', 'v5']) await createVault(name);
    stack.clearCalls();
    const PAGE = `query ($after: String) { vaults(first: 2, after: $after) { totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
    const names: string[] = [];
    const pages: unknown[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await stack.execute(PAGE, { after });
      expect(res.errors).toBeUndefined();
      const page = res.data.vaults;
      pages.push(page.pageInfo);
      names.push(...page.edges.map((e: { node: { name: string } }) => e.node.name));
      expect(page.totalCount).toBe(5);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    // The emulator lists newest first.
    expect(names).toEqual(['v5', 'v4', 'v3', 'v2', 'v1']);
    expect(pages.map((p: any) => [p.hasNextPage, p.hasPreviousPage])).toEqual([[true, false], [true, true], [false, true]]);
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=2`, `GET /v3/${P}/vaults?limit=2&offset=2`, `GET /v3/${P}/vaults?limit=2&offset=4`]);
  });

  it('answers an empty page after the last item with null cursors', async () => {
    await createVault('only');
    const first = await stack.execute(`{ vaults(first: 1) { pageInfo { endCursor } } }`);
    const res = await stack.execute(`query ($after: String) { vaults(after: $after) { totalCount nodes { name } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, {
      after: first.data.vaults.pageInfo.endCursor,
    });
    expect(res).toEqual({
      data: { vaults: { totalCount: 1, nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } } },
    });
  });

  it('sends every filter as the upstream query parameter', async () => {
    const server = addServer(stack.emu.emulator, P);
    const policyId = await createPolicy('p');
    const match = await createVault('match-me', { resources: [{ id: server.id, type: 'SERVER' }], policyId });
    await createVault('other');
    stack.clearCalls();
    const res = await stack.execute(
      `query ($f: VaultFilter) { vaults(filter: $f) { totalCount nodes { id } } }`,
      {
        f: {
          id: match,
          name: 'match',
          objectType: 'SERVER',
          protectType: 'BACKUP',
          cloudType: 'PUBLIC',
          status: 'AVAILABLE',
          policyId,
          resourceIds: [server.id],
        },
      },
    );
    expect(res).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ id: match }] } } });
    expect(stack.calls()).toEqual([
      `GET /v3/${P}/vaults?limit=20&id=${match}&name=match&object_type=server&protect_type=backup&cloud_type=public&status=available&policy_id=${policyId}&resource_ids=${server.id}`,
    ]);
  });

  it('narrows by a single filter', async () => {
    await createVault('disk-vault', { billing: { objectType: 'DISK', sizeGb: 20 } });
    await createVault('server-vault');
    const res = await stack.execute(`{ vaults(filter: { objectType: DISK }) { totalCount nodes { name billing { objectType } } } }`);
    expect(res).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ name: 'disk-vault', billing: { objectType: 'DISK' } }] } } });
  });

  it('runs identical list fields of one request once', async () => {
    await createVault('x');
    stack.clearCalls();
    const res = await stack.execute(`{ a: vaults { totalCount } b: vaults { nodes { name } } }`);
    expect(res).toEqual({ data: { a: { totalCount: 1 }, b: { nodes: [{ name: 'x' }] } } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=20`]);
  });

  it('primes the by-id loader from the list: a vault listed is not read again', async () => {
    const id = await createVault('x');
    stack.clearCalls();
    const res = await stack.execute(`query ($id: ID!) { vaults { nodes { id } } vault(id: $id) { name } }`, { id });
    expect(res.data.vault).toEqual({ name: 'x' });
    // Both fields start in the same tick: the by-id GET is already batched when the list arrives, so the saving
    // shows in nested edges (resources' vault, policy vaults), not here. This pins what actually happens.
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=20`, `GET /v3/${P}/vaults/${id}`]);
  });

  it('rejects a page size outside 1–1000 and a foreign cursor with BAD_USER_INPUT', async () => {
    const big = await stack.execute(`{ vaults(first: 1001) { totalCount } }`);
    expectBadInput(big, { field: 'first', message: 'first must be between 1 and 1000, got 1001' });
    const cursor = await stack.execute(`{ vaults(after: "not-a-cursor") { totalCount } }`);
    expectBadInput(cursor, { field: 'after', message: 'after is not a cursor of this API; pass an endCursor or an edge cursor you received' });
    expect(stack.calls()).toEqual([]);
  });
});

describe('updateVault and deleteVault', () => {
  it('changes name, size and notification settings and answers the updated vault', async () => {
    const id = await createVault('before');
    stack.clearCalls();
    const res = await stack.execute(
      `mutation ($input: UpdateVaultInput!) { updateVault(input: $input) { vault { id name billing { sizeGb } autoBind autoBindTags { key value } autoExpand smnNotify thresholdPercent } } }`,
      { input: { id, name: 'after', sizeGb: 200, autoBind: true, autoBindTags: [{ key: 'a', value: 'b' }], autoExpand: true, smnNotify: false, thresholdPercent: 90 } },
    );
    expect(res).toEqual({
      data: {
        updateVault: {
          vault: { id, name: 'after', billing: { sizeGb: 200 }, autoBind: true, autoBindTags: [{ key: 'a', value: 'b' }], autoExpand: true, smnNotify: false, thresholdPercent: 90 },
        },
      },
    });
    expect(stack.calls()).toEqual([`PUT /v3/${P}/vaults/${id}`]);
  });

  it('rejects a threshold above 100 naming input.thresholdPercent', async () => {
    const res = await stack.execute(`mutation { updateVault(input: { id: "v", thresholdPercent: 101 }) { vault { id } } }`);
    expectBadInput(res, { field: 'input.thresholdPercent', message: 'input.thresholdPercent: Too big: expected number to be <=100' });
    expect(stack.calls()).toEqual([]);
  });

  it('keeps the answer of a mutation that ran when a later one in the same document fails', async () => {
    const res = await stack.execute(`mutation {
      made: createVault(input: { name: "kept", billing: { objectType: DISK, sizeGb: 10 } }) { vault { name } }
      failed: updateVault(input: { id: "00000000-0000-4000-a000-000000000000", name: "x" }) { vault { id } }
    }`);
    expect(res.data).toEqual({ made: { vault: { name: 'kept' } }, failed: null });
    expect(res.errors).toEqual([expect.objectContaining({ path: ['failed'], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
    expect([...stack.emu.emulator.state.project(P).vaults.values()].map((v) => v.name)).toContain('kept');
  });

  it('fails with NOT_FOUND when the vault does not exist', async () => {
    const res = await stack.execute(`mutation { updateVault(input: { id: "00000000-0000-4000-a000-000000000000", name: "x" }) { vault { id } } }`);
    expect(res.data).toEqual({ updateVault: null });
    expect(res.errors).toEqual([
      {
        message: 'The vault does not exist.',
        locations: [{ line: 1, column: 12 }],
        path: ['updateVault'],
        extensions: {
          code: 'NOT_FOUND',
          upstream: { status: 404, code: 'BackupService.6105', message: 'The vault does not exist.', requestId: expect.stringMatching(/^req-/) },
        },
      },
    ]);
  });

  it('deletes a vault and answers its id; the vault is gone afterwards', async () => {
    const id = await createVault('doomed');
    stack.clearCalls();
    const res = await stack.execute(`mutation ($id: ID!) { deleteVault(input: { id: $id }) { deletedVaultId } }`, { id });
    expect(res).toEqual({ data: { deleteVault: { deletedVaultId: id } } });
    expect(stack.calls()).toEqual([`DELETE /v3/${P}/vaults/${id}`]);
    const after = await stack.execute(`query ($id: ID!) { vault(id: $id) { id } }`, { id });
    expect(after).toEqual({ data: { vault: null } });
  });

  it('answers the vault_delete task to follow, with one task-list call when selected', async () => {
    const id = await createVault('doomed');
    stack.clearCalls();
    const res = await stack.execute(`mutation ($id: ID!) { deleteVault(input: { id: $id }) { deletedVaultId task { operationType status vaultId } } }`, { id });
    expect(res).toEqual({ data: { deleteVault: { deletedVaultId: id, task: { operationType: 'VAULT_DELETE', status: 'SUCCESS', vaultId: id } } } });
    expect(stack.calls()).toEqual([`DELETE /v3/${P}/vaults/${id}`, `GET /v3/${P}/operation-logs?vault_id=${id}&operation_type=vault_delete`]);
  });
});
