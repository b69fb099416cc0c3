/**
 * The dashboard query, pinned: "my vaults, each with its policy, its protected servers, the three latest backups of
 * each and the last task". The upstream offers no batch reads for backups or tasks (their lists take one resource /
 * one vault), so the floor is: one vault page + one policy list + one backup page per server + one task page per
 * vault. This test fails when any field costs more than that.
 */
import { describe, expect, it } from 'vitest';
import { addServer, addVault, createCheckpoint, T0 } from '../helpers/builders';
import { policyCreate } from '../helpers/cbr';
import { PROJECT_A } from '../helpers/emulator';
import { useStack } from '../helpers/stack';

const DASHBOARD = /* GraphQL */ `
  {
    vaults {
      totalCount
      nodes {
        name
        policy { name }
        resources {
          name
          type
          backups(first: 3) { totalCount nodes { name status } }
        }
        tasks(first: 1) { nodes { operationType status backupDetails { backupName } } }
      }
    }
  }
`;

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

async function policy(name: string, vaultIds: string[]): Promise<string> {
  const created = await stack.emu.call('POST', `/v3/${P}/policies`, { policy: policyCreate({ name }) });
  expect(created.status).toBe(200);
  for (const vaultId of vaultIds) {
    const bound = await stack.emu.call('POST', `/v3/${P}/vaults/${vaultId}/associatepolicy`, { policy_id: created.body.policy.id });
    expect(bound.status).toBe(200);
  }
  return created.body.policy.id;
}

/** Three vaults: "prod" (2 servers, 4 backup runs, policy "daily"), "test" (1 server, 1 run, policy "daily"), "empty". */
async function seed() {
  const emulator = stack.emu.emulator;
  const web = addServer(emulator, P, { name: 'web' });
  const db = addServer(emulator, P, { name: 'db' });
  const ci = addServer(emulator, P, { name: 'ci' });
  const prod = addVault(emulator, P, { name: 'prod', resources: [web, db], size: 10_000 });
  const test = addVault(emulator, P, { name: 'test', resources: [ci], size: 10_000 });
  const empty = addVault(emulator, P, { name: 'empty', size: 100 });
  await policy('daily', [prod.id, test.id]);
  for (let run = 1; run <= 4; run++) {
    await createCheckpoint(stack.emu, P, prod.id, { name: `prod-${run}` });
    emulator.clock.advance(3_600_000);
  }
  await createCheckpoint(stack.emu, P, test.id, { name: 'test-1' });
  stack.clearCalls();
  return { web, db, ci, prod, test, empty };
}

