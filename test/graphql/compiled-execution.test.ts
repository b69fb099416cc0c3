import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileQuery } from 'graphql-jit';
import { compileWhenRepeated, offsetOf, useCompiledQueries } from '../../src/gateway/compiled-execution';
import { createGatewaySchema } from '../../src/gateway/schema';
import { addServer, addVault } from '../helpers/builders';
import { readSse } from '../helpers/sse';
import { startStack, type Stack } from '../helpers/stack';
import { parse, type ExecutionArgs } from 'graphql';

describe('offsetOf (line and column back to a character offset)', () => {
  it('counts \\n, \\r\\n and \\r as line ends, as graphql-js does', () => {
    const body = 'a\nbc\r\ndef\rgh';
    expect(body[offsetOf(body, 1, 1)]).toBe('a');
    expect(body[offsetOf(body, 2, 2)]).toBe('c');
    expect(body[offsetOf(body, 3, 3)]).toBe('f');
    expect(body[offsetOf(body, 4, 1)]).toBe('g');
  });
});

describe('compileWhenRepeated', () => {
  const args = (document: ExecutionArgs['document']) => ({ document }) as ExecutionArgs;

  it('interprets the first runs of each document and compiles the later ones', () => {
    const enableIf = compileWhenRepeated(1);
    const [a, b] = [parse('{ a }'), parse('{ a }')];
    expect([enableIf(args(a)), enableIf(args(a)), enableIf(args(a))]).toEqual([false, true, true]);
    // Another document object (another text, or one evicted from the parser cache) starts over.
    expect([enableIf(args(b)), enableIf(args(b))]).toEqual([false, true]);
  });

  it('compiles every document at once with 0', () => {
    expect(compileWhenRepeated(0)(args(parse('{ a }')))).toBe(true);
  });

});

describe('useCompiledQueries', () => {
  it('keeps the most recently used compiled operations only', async () => {
    const schema = createGatewaySchema();
    const compiled: string[] = [];
    const names = new Map<unknown, string>();
    const plugin = useCompiledQueries(() => true, 2, ((s, document, operationName) => {
      compiled.push(names.get(document)!);
      return compileQuery(s, document, operationName);
    }) as typeof compileQuery);
    const documents = Object.fromEntries(['A', 'B', 'C'].map((name) => [name, parse(`query ${name} { __typename }`)]));
    for (const [name, document] of Object.entries(documents)) names.set(document, name);
    const run = async (name: string) => {
      let execute: ((args: ExecutionArgs) => unknown) | undefined;
      const args = { schema, document: documents[name]!, contextValue: {} } as ExecutionArgs;
      (plugin.onExecute as (payload: unknown) => void)({ args, setExecuteFn: (fn: typeof execute) => (execute = fn) });
      expect(await execute!(args)).toMatchObject({ data: { __typename: 'Query' } });
    };
    for (const name of ['A', 'B', 'A', 'C', 'B', 'A']) await run(name);
    // A is used again before C arrives, so C evicts B; B then evicts A.
    expect(compiled).toEqual(['A', 'B', 'C', 'B', 'A']);
  });
});

