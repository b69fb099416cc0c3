/**
 * The opt-in response cache (RESPONSE_CACHE_TTL_MS, gateway/response-cache.ts): whole query results per caller
 * identity, operation and variables; a mutation of an identity drops that identity's entries; mutations and answers
 * with errors are never cached; `X-Response-Cache` says hit or miss.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addVault } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { useStack } from '../helpers/stack';

const P = PROJECT_A;
const VAULTS = `query Vaults($first: Int) { vaults(first: $first) { totalCount nodes { name } } }`;
const RENAME = `mutation ($input: UpdateVaultInput!) { updateVault(input: $input) { vault { name } } }`;

describe('response cache on', () => {
  const stack = useStack({ gateway: { responseCacheTtlMs: 60_000 } });
  /** A new identity per test: entries outlive the emulator's reset between tests. */
  let token = '';
  beforeEach(() => {
    token = stack.emu.emulator.identity.issueToken(P).token;
  });

  async function query(variables: Record<string, unknown> = {}, as = token) {
    const res = await stack.executeRaw(VAULTS, variables, { token: as });
    return { header: res.headers.get('x-response-cache'), body: (await res.json()) as { data?: any; errors?: unknown[] } };
  }

  it('answers a repeated query of the same identity from the cache, without upstream calls', async () => {
    addVault(stack.emu.emulator, P, { name: 'a' });
    const first = await query();
    const callsAfterFirst = stack.calls().length;
    const second = await query();

    expect(first.header).toBe('miss');
    expect(second.header).toBe('hit');
    expect(second.body).toEqual(first.body);
    expect(second.body).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ name: 'a' }] } } });
    expect(callsAfterFirst).toBe(1);
    expect(stack.calls()).toHaveLength(1);
  });

  it('keys entries by identity and variables', async () => {
    addVault(stack.emu.emulator, P, { name: 'a' });
    addVault(stack.emu.emulator, P, { name: 'b' });
    const otherToken = stack.emu.emulator.identity.issueToken(P).token;
    await query({ first: 1 });

    expect((await query({ first: 2 })).header).toBe('miss');
    const other = await query({ first: 1 }, otherToken);
    expect(other.header).toBe('miss');
    expect(other.body.data.vaults.nodes).toHaveLength(1);
    expect((await query({ first: 1 })).header).toBe('hit');
    expect((await query({ first: 1 }, otherToken)).header).toBe('hit');
    expect(stack.calls()).toHaveLength(3);
  });

  it("drops an identity's entries when it sends a mutation, and only that identity's", async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'old-name' });
    const otherToken = stack.emu.emulator.identity.issueToken(P).token;
    await query();
    await query({}, otherToken);

    const renamed = await stack.executeRaw(RENAME, { input: { id: vault.id, name: 'new-name' } }, { token });
    expect(renamed.headers.get('x-response-cache')).toBeNull();
    expect(await renamed.json()).toEqual({ data: { updateVault: { vault: { name: 'new-name' } } } });

    const after = await query();
    expect(after.header).toBe('miss');
    expect(after.body.data.vaults.nodes).toEqual([{ name: 'new-name' }]);
    // Another identity's entry lives out its TTL: the cache promises freshness after one's own writes only.
    const otherAfter = await query({}, otherToken);
    expect(otherAfter.header).toBe('hit');
    expect(otherAfter.body.data.vaults.nodes).toEqual([{ name: 'old-name' }]);
  });

  it('does not store an answer read while a mutation of its identity ran', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'old-name' });
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', latency: { minMs: 600 } }] });
    const during = query();
    await new Promise((resolve) => setTimeout(resolve, 150)); // its list call is running by now
    await stack.execute(RENAME, { input: { id: vault.id, name: 'new-name' } }, { token });
    expect((await during).header).toBe('miss');
    stack.emu.emulator.faults.clear();

    const after = await query();
    expect(after.header).toBe('miss');
    expect(after.body.data.vaults.nodes).toEqual([{ name: 'new-name' }]);
    expect((await query()).header).toBe('hit');
  });

  it('never caches a mutation', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'a' });
    for (const name of ['b', 'b']) {
      const res = await stack.execute(RENAME, { input: { id: vault.id, name } }, { token });
      expect(res).toEqual({ data: { updateVault: { vault: { name } } } });
    }
    expect(stack.calls().filter((call) => call.startsWith('PUT '))).toHaveLength(2);
  });

  it('does not cache an answer with errors', async () => {
    addVault(stack.emu.emulator, P, { name: 'a' });
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 400, times: 1 }] });
    const failed = await query();
    expect(failed.body.errors).toHaveLength(1);
    expect(failed.header).toBe('miss');

    const retried = await query();
    expect(retried.header).toBe('miss');
    expect(retried.body).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ name: 'a' }] } } });
    expect((await query()).header).toBe('hit');
  });

  it('counts hits and misses for metrics', async () => {
    const before = { ...stack.gateway.responseCacheStats! };
    await query({ first: 7 });
    await query({ first: 7 });
    await query({ first: 7 });
    expect(stack.gateway.responseCacheStats).toEqual({ hits: before.hits + 2, misses: before.misses + 1 });
  });
});

describe('response cache off (the default)', () => {
  const stack = useStack();

  it('sends no cache header and asks the upstream every time', async () => {
    addVault(stack.emu.emulator, P, { name: 'a' });
    for (let run = 0; run < 2; run++) {
      const res = await stack.executeRaw(VAULTS, {});
      expect(res.headers.get('x-response-cache')).toBeNull();
      expect(await res.json()).toEqual({ data: { vaults: { totalCount: 1, nodes: [{ name: 'a' }] } } });
    }
    expect(stack.calls()).toHaveLength(2);
    expect(stack.gateway.responseCacheStats).toBeUndefined();
  });
});
