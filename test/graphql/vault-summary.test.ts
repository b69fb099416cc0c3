/**
 * Totals for a dashboard end to end: the vault summary in one call, each vault's used percentage without a call, and
 * backup and task counts per status (one call per status, all at once), with their refusals.
 */
import { describe, expect, it } from 'vitest';
import { addVault, addVolume, createCheckpoint, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { expectBadInput } from '../helpers/graphql';
import { useStack } from '../helpers/stack';

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

/** Two disk vaults: 100 GB holding one 20 GB backup, 300 GB empty. */
async function setup() {
  const emu = stack.emu.emulator;
  const volume = addVolume(emu, P, { sizeGb: 20 });
  const used = addVault(emu, P, { resources: [volume], size: 100, name: 'used' });
  addVault(emu, P, { objectType: 'disk', size: 300, name: 'empty' });
  await createCheckpoint(stack.emu, P, used.id);
  stack.clearCalls();
  return { used };
}

describe('vaultSummary and Vault.usedPercent', () => {
  it('answers the project totals in one call, and each vault its percentage from the vault list alone', async () => {
    await setup();
    const res = await stack.execute(`{ vaultSummary { sizeGb usedGb usedPercent } vaults { nodes { name usedPercent billing { usedMb sizeGb } } } }`);
    expect(res).toEqual({
      data: {
        vaultSummary: { sizeGb: 400, usedGb: 20, usedPercent: 5 },
        vaults: {
          nodes: [
            { name: 'empty', usedPercent: 0, billing: { usedMb: 0, sizeGb: 300 } },
            { name: 'used', usedPercent: 20, billing: { usedMb: 20 * 1024, sizeGb: 100 } },
          ],
        },
      },
    });
    expect([...stack.calls()].sort()).toEqual([`GET /v3/${P}/vaults/summary`, `GET /v3/${P}/vaults?limit=20`]);
  });

  it('answers a null percentage for a project without capacity', async () => {
    expect(await stack.execute(`{ vaultSummary { sizeGb usedGb usedPercent } }`)).toEqual({ data: { vaultSummary: { sizeGb: 0, usedGb: 0, usedPercent: null } } });
  });
});

describe('backupCounts and taskCounts', () => {
  it('counts backups per status, one page of one per status, within the filter', async () => {
    const { used } = await setup();
    const res = await stack.execute(`query ($v: ID!) { backupCounts(filter: { vaultId: $v }, statuses: [AVAILABLE, ERROR, AVAILABLE]) { status count } }`, { v: used.id });
    expect(res).toEqual({ data: { backupCounts: [{ status: 'AVAILABLE', count: 1 }, { status: 'ERROR', count: 0 }] } });
    expect([...stack.calls()].sort()).toEqual([
      `GET /v3/${P}/backups?status=available&vault_id=${used.id}&sort=created_at%3Adesc%2Cid%3Adesc&limit=1`,
      `GET /v3/${P}/backups?status=error&vault_id=${used.id}&sort=created_at%3Adesc%2Cid%3Adesc&limit=1`,
    ].sort());
  });

  it('counts every known status by default: 8 backup calls and 6 task calls, all concurrent', async () => {
    await setup();
    const res = await stack.execute(`{ backupCounts { status count } taskCounts { status count } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.backupCounts).toHaveLength(8);
    expect(res.data.backupCounts[0]).toEqual({ status: 'AVAILABLE', count: 1 });
    expect(res.data.taskCounts).toEqual([
      { status: 'SUCCESS', count: 1 },
      { status: 'SKIPPED', count: 0 },
      { status: 'FAILED', count: 0 },
      { status: 'RUNNING', count: 0 },
      { status: 'TIMEOUT', count: 0 },
      { status: 'WAITING', count: 0 },
    ]);
    expect(stack.calls()).toHaveLength(14);
  });

  it('counts vaults per status within the filter, one page of one vault per status', async () => {
    await setup();
    const res = await stack.execute(`{ vaultCounts(filter: { objectType: DISK }, statuses: [AVAILABLE, DELETING]) { status count } }`);
    expect(res).toEqual({ data: { vaultCounts: [{ status: 'AVAILABLE', count: 2 }, { status: 'DELETING', count: 0 }] } });
    expect([...stack.calls()].sort()).toEqual([
      `GET /v3/${P}/vaults?object_type=disk&status=available&limit=1`,
      `GET /v3/${P}/vaults?object_type=disk&status=deleting&limit=1`,
    ]);
    stack.clearCalls();
    const tags = await stack.execute(`{ vaultCounts(filter: { tags: [{ key: "env" }] }) { count } }`);
    expect(tags.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.tags' });
    expect(stack.calls()).toEqual([]);
  });

  it('refuses filter.status and UNKNOWN, naming them, without a call', async () => {
    const status = await stack.execute(`{ backupCounts(filter: { status: [ERROR] }) { count } }`);
    expectBadInput(status, { field: 'filter.status', message: 'filter.status: cannot be used here: name the statuses to count in `statuses`' });
    const unknown = await stack.execute(`{ taskCounts(statuses: [SUCCESS, UNKNOWN]) { count } }`);
    expectBadInput(unknown, { field: 'statuses[1]', message: 'statuses[1]: UNKNOWN cannot be sent to the upstream' });
    expect(stack.calls()).toEqual([]);
  });
});