describe('the interpreted first run and the compiled later runs answer alike', () => {
  let stack: Stack;
  let P: string;
  beforeAll(async () => {
    stack = await startStack({ gateway: { compileAfterRuns: 1 } });
    P = stack.emu.project.id;
  });
  afterAll(() => stack.close());

  it('runs the operation asked for in a document of several, on every run (GraphiQL sends the whole tab)', async () => {
    const document = 'query Count { vaults { totalCount } } query Types { __typename }';
    const answers = [];
    for (const operationName of ['Count', 'Types', 'Count', 'Types', 'Count']) {
      const res = await stack.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': stack.emu.project.token, 'x-project-id': P },
        body: JSON.stringify({ query: document, operationName }),
      });
      answers.push((await res.json()).data);
    }
    const count = { vaults: { totalCount: 0 } };
    const types = { __typename: 'Query' };
    expect(answers).toEqual([count, types, count, types, count]);
  });

  it('answers a nested query and its errors the same on both paths', async () => {
    const server = addServer(stack.emu.emulator, P, { name: 'web-1' });
    const vault = addVault(stack.emu.emulator, P, { name: 'odd-date', resources: [server] });
    vault.created_at = 'last tuesday'; // the DateTime scalar refuses it: a masked error in both runs
    const query = `query ($id: ID!) {
      vault(id: $id) { id name createdAt billing { sizeGb objectType } resources { id name type } policy { id } }
      missing: vault(id: "00000000-0000-0000-0000-000000000000") { id }
    }`;
    const interpreted = await stack.execute(query, { id: vault.id });
    const compiled = await stack.execute(query, { id: vault.id });
    expect(interpreted).toEqual({
      data: {
        vault: {
          id: vault.id,
          name: 'odd-date',
          createdAt: null,
          billing: { sizeGb: 200, objectType: 'SERVER' },
          resources: [{ id: server.id, name: 'web-1', type: 'SERVER' }],
          policy: null,
        },
        missing: null,
      },
      errors: [
        { message: 'Unexpected error.', locations: [{ line: 2, column: 32 }], path: ['vault', 'createdAt'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ],
    });
    expect(compiled).toEqual(interpreted);
  });

  it('keeps the location of a resolver error on a later line of a CRLF document, interpreted and compiled', async () => {
    const query = 'query Vaults {\r\n  # the field below fails\r\n    vaults { totalCount }\r\n}';
    for (let run = 0; run < 2; run++) {
      const res = await stack.execute(query, undefined, { token: null });
      expect(res.errors).toEqual([
        expect.objectContaining({ locations: [{ line: 3, column: 5 }], path: ['vaults'], extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
    }
  });

  it("refuses invalid variables alike on both runs: graphql-js's message, HTTP 400, no data, BAD_USER_INPUT", async () => {
    const cases = [
      {
        query: 'query B($f: VaultFilter) { vaults(filter: $f) { totalCount } }',
        variables: { f: { objectType: 'FOO' } },
        message: 'Variable "$f" got invalid value "FOO" at "f.objectType"; Value "FOO" does not exist in "ResourceType" enum.',
      },
      {
        query: 'query C($n: Int) { vaults(first: $n) { totalCount } }',
        variables: { n: 'abc' },
        message: 'Variable "$n" got invalid value "abc"; Int cannot represent non-integer value: "abc"',
      },
      { query: 'query D($n: Int!) { vaults(first: $n) { totalCount } }', variables: {}, message: 'Variable "$n" of required type "Int!" was not provided.' },
    ];
    stack.clearCalls();
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      for (const { query, variables, message } of cases) {
        // A comment makes each accept header's document a new one, interpreted once more.
        const document = `${query} # ${accept}`;
        for (let run = 0; run < 2; run++) {
          const res = await stack.executeRaw(document, variables, { headers: { accept } });
          expect({ accept, run, status: res.status, body: await res.json() }).toEqual({
            accept,
            run,
            status: 400,
            body: { errors: [{ message, locations: [{ line: 1, column: 9 }], extensions: { code: 'BAD_USER_INPUT' } }] },
          });
        }
      }
    }
    expect(stack.calls()).toEqual([]);
  });

  it('runs a subscription interpreted on every run: graphql-jit never compiles one', async () => {
    const consoleError = vi.spyOn(console, 'error');
    try {
      for (let run = 0; run < 2; run++) {
        const res = await stack.executeRaw('subscription { taskUpdated(id: "no-such-task") { id } }', undefined, { headers: { accept: 'text/event-stream' } });
        const events = readSse(res, new AbortController());
        expect({ run, status: res.status, results: await events.rest() }).toEqual({
          run,
          status: 200,
          results: [
            {
              data: { taskUpdated: null },
              errors: [expect.objectContaining({ path: ['taskUpdated'], locations: [{ line: 1, column: 16 }], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })],
            },
          ],
        });
      }
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
    }
  });

  it('compiles a document whose literals and aliases look like code as data: the answer, not an injection', async () => {
    const name = 'x"); throw new Error("injected"); ("` + "`${process.exit(1)}`" + `\\';
    const query = `{ _${'a'.repeat(3)}_constructor: vaults(filter: { name: ${JSON.stringify(name)} }) { totalCount } __proto__x: __typename }`;
    for (let run = 0; run < 2; run++) {
      expect(await stack.execute(query)).toEqual({ data: { _aaa_constructor: { totalCount: 0 }, __proto__x: 'Query' } });
    }
    expect(stack.calls()).toContain(`GET /v3/${P}/vaults?limit=20&name=${encodeURIComponent(name)}`);
  });
});
