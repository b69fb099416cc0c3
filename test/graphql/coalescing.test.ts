/**
 * In-flight coalescing across requests (upstream/coalesce.ts): identical GETs running at the same time under one
 * credential identity make one upstream call; other identities never share it; a waiter that goes away does not fail
 * the others; a failure is not shared; a write is never shared and a read sent after it never joins a read sent before it.
 * The vault list is slowed down (emulator latency) so that the requests of a test all start while its GET runs.
 */
import { describe, expect, it } from 'vitest';
import { addVault } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { useStack } from '../helpers/stack';

const P = PROJECT_A;
const stack = useStack();
const VAULTS = `{ vaults { totalCount nodes { name } } }`;
const VAULT_LIST_CALL = `GET /v3/${P}/vaults`;
/** Long enough for every request of a test to start while the first one's GET is still running, on a busy machine. */
const SLOW_MS = 800;
/** Time for a started request to reach its vault list call (a few ms when idle), well within `SLOW_MS`. */
const STARTED_MS = 250;

function slowVaultList(): void {
  stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', latency: { minMs: SLOW_MS } }] });
}

function vaultListCalls(): string[] {
  return stack.calls().filter((call) => call.startsWith(VAULT_LIST_CALL));
}

describe('in-flight coalescing of upstream GETs', () => {
  it('makes one call for N concurrent identical requests of one identity, and each gets the whole answer', async () => {
    addVault(stack.emu.emulator, P, { name: 'shared' });
    slowVaultList();
    const answers = await Promise.all(Array.from({ length: 5 }, () => stack.execute(VAULTS)));

    expect(vaultListCalls()).toHaveLength(1);
    for (const answer of answers) expect(answer).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ name: 'shared' }] } } });
  });

  it('keeps nothing after the call: the next request makes its own call and sees the current state', async () => {
    addVault(stack.emu.emulator, P, { name: 'first' });
    await stack.execute(VAULTS);
    addVault(stack.emu.emulator, P, { name: 'second' });
    const res = await stack.execute(VAULTS);

    expect(vaultListCalls()).toHaveLength(2);
    expect(res.data.vaults.totalCount).toBe(2);
  });

  it('never shares between two identities, even of the same project', async () => {
    addVault(stack.emu.emulator, P, { name: 'shared' });
    const otherToken = stack.emu.emulator.identity.issueToken(P).token;
    slowVaultList();
    const answers = await Promise.all([
      stack.execute(VAULTS),
      stack.execute(VAULTS, undefined, { token: otherToken }),
      stack.execute(VAULTS),
      stack.execute(VAULTS, undefined, { token: otherToken }),
    ]);

    expect(vaultListCalls()).toHaveLength(2);
    for (const answer of answers) expect(answer.data.vaults.totalCount).toBe(1);
  });

  it('does not fail the other waiters when the request that started the call goes away', async () => {
    addVault(stack.emu.emulator, P, { name: 'shared' });
    slowVaultList();
    const leaving = new AbortController();
    const first = stack.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': stack.emu.project.token, 'x-project-id': P },
      body: JSON.stringify({ query: VAULTS }),
      signal: leaving.signal,
    });
    // Resolves or rejects; what the departed client would have got does not matter, only that the others are served.
    const firstSettled = Promise.resolve(first).then(
      (res) => res.text(),
      () => undefined,
    );
    const others = [stack.execute(VAULTS), stack.execute(VAULTS)];
    await pause(STARTED_MS); // all three wait on the one call by now
    leaving.abort();
    const answers = await Promise.all(others);
    await firstSettled;

    for (const answer of answers) expect(answer).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ name: 'shared' }] } } });
    expect(vaultListCalls()).toHaveLength(1);
  });

  it('does not share a failure: the request whose call failed gets the error, the ones that joined it ask again', async () => {
    addVault(stack.emu.emulator, P, { name: 'shared' });
    // The first vault list call is slow and then refused (a 400 is not retried); the calls after it are answered.
    stack.emu.emulator.faults.set({
      rules: [{ route: 'GET /v3/:project_id/vaults', latency: { minMs: SLOW_MS }, errorRate: 1, status: 400, times: 1 }],
    });
    const first = stack.execute(VAULTS);
    await pause(STARTED_MS); // its call is running by now
    const joined = await Promise.all([stack.execute(VAULTS), stack.execute(VAULTS)]);
    const failed = await first;

    expect(failed.errors).toHaveLength(1);
    for (const answer of joined) expect(answer).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ name: 'shared' }] } } });
    // One shared call that failed, then one call of each request that had joined it.
    expect(vaultListCalls()).toHaveLength(3);
  });

  it('never shares a write, and a read sent after a write does not join a read sent before it', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'old-name' });
    slowVaultList();
    const before = stack.execute(VAULTS);
    await pause(STARTED_MS); // its list call is running by now
    // The rename (a PUT, not slowed down) completes while the first list call is still running.
    const renamed = await stack.execute(`mutation ($input: UpdateVaultInput!) { updateVault(input: $input) { vault { name } } }`, {
      input: { id: vault.id, name: 'new-name' },
    });
    expect(renamed).toEqual({ data: { updateVault: { vault: { name: 'new-name' } } } });
    const after = await stack.execute(VAULTS);
    await before;

    expect(vaultListCalls()).toHaveLength(2);
    expect(after.data.vaults.nodes).toEqual([{ name: 'new-name' }]);
  });
});

describe('in-flight coalescing and the call budget', () => {
  const limited = useStack({ gateway: { maxUpstreamCallsPerRequest: 1 } });

  it('counts a shared call against the budget of every request that joins it', async () => {
    addVault(limited.emu.emulator, P, { name: 'a' });
    limited.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', latency: { minMs: SLOW_MS } }] });
    // Two calls each (the vault list, then the vault's task list): the second is over the budget of one, in both.
    const query = `{ vaults { nodes { name tasks(first: 1) { totalCount } } } }`;
    const answers = await Promise.all([limited.execute(query), limited.execute(query)]);

    expect(limited.calls().filter((call) => call.startsWith(VAULT_LIST_CALL))).toHaveLength(1);
    for (const answer of answers) {
      expect(answer.data.vaults.nodes).toEqual([{ name: 'a', tasks: null }]);
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['TOO_MANY_UPSTREAM_CALLS']);
    }
  });
});

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
