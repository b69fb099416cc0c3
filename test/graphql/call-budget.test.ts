/**
 * The upstream calls one GraphQL request may make (MAX_UPSTREAM_CALLS_PER_REQUEST): past the limit the fields that
 * need more calls are null with TOO_MANY_UPSTREAM_CALLS, nothing more is sent, and what was read stands.
 */
import { describe, expect, it } from 'vitest';
import { addVault } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { useStack } from '../helpers/stack';

const P = PROJECT_A;
const stack = useStack({ gateway: { maxUpstreamCallsPerRequest: 3 } });

/** One vault list, then one task list per vault: 1 + 4 calls for four vaults. */
const VAULTS_WITH_TASKS = `{ vaults { nodes { name tasks(first: 1) { totalCount } } } }`;

describe('upstream call budget per request', () => {
  it('answers the fields within the budget and nulls the rest with TOO_MANY_UPSTREAM_CALLS, sending nothing more', async () => {
    for (const name of ['a', 'b', 'c', 'd']) addVault(stack.emu.emulator, P, { name });
    const res = await stack.execute(VAULTS_WITH_TASKS);

    expect(stack.calls()).toHaveLength(3);
    const nodes = res.data.vaults.nodes as Array<{ name: string; tasks: { totalCount: number } | null }>;
    expect(nodes.map((v) => v.name).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(nodes.filter((v) => v.tasks !== null)).toHaveLength(2);
    expect(res.errors).toHaveLength(2);
    for (const error of res.errors!) {
      expect(error).toEqual(
        expect.objectContaining({
          message:
            'This request needs more than 3 upstream calls, the most one request may make: ask for fewer items (first) or fewer nested lists, or split the query',
          path: ['vaults', 'nodes', expect.any(Number), 'tasks'],
          extensions: { code: 'TOO_MANY_UPSTREAM_CALLS' },
        }),
      );
    }
  });

  it('counts per request: the next request has its full budget again', async () => {
    for (const name of ['a', 'b']) addVault(stack.emu.emulator, P, { name });
    for (let run = 0; run < 2; run++) {
      const res = await stack.execute(VAULTS_WITH_TASKS);
      expect(res.errors).toBeUndefined();
    }
    expect(stack.calls()).toHaveLength(6);
  });
});
