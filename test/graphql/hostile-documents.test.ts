/**
 * Hostile documents over real sockets: each shape is refused (or answered) within a small budget while a concurrent
 * `{ __typename }` keeps answering. The budgets are generous (seconds) so a loaded machine does not fail them; the
 * shapes they guard against took minutes (2^40 fragment expansion) before the limits were linear.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureOperation } from '../../src/gateway/query-cost';
import { withinCompileBudget } from '../../src/gateway/compiled-execution';
import { createGatewaySchema } from '../../src/gateway/schema';
import { nodeListener } from '../../src/gateway/node-listener';
import { startStack, type Stack } from '../helpers/stack';

/** `fragment F1 on Vault { ...F0 ...F0 }`, each spreading the previous one `fanOut` times: fanOut^n fields once expanded. */
function fragmentChain(n: number, fanOut: number): string {
  let doc = `query { vaults { nodes { ...F${n} } } } fragment F0 on Vault { id name }`;
  for (let i = 1; i <= n; i++) doc += ` fragment F${i} on Vault { ${Array.from({ length: fanOut }, () => `...F${i - 1}`).join(' ')} }`;
  return doc;
}

describe('measuring an operation is linear in the document', () => {
  const schema = createGatewaySchema();

  it('counts 2^40 fields of a doubling fragment chain in 40 steps', () => {
    const started = performance.now();
    const measure = measureOperation(schema, parse(fragmentChain(40, 2)), undefined, {});
    expect(measure?.fields).toBe(2 + 2 ** 40 * 2);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('multiplies by page sizes, literal, variable, variable default and argument default', () => {
    const query = parse(`query ($n: Int, $m: Int = 7) {
      a: vaults(first: 10) { nodes { id } }
      b: vaults(first: $n) { nodes { id } }
      c: vaults(first: $m) { nodes { id } }
      d: vaults { nodes { id } }
    }`);
    // Each: 1 (vaults) + size × (1 nodes + 1 id).
    expect(measureOperation(schema, query, undefined, { n: 3 })?.cost).toBe(1 + 10 * 2 + (1 + 3 * 2) + (1 + 7 * 2) + (1 + 20 * 2));
  });

  it('leaves the compile budget: large documents and bursts run interpreted', () => {
    let now = 0;
    const affordable = withinCompileBudget({ maxFields: 10, fieldsPerSecond: 12 }, () => now);
    const args = (text: string) => ({ schema, document: parse(text) }) as Parameters<typeof affordable>[0];
    const small = args('{ vaults { nodes { id name } } }'); // 4 fields
    expect(affordable(args('{ vaults { nodes { id name description createdAt projectId billing { sizeGb usedMb status } } } }'))).toBe(false);
    expect([affordable(small), affordable(args('{ a: vaults { nodes { id name } } }')), affordable(args('{ b: vaults { nodes { id name } } }'))]).toEqual([true, true, true]);
    // 12 fields spent in this second: the next one waits for the next second; a compiled one costs nothing.
    const fourth = args('{ c: vaults { nodes { id name } } }');
    expect([affordable(fourth), affordable(small)]).toEqual([false, true]);
    now = 1_000;
    expect(affordable(fourth)).toBe(true);
  });
});

describe('hostile documents against a listening gateway', () => {
  let stack: Stack;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    stack = await startStack({ gateway: { compileAfterRuns: 1 } });
    server = createServer(nodeListener(stack.gateway));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await stack.close();
  });

  async function post(query: string, variables?: Record<string, unknown>) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-auth-token': stack.emu.project.token, 'x-project-id': stack.emu.project.id },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> } };
  }

  /** Sends `{ __typename }` every 50 ms while `work` runs; returns the slowest answer's time and how many answered. */
  async function whileProbing<T>(work: () => Promise<T>): Promise<{ result: T; slowestMs: number; answered: number }> {
    let done = false;
    let slowestMs = 0;
    let answered = 0;
    const probing = (async () => {
      while (!done) {
        const started = performance.now();
        const { body } = await post('{ __typename }');
        expect(body).toEqual({ data: { __typename: 'Query' } });
        slowestMs = Math.max(slowestMs, performance.now() - started);
        answered++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      const result = await work();
      return { result, slowestMs, answered };
    } finally {
      done = true;
      await probing;
    }
  }

  it.each([
    ['a doubling fragment chain, 40 deep', fragmentChain(40, 2)],
    ['a four-way fan-out chain, 20 deep', fragmentChain(20, 4)],
  ])('refuses %s before execution with QUERY_TOO_COMPLEX, twice', async (_, query) => {
    stack.clearCalls();
    const { result, slowestMs } = await whileProbing(async () => {
      const started = performance.now();
      // Twice: the second run of a document is the one that would be compiled.
      const answers = [await post(query), await post(query)];
      return { answers, ms: performance.now() - started };
    });
    for (const { status, body } of result.answers) {
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', maxCost: 50_000 }) })]);
    }
    expect(result.ms).toBeLessThan(5_000);
    expect(slowestMs).toBeLessThan(2_000);
    expect(stack.calls()).toEqual([]);
  });

  it('answers a chain of 300 nested inline fragments within the budget', async () => {
    const query = `{ vaults { nodes { ${'... on Vault { '.repeat(300)}id${' }'.repeat(300)} } } }`;
    const { result, slowestMs } = await whileProbing(async () => [await post(query), await post(query)]);
    for (const { body } of result) expect(body).toEqual({ data: { vaults: { nodes: [] } } });
    expect(slowestMs).toBeLessThan(2_000);
  });

  it('counts page sizes given in variables: refused at 1000 × 1000, answered at 5 × 5, no upstream call when refused', async () => {
    const query = `query ($n: Int) { vaults(first: $n) { nodes { name backups(first: $n) { nodes { id name status } } } } }`;
    stack.clearCalls();
    const refused = await post(query, { n: 1000 });
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', cost: 1 + 1000 * (1 + 1 + 1 + 1000 * 4), maxCost: 50_000 });
    expect(stack.calls()).toEqual([]);
    const answered = await post(query, { n: 5 });
    expect(answered.body).toEqual({ data: { vaults: { nodes: [] } } });
  });

  it('keeps answering while 20 distinct large documents arrive twice each (compiled on their second run if affordable)', async () => {
    const fields = 'id name description projectId createdAt billing { sizeGb usedMb status objectType } policy { id name enabled } resources { id name type }';
    const documents = Array.from(
      { length: 20 },
      (_, d) => `{ ${Array.from({ length: 15 }, (__, i) => `d${d}a${i}: vaults(first: 2) { nodes { ...F } }`).join(' ')} } fragment F on Vault { ${fields} resources { vault { ${fields} } } }`,
    );
    const { result, slowestMs, answered } = await whileProbing(async () => {
      const answers = [];
      for (const run of [0, 1]) for (const document of documents) answers.push({ run, ...(await post(document)) });
      return answers;
    });
    for (const { body } of result) expect(body.errors).toBeUndefined();
    expect(result).toHaveLength(40);
    expect(answered).toBeGreaterThan(0);
    expect(slowestMs).toBeLessThan(2_000);
  });
});