describe('dashboard', () => {
  it('answers vaults, policies, servers, their three latest backups and the last task with the minimum of calls', async () => {
    const { web, db, ci, prod, test, empty } = await seed();

    const res = await stack.execute(DASHBOARD);
    expect(res.errors).toBeUndefined();
    const available = (names: string[]) => names.map((name) => ({ name, status: 'AVAILABLE' }));
    const byName = Object.fromEntries(res.data.vaults.nodes.map((v: any) => [v.name, v]));
    expect(res.data.vaults.totalCount).toBe(3);
    expect(byName).toEqual({
      prod: {
        name: 'prod',
        policy: { name: 'daily' },
        resources: [
          { name: 'web', type: 'SERVER', backups: { totalCount: 4, nodes: available(['prod-4', 'prod-3', 'prod-2']) } },
          { name: 'db', type: 'SERVER', backups: { totalCount: 4, nodes: available(['prod-4', 'prod-3', 'prod-2']) } },
        ],
        // Two tasks per run (one per server); the newest is the db server's of run 4.
        tasks: { nodes: [{ operationType: 'BACKUP', status: 'SUCCESS', backupDetails: { backupName: 'prod-4' } }] },
      },
      test: {
        name: 'test',
        policy: { name: 'daily' },
        resources: [{ name: 'ci', type: 'SERVER', backups: { totalCount: 1, nodes: available(['test-1']) } }],
        tasks: { nodes: [{ operationType: 'BACKUP', status: 'SUCCESS', backupDetails: { backupName: 'test-1' } }] },
      },
      empty: { name: 'empty', policy: null, resources: [], tasks: { nodes: [] } },
    });

    // The policy list goes out with the vault list (it needs no vault id); the rest waits for the vaults.
    const calls = stack.calls();
    expect(calls.slice(0, calls.indexOf(`GET /v3/${P}/vaults?limit=20`)).filter((c) => c !== `GET /v3/${P}/policies`)).toEqual([]);
    expect([...calls].sort()).toEqual(
      [
        `GET /v3/${P}/vaults?limit=20`,
        `GET /v3/${P}/policies`,
        `GET /v3/${P}/backups?resource_id=${web.id}&sort=created_at%3Adesc%2Cid%3Adesc&limit=3`,
        `GET /v3/${P}/backups?resource_id=${db.id}&sort=created_at%3Adesc%2Cid%3Adesc&limit=3`,
        `GET /v3/${P}/backups?resource_id=${ci.id}&sort=created_at%3Adesc%2Cid%3Adesc&limit=3`,
        `GET /v3/${P}/operation-logs?vault_id=${prod.id}&limit=1`,
        `GET /v3/${P}/operation-logs?vault_id=${test.id}&limit=1`,
        `GET /v3/${P}/operation-logs?vault_id=${empty.id}&limit=1`,
      ].sort(),
    );
    expect(calls).toHaveLength(8);
  });

  it('a failing backup list nulls that one field: the other vaults, servers and tasks stand', async () => {
    await seed();
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/backups', errorRate: 1, status: 500, times: 1 }] });
    const res = await stack.execute(DASHBOARD);
    expect(res.errors).toEqual([
      expect.objectContaining({ path: ['vaults', 'nodes', expect.any(Number), 'resources', expect.any(Number), 'backups'], extensions: expect.objectContaining({ code: 'UPSTREAM_ERROR' }) }),
    ]);
    const resources = res.data.vaults.nodes.flatMap((v: any) => v.resources);
    expect(res.data.vaults.nodes.map((v: any) => v.name).sort()).toEqual(['empty', 'prod', 'test']);
    expect(resources.filter((r: any) => r.backups === null)).toHaveLength(1);
    expect(resources.filter((r: any) => r.backups !== null).map((r: any) => r.backups.totalCount).sort()).toHaveLength(2);
    expect(res.data.vaults.nodes.every((v: any) => v.tasks !== null)).toBe(true);
  });

  it('costs no extra call when the same data is asked for twice in one request', async () => {
    await seed();
    const twice = /* GraphQL */ `
      {
        a: vaults { nodes { policy { id } resources { backups(first: 3) { nodes { id } } } tasks(first: 1) { nodes { id } } } }
        b: vaults { nodes { policy { name } resources { backups(first: 3) { nodes { name vault { name } } } } tasks(first: 1) { nodes { vault { name } } } } }
      }
    `;
    const res = await stack.execute(twice);
    expect(res.errors).toBeUndefined();
    expect(res.data.a.nodes).toHaveLength(3);
    // The same 8 calls as the dashboard: identical lists are shared, and every vault edge is served by the vault page.
    expect(stack.calls()).toHaveLength(8);
    expect(new Set(stack.calls()).size).toBe(8);
  });

  it("the console's dashboard (the bench's shape: each vault's own three latest backups) reads them from one project page", async () => {
    const { prod, test, empty } = await seed();
    const res = await stack.execute(`{ vaults(first: 100) { nodes { name policy { name } backups(first: 3) { totalCount nodes { name } } tasks(first: 1) { nodes { status } } } } }`);
    expect(res.errors).toBeUndefined();
    const backups = Object.fromEntries(res.data.vaults.nodes.map((v: any) => [v.name, v.backups]));
    const named = (names: string[]) => names.map((name) => ({ name }));
    expect(backups).toEqual({
      prod: { totalCount: 8, nodes: named(['prod-4', 'prod-4', 'prod-3']) },
      test: { totalCount: 1, nodes: named(['test-1']) },
      empty: { totalCount: 0, nodes: [] },
    });
    // 9 backups in the project (the vault list counts them): one project page instead of one list per vault.
    expect([...stack.calls()].sort()).toEqual(
      [
        `GET /v3/${P}/vaults?limit=100`,
        `GET /v3/${P}/policies`,
        `GET /v3/${P}/backups?sort=created_at%3Adesc%2Cid%3Adesc&limit=100`,
        ...[prod, test, empty].map((v) => `GET /v3/${P}/operation-logs?vault_id=${v.id}&limit=1`),
      ].sort(),
    );
  });

  it('adds one backup call per server for latestBackup, shared by every alias', async () => {
    const { web, db, ci } = await seed();
    const res = await stack.execute(`{ vaults { nodes { resources { name latestBackup { name } again: latestBackup { id } } } } }`);
    expect(res.errors).toBeUndefined();
    const latest = res.data.vaults.nodes.flatMap((v: any) => v.resources.map((r: any) => [r.name, r.latestBackup.name]));
    expect(Object.fromEntries(latest)).toEqual({ web: 'prod-4', db: 'prod-4', ci: 'test-1' });
    expect(stack.calls().slice(1).sort()).toEqual(
      [web, db, ci].map((s) => `GET /v3/${P}/backups?resource_id=${s.id}&limit=1&sort=created_at%3Adesc`).sort(),
    );
  });
});
