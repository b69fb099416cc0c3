import { describe, expect, it } from 'vitest';
import { addVault, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { badInput, expectBadInput, upstreamRefusal } from '../helpers/graphql';
import { useStack } from '../helpers/stack';

/** Every field of Policy and its nested types (the "all fields" query). */
const POLICY_FIELDS = /* GraphQL */ `
  fragment PolicyFields on Policy {
    id
    name
    enabled
    operationType
    operationDefinition {
      maxBackups
      retentionDurationDays
      dayBackups
      weekBackups
      monthBackups
      yearBackups
      timezone
      fullBackupInterval
      destinationProjectId
      destinationRegion
    }
    trigger { id name type pattern startTime }
    associatedVaults { vaultId destinationVaultId vault { id name } }
    vaults { id name }
  }
`;

const CREATE = /* GraphQL */ `
  mutation ($input: CreatePolicyInput!) { createPolicy(input: $input) { policy { ...PolicyFields } } }
  ${POLICY_FIELDS}
`;

const DAILY = 'FREQ=DAILY;INTERVAL=1;BYHOUR=3;BYMINUTE=00';

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

async function createPolicy(name: string, operationDefinition: Record<string, unknown> = { maxBackups: 7 }): Promise<string> {
  const res = await stack.execute(`mutation ($input: CreatePolicyInput!) { createPolicy(input: $input) { policy { id } } }`, {
    input: { name, operationType: 'BACKUP', operationDefinition, pattern: [DAILY] },
  });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createPolicy.policy.id;
}

async function associate(vaultId: string, policyId: string): Promise<void> {
  const res = await stack.execute(`mutation ($v: ID!, $p: ID!) { associateVaultPolicy(input: { vaultId: $v, policyId: $p }) { vaultId } }`, { v: vaultId, p: policyId });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
}

describe('createPolicy / updatePolicy / deletePolicy', () => {
  it('creates a policy and answers every field', async () => {
    const res = await stack.execute(CREATE, {
      input: {
        name: 'long-term',
        operationType: 'BACKUP',
        operationDefinition: { maxBackups: 30, dayBackups: 7, weekBackups: 4, monthBackups: 12, yearBackups: 1, timezone: 'UTC+01:00', fullBackupInterval: 5 },
        pattern: ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00'],
      },
    });
    expect(res).toEqual({
      data: {
        createPolicy: {
          policy: {
            id: expect.any(String),
            name: 'long-term',
            enabled: true,
            operationType: 'BACKUP',
            operationDefinition: {
              maxBackups: 30,
              retentionDurationDays: null,
              dayBackups: 7,
              weekBackups: 4,
              monthBackups: 12,
              yearBackups: 1,
              timezone: 'UTC+01:00',
              fullBackupInterval: 5,
              destinationProjectId: null,
              destinationRegion: null,
            },
            trigger: {
              id: expect.any(String),
              name: 'default',
              type: 'TIME',
              pattern: ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00'],
              startTime: '2024-03-01T08:00:00.000Z',
            },
            associatedVaults: [],
            vaults: [],
          },
        },
      },
    });
    // A policy without vaults costs no vault call.
    expect(stack.calls()).toEqual([`POST /v3/${P}/policies`]);
  });

  it('rejects the long-term counters without a timezone, naming input.operationDefinition.timezone', async () => {
    const res = await stack.execute(CREATE, {
      input: { name: 'p', operationType: 'BACKUP', operationDefinition: { dayBackups: 3 }, pattern: [DAILY] },
    });
    expectBadInput(res, { field: 'input.operationDefinition.timezone', message: 'input.operationDefinition.timezone: is mandatory when day_backups is set' });
    expect(stack.calls()).toEqual([]);
  });

  it('rejects an empty schedule naming input.pattern and a bad name naming input.name', async () => {
    const pattern = await stack.execute(CREATE, { input: { name: 'p', operationType: 'BACKUP', operationDefinition: {}, pattern: [] } });
    expect(pattern.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.pattern' });
    const name = await stack.execute(CREATE, { input: { name: 'has space', operationType: 'BACKUP', operationDefinition: {}, pattern: [DAILY] } });
    expect(name.errors?.[0]).toEqual(badInput({ field: 'input.name', message: 'input.name: can contain only letters, digits, underscores (_) and hyphens (-)' }));
    expect(stack.calls()).toEqual([]);
  });

  // The schedule rules the upstream enforces (seed 003 Table 4-206, upstream/rrule.ts, which the emulator applies too), checked
  // by the gateway: each used to come back as an upstream 400 without extensions.field, its message naming wire paths.
  it.each([
    [['FREQ=MINUTELY;BYHOUR=3;BYMINUTE=00'], 'input.pattern[0]', 'FREQ must be WEEKLY or DAILY'],
    [[DAILY, 'FREQ=DAILY;BYHOUR=24;BYMINUTE=00'], 'input.pattern[1]', 'BYHOUR values must be integers from 0 to 23, got "24"'],
    [['FREQ=DAILY;BYHOUR=3;BYMINUTE=60'], 'input.pattern[0]', 'BYMINUTE values must be integers from 0 to 59, got "60"'],
    [['FREQ=WEEKLY;BYHOUR=3;BYMINUTE=00'], 'input.pattern[0]', 'BYDAY is mandatory when FREQ is WEEKLY'],
    [['FREQ=DAILY;BYDAY=XX;BYHOUR=3;BYMINUTE=00'], 'input.pattern[0]', 'BYDAY must list MO, TU, WE, TH, FR, SA or SU, got "XX"'],
    [['FREQ=DAILY;BYHOUR=3'], 'input.pattern[0]', 'BYMINUTE is mandatory'],
    [['FREQ=DAILY;INTERVAL=0;BYHOUR=3;BYMINUTE=00'], 'input.pattern[0]', 'INTERVAL must be a positive integer'],
    [['FREQ=DAILY;COUNT=3;BYHOUR=3;BYMINUTE=00'], 'input.pattern[0]', 'COUNT is not supported (only FREQ, BYDAY, BYHOUR, BYMINUTE and INTERVAL)'],
    [['FREQ=DAILY;BYHOUR=3;BYMINUTE=00', 'FREQ=DAILY;BYHOUR=3;BYMINUTE=30'], 'input.pattern', 'the scheduling interval cannot be less than 1 hour'],
    [['FREQ=DAILY;BYHOUR=3;BYMINUTE=00,59'], 'input.pattern', 'the scheduling interval cannot be less than 1 hour'],
  ])('refuses the schedule %j at %s before any call', async (pattern, field, message) => {
    const res = await stack.execute(CREATE, { input: { name: 'p', operationType: 'BACKUP', operationDefinition: {}, pattern } });
    expect(res.data).toEqual({ createPolicy: null });
    expectBadInput(res, { field, message: `${field}: ${message}` });
    expect(stack.calls()).toEqual([]);
  });

  it('accepts what the upstream accepts: 24 time points a day an hour apart, and a weekly rule next to a daily one', async () => {
    const hourly = `FREQ=DAILY;BYHOUR=${Array.from({ length: 24 }, (_, h) => h).join(',')};BYMINUTE=30`;
    const res = await stack.execute(CREATE, { input: { name: 'p', operationType: 'BACKUP', operationDefinition: {}, pattern: [hourly] } });
    expect(res.errors).toBeUndefined();
    const mixed = ['FREQ=WEEKLY;BYDAY=MO;BYHOUR=12;BYMINUTE=00', 'FREQ=DAILY;INTERVAL=2;BYHOUR=3;BYMINUTE=00'];
    const both = await stack.execute(CREATE, { input: { name: 'q', operationType: 'BACKUP', operationDefinition: {}, pattern: mixed } });
    expect(both.errors).toBeUndefined();
  });

  it('refuses a bad schedule rule in updatePolicy naming input.pattern[0], before any call', async () => {
    const res = await stack.execute(`mutation { updatePolicy(input: { id: "p", pattern: ["FREQ=DAILY;BYHOUR=24;BYMINUTE=00"] }) { policy { id } } }`);
    expectBadInput(res, { field: 'input.pattern[0]', message: 'input.pattern[0]: BYHOUR values must be integers from 0 to 23, got "24"' });
    expect(stack.calls()).toEqual([]);
  });

  it.each([
    ['REPLICATION', { destinationRegion: 'eu-nl' }, 'input.operationDefinition.destinationProjectId', 'is mandatory for a replication policy'],
    ['REPLICATION', { destinationProjectId: 'f1e2d3c4b5a697887766554433221100' }, 'input.operationDefinition.destinationRegion', 'is mandatory for a replication policy'],
    ['BACKUP', { maxBackups: 3, destinationRegion: 'eu-nl' }, 'input.operationDefinition.destinationRegion', 'is only allowed for a replication policy'],
    ['BACKUP', { destinationProjectId: 'f1e2d3c4b5a697887766554433221100' }, 'input.operationDefinition.destinationProjectId', 'is only allowed for a replication policy'],
  ])('refuses a %s policy with %j at %s before any call', async (operationType, operationDefinition, field, message) => {
    const res = await stack.execute(CREATE, { input: { name: 'p', operationType, operationDefinition, pattern: [DAILY] } });
    expectBadInput(res, { field, message: `${field}: ${message}` });
    expect(stack.calls()).toEqual([]);
  });

  it('updates a policy and answers it', async () => {
    const id = await createPolicy('before');
    stack.clearCalls();
    const res = await stack.execute(
      `mutation ($input: UpdatePolicyInput!) { updatePolicy(input: $input) { policy { id name enabled operationDefinition { maxBackups retentionDurationDays } trigger { pattern } } } }`,
      { input: { id, name: 'after', enabled: false, operationDefinition: { retentionDurationDays: 30 }, pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=5;BYMINUTE=30'] } },
    );
    expect(res).toEqual({
      data: {
        updatePolicy: {
          policy: {
            id,
            name: 'after',
            enabled: false,
            operationDefinition: { maxBackups: null, retentionDurationDays: 30 },
            trigger: { pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=5;BYMINUTE=30'] },
          },
        },
      },
    });
    expect(stack.calls()).toEqual([`PUT /v3/${P}/policies/${id}`]);
  });

  it('deletes a policy; reading it afterwards answers null', async () => {
    const id = await createPolicy('doomed');
    stack.clearCalls();
    const res = await stack.execute(`mutation ($id: ID!) { deletePolicy(input: { id: $id }) { deletedPolicyId } }`, { id });
    expect(res).toEqual({ data: { deletePolicy: { deletedPolicyId: id } } });
    expect(stack.calls()).toEqual([`DELETE /v3/${P}/policies/${id}`]);
    expect(await stack.execute(`query ($id: ID!) { policy(id: $id) { id } }`, { id })).toEqual({ data: { policy: null } });
  });

  it('fails to delete a policy that does not exist with NOT_FOUND', async () => {
    const res = await stack.execute(`mutation { deletePolicy(input: { id: "00000000-0000-4000-a000-000000000000" }) { deletedPolicyId } }`);
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'The policy does not exist.',
        path: ['deletePolicy'],
        extensions: {
          code: 'NOT_FOUND',
          upstream: { status: 404, code: 'BackupService.6000', message: 'The policy does not exist.', requestId: expect.stringMatching(/^req-/) },
        },
      }),
    ]);
  });
});

describe('policy queries and the Policy ↔ Vault edges', () => {
  it('reads a policy by id with one GET, and null for an unknown id', async () => {
    const id = await createPolicy('p1');
    stack.clearCalls();
    const res = await stack.execute(`query ($id: ID!) { policy(id: $id) { id name } missing: policy(id: "00000000-0000-4000-a000-000000000000") { id } }`, { id });
    expect(res).toEqual({ data: { policy: { id, name: 'p1' }, missing: null } });
    // Two ids in one tick: one policy list call serves both.
    expect(stack.calls()).toEqual([`GET /v3/${P}/policies`]);
  });

  it('answers a single unknown policy id with null after a 404', async () => {
    const res = await stack.execute(`{ policy(id: "00000000-0000-4000-a000-000000000000") { id } }`);
    expect(res).toEqual({ data: { policy: null } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/policies/00000000-0000-4000-a000-000000000000`]);
  });

  it('reads the vaults of every listed policy with ONE vault call (the whole list: its id filter takes one id)', async () => {
    const v1 = addVault(stack.emu.emulator, P, { name: 'v1' });
    const v2 = addVault(stack.emu.emulator, P, { name: 'v2' });
    const v3 = addVault(stack.emu.emulator, P, { name: 'v3' });
    const p1 = await createPolicy('p1');
    const p2 = await createPolicy('p2');
    await associate(v1.id, p1);
    await associate(v2.id, p1);
    await associate(v3.id, p2);
    stack.clearCalls();
    const res = await stack.execute(`{ policies { totalCount nodes { name vaults { name } associatedVaults { vaultId vault { name } } } } }`);
    expect(res.errors).toBeUndefined();
    const byName = Object.fromEntries(res.data.policies.nodes.map((p: { name: string }) => [p.name, p]));
    expect(res.data.policies.totalCount).toBe(2);
    expect(byName.p1.vaults.map((v: { name: string }) => v.name).sort()).toEqual(['v1', 'v2']);
    expect(byName.p2).toEqual({ name: 'p2', vaults: [{ name: 'v3' }], associatedVaults: [{ vaultId: v3.id, vault: { name: 'v3' } }] });
    expect(stack.calls()).toHaveLength(2);
    expect(stack.calls()[0]).toBe(`GET /v3/${P}/policies`);
    expect(stack.calls()[1]).toBe(`GET /v3/${P}/vaults?limit=1000`);
  });

  it('filters the policy list by operation type and vault', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'v' });
    const bound = await createPolicy('bound');
    await createPolicy('unbound');
    await associate(vault.id, bound);
    stack.clearCalls();
    const res = await stack.execute(`query ($v: ID) { policies(filter: { operationType: BACKUP, vaultId: $v }) { totalCount nodes { name } } }`, { v: vault.id });
    expect(res).toEqual({ data: { policies: { totalCount: 1, nodes: [{ name: 'bound' }] } } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/policies?operation_type=backup&vault_id=${vault.id}`]);
  });

  it('pages over the policy list the upstream returns whole, one call per page', async () => {
    for (const name of ['a', 'b', 'c']) await createPolicy(name);
    stack.clearCalls();
    const first = await stack.execute(`{ policies(first: 2) { nodes { name } pageInfo { hasNextPage endCursor } totalCount } }`);
    const second = await stack.execute(`query ($after: String) { policies(first: 2, after: $after) { nodes { name } pageInfo { hasNextPage hasPreviousPage } totalCount } }`, {
      after: first.data.policies.pageInfo.endCursor,
    });
    const names = [...first.data.policies.nodes, ...second.data.policies.nodes].map((p: { name: string }) => p.name);
    expect(names.sort()).toEqual(['a', 'b', 'c']);
    expect(first.data.policies.pageInfo.hasNextPage).toBe(true);
    expect(second.data.policies).toEqual({ nodes: [expect.any(Object)], pageInfo: { hasNextPage: false, hasPreviousPage: true }, totalCount: 3 });
    expect(stack.calls()).toEqual([`GET /v3/${P}/policies`, `GET /v3/${P}/policies`]);
  });
});

describe('associateVaultPolicy / dissociateVaultPolicy', () => {
  it('applies a policy to a vault and answers both, re-read', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'v' });
    const policyId = await createPolicy('p');
    stack.clearCalls();
    const res = await stack.execute(
      `mutation ($v: ID!, $p: ID!) { associateVaultPolicy(input: { vaultId: $v, policyId: $p }) { vaultId policyId destinationVaultId vault { name policy { name } } policy { name associatedVaults { vaultId } } } }`,
      { v: vault.id, p: policyId },
    );
    expect(res).toEqual({
      data: {
        associateVaultPolicy: {
          vaultId: vault.id,
          policyId,
          destinationVaultId: null,
          vault: { name: 'v', policy: { name: 'p' } },
          policy: { name: 'p', associatedVaults: [{ vaultId: vault.id }] },
        },
      },
    });
    expect(stack.calls()).toEqual([
      `POST /v3/${P}/vaults/${vault.id}/associatepolicy`,
      `GET /v3/${P}/vaults/${vault.id}`,
      `GET /v3/${P}/policies/${policyId}`,
      `GET /v3/${P}/policies`,
    ]);
  });

  it('applies a backup and a replication policy to one vault: Vault.policy and Vault.replicationPolicy share one call', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'source' });
    const backup = await createPolicy('nightly');
    const created = await stack.execute(
      `mutation ($input: CreatePolicyInput!) { createPolicy(input: $input) { policy { id operationType operationDefinition { destinationProjectId destinationRegion } } } }`,
      {
        input: {
          name: 'to-nl',
          operationType: 'REPLICATION',
          operationDefinition: { maxBackups: 5, destinationProjectId: 'f1e2d3c4b5a697887766554433221100', destinationRegion: 'eu-nl' },
          pattern: [DAILY],
        },
      },
    );
    expect(created.data.createPolicy.policy).toEqual({
      id: expect.any(String),
      operationType: 'REPLICATION',
      operationDefinition: { destinationProjectId: 'f1e2d3c4b5a697887766554433221100', destinationRegion: 'eu-nl' },
    });
    const replication = created.data.createPolicy.policy.id;
    await associate(vault.id, backup);
    const bound = await stack.execute(
      `mutation ($v: ID!, $p: ID!) { associateVaultPolicy(input: { vaultId: $v, policyId: $p, destinationVaultId: "remote-vault" }) { destinationVaultId } }`,
      { v: vault.id, p: replication },
    );
    expect(bound).toEqual({ data: { associateVaultPolicy: { destinationVaultId: 'remote-vault' } } });
    stack.clearCalls();
    const res = await stack.execute(`query ($id: ID!) { vault(id: $id) { policy { name } replicationPolicy { name associatedVaults { vaultId destinationVaultId } } } }`, { id: vault.id });
    expect(res).toEqual({
      data: { vault: { policy: { name: 'nightly' }, replicationPolicy: { name: 'to-nl', associatedVaults: [{ vaultId: vault.id, destinationVaultId: 'remote-vault' }] } } },
    });
    // Sent together (see 'sends the policy list with the vault GET'), so either may be logged first.
    expect(stack.calls().sort()).toEqual([`GET /v3/${P}/policies`, `GET /v3/${P}/vaults/${vault.id}`]);
  });

  it('sends the policy list with the vault GET, not after it: one round of upstream latency, not two', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'slow' });
    await associate(vault.id, await createPolicy('nightly'));
    // The emulator logs a call when it answers it. With the vault GET held 300 ms, the policy list is logged first
    // only if it was sent before the vault arrived: the gateway did not wait for the vault to ask for its policy.
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults/:vault_id', latency: { minMs: 300 } }] });
    stack.clearCalls();
    const res = await stack.execute(`query ($id: ID!) { vault(id: $id) { name policy { name } } }`, { id: vault.id });
    expect(res).toEqual({ data: { vault: { name: 'slow', policy: { name: 'nightly' } } } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/policies`, `GET /v3/${P}/vaults/${vault.id}`]);
  });

  it('sends the policy list with the vault list when a page asks for policies, and not at all when it does not', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'listed' });
    await associate(vault.id, await createPolicy('nightly'));
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', latency: { minMs: 300 } }] });
    stack.clearCalls();
    const viaEdges = await stack.execute(`{ vaults { edges { node { name replicationPolicy { name } ...P } } } } fragment P on Vault { policy { name } }`);
    expect(viaEdges).toEqual({ data: { vaults: { edges: [{ node: { name: 'listed', replicationPolicy: null, policy: { name: 'nightly' } } }] } } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/policies`, `GET /v3/${P}/vaults?limit=20`]);
    stack.clearCalls();
    const skipped = await stack.execute(`query ($no: Boolean!) { vaults { nodes { name policy @include(if: $no) { name } } } }`, { no: false });
    expect(skipped).toEqual({ data: { vaults: { nodes: [{ name: 'listed' }] } } });
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=20`]);
  });

  it('removes a policy from a vault; the vault then has none', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'v' });
    const policyId = await createPolicy('p');
    await associate(vault.id, policyId);
    stack.clearCalls();
    const res = await stack.execute(
      `mutation ($v: ID!, $p: ID!) { dissociateVaultPolicy(input: { vaultId: $v, policyId: $p }) { vaultId policyId vault { policy { id } } } }`,
      { v: vault.id, p: policyId },
    );
    expect(res).toEqual({ data: { dissociateVaultPolicy: { vaultId: vault.id, policyId, vault: { policy: null } } } });
  });

  it('fails with NOT_FOUND when the vault does not follow the policy', async () => {
    const vault = addVault(stack.emu.emulator, P);
    const policyId = await createPolicy('p');
    const res = await stack.execute(`mutation ($v: ID!, $p: ID!) { dissociateVaultPolicy(input: { vaultId: $v, policyId: $p }) { vaultId } }`, { v: vault.id, p: policyId });
    expect(res.errors?.[0]).toEqual(
      upstreamRefusal({ code: 'NOT_FOUND', status: 404, upstreamCode: 'BackupService.6002', message: 'The vault is not applied with the policy.' }),
    );
  });

  it('rejects an empty policy id naming input.policyId, before any upstream call', async () => {
    const res = await stack.execute(`mutation { associateVaultPolicy(input: { vaultId: "v", policyId: "" }) { vaultId } }`);
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.policyId' });
    expect(stack.calls()).toEqual([]);
  });
});
