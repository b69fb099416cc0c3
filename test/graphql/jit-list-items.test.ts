/**
 * graphql-jit and rejected list items, on a tiny schema against graphql-js's `execute`: which shapes graphql-jit
 * answers differently (an item promise that rejects: its null lands at the end of the list, not at its index), which it
 * answers alike (an item whose async sub-field rejects), and that settleListItems (src/gateway/list-items.ts) makes
 * every shape answer as graphql-js does. The same through the gateway against the emulator: jit-list-items-e2e.test.ts.
 */
import { buildSchema, execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { describe, expect, it } from 'vitest';
import { settleItems, settleListItems } from '../../src/gateway/list-items';

const SDL = /* GraphQL */ `
  type Item { id: Int, later: Int, laterStrict: Int! }
  type Query {
    items: [Item]
    strictItems: [Item!]
    ints: [Int]
    plain: [Item]
    asyncItems: [Item]
  }
`;

type Outcome = 'ok' | 'fail';

/** One run's item promises: settled from the test, in the order it picks, so no timing decides the answer. */
interface Run {
  outcomes: Outcome[];
  settle: Array<() => void>;
  promises: Array<Promise<number>>;
}

function newRun(outcomes: Outcome[]): Run {
  const settle: Array<() => void> = [];
  const promises = outcomes.map(
    (outcome, i) =>
      new Promise<number>((resolve, reject) => {
        settle[i] = () => (outcome === 'ok' ? resolve(i) : reject(new Error(`item ${i} failed`)));
      }),
  );
  return { outcomes, settle, promises };
}

function tinySchema(): GraphQLSchema {
  const schema = buildSchema(SDL);
  const query = schema.getQueryType()!.getFields();
  const item = (id: number) => ({ id });
  // A list of item promises (as `ids.map((id) => loader.load(id))` gives).
  query.items!.resolve = (_s, _a, run: Run) => run.promises.map((p) => p.then(item));
  query.strictItems!.resolve = (_s, _a, run: Run) => run.promises.map((p) => p.then(item));
  query.ints!.resolve = (_s, _a, run: Run) => run.promises;
  // Plain items whose own field is async (a nested edge of a list item).
  query.plain!.resolve = (_s, _a, run: Run) => run.outcomes.map((_, i) => item(i));
  // A promise of a list of item promises.
  query.asyncItems!.resolve = async (_s, _a, run: Run) => run.promises.map((p) => p.then(item));
  const fields = schema.getType('Item') as unknown as { getFields(): Record<string, { resolve?: unknown }> };
  const later = (source: { id: number }, _a: unknown, run: Run) => run.promises[source.id]!.then((n) => n * 10);
  fields.getFields().later!.resolve = later;
  fields.getFields().laterStrict!.resolve = later;
  return schema;
}

/** data and errors (message and path), as a client compares them. */
function answer(result: ExecutionResult) {
  return JSON.parse(JSON.stringify({ data: result.data, errors: result.errors?.map((e) => ({ message: e.message, path: e.path })) }));
}

/** Runs `query` with `outcomes`, settling the items in `order` (one macrotask apart), with graphql-js or graphql-jit. */
async function run(engine: 'js' | 'jit', schema: GraphQLSchema, query: string, outcomes: Outcome[], order: number[]) {
  const document = parse(query);
  const state = newRun(outcomes);
  let pending: Promise<ExecutionResult> | ExecutionResult;
  if (engine === 'js') {
    pending = execute({ schema, document, contextValue: state });
  } else {
    const compiled = compileQuery(schema, document);
    if (!isCompiledQuery(compiled)) throw new Error(JSON.stringify(compiled));
    pending = compiled.query(undefined, state, {});
  }
  for (const index of order) {
    await new Promise((resolve) => setImmediate(resolve));
    state.settle[index]!();
  }
  return answer(await pending);
}

const SHAPES = {
  'item promises, nullable items': '{ items { id } }',
  'item promises, non-null items': '{ strictItems { id } }',
  'item promises of a leaf type': '{ ints }',
  'a promise of item promises': '{ asyncItems { id } }',
  'plain items, nullable async sub-field': '{ plain { id later } }',
  'plain items, non-null async sub-field': '{ plain { id laterStrict } }',
};

/** One failing item: last, middle or first; settled before the others or after them. */
const CASES: Array<{ name: string; outcomes: Outcome[]; order: number[] }> = [
  { name: 'the last fails first', outcomes: ['ok', 'ok', 'fail'], order: [2, 0, 1] },
  { name: 'the last fails last', outcomes: ['ok', 'ok', 'fail'], order: [0, 1, 2] },
  { name: 'a middle one fails first', outcomes: ['ok', 'fail', 'ok'], order: [1, 0, 2] },
  { name: 'a middle one fails last', outcomes: ['ok', 'fail', 'ok'], order: [0, 2, 1] },
  { name: 'the first fails last', outcomes: ['fail', 'ok', 'ok'], order: [1, 2, 0] },
];

describe('graphql-jit 0.8.9 on its own (why list-items.ts exists)', () => {
  const schema = tinySchema();

  it('misplaces the null of a rejected item promise in a nullable-item list: trailing items lost, or one too many', async () => {
    const lastFirst = CASES[0]!;
    expect(await run('js', schema, '{ items { id } }', lastFirst.outcomes, lastFirst.order)).toEqual({
      data: { items: [{ id: 0 }, { id: 1 }, null] },
      errors: [{ message: 'item 2 failed', path: ['items', 2] }],
    });
    // The null went to index 0 first and was overwritten by item 0: the list lost its last item.
    expect(await run('jit', schema, '{ items { id } }', lastFirst.outcomes, lastFirst.order)).toEqual({
      data: { items: [{ id: 0 }, { id: 1 }] },
      errors: [{ message: 'item 2 failed', path: ['items', 2] }],
    });
    // A middle item failing after the others: its null is appended as a fourth item, its own index left a hole.
    const middleLast = CASES[3]!;
    expect(await run('jit', schema, '{ ints }', middleLast.outcomes, middleLast.order)).toEqual({
      data: { ints: [0, null, 2, null] },
      errors: [{ message: 'item 1 failed', path: ['ints', 1] }],
    });
  });

  it('reports every failed item of a non-null-item list where graphql-js reports the first; the data is the same', async () => {
    // Left as is (no data differs); pinned so that a graphql-jit release changing it is noticed.
    const outcomes: Outcome[] = ['fail', 'ok', 'fail'];
    const js = await run('js', schema, '{ strictItems { id } }', outcomes, [2, 1, 0]);
    expect(js).toEqual({ data: { strictItems: null }, errors: [{ message: 'item 2 failed', path: ['strictItems', 2] }] });
    expect(await run('jit', settleListItems(tinySchema()), '{ strictItems { id } }', outcomes, [2, 1, 0])).toEqual({
      data: { strictItems: null },
      errors: [
        { message: 'item 2 failed', path: ['strictItems', 2] },
        { message: 'item 0 failed', path: ['strictItems', 0] },
      ],
    });
  });

  it('answers a rejected async sub-field of plain list items as graphql-js does, whatever the order', async () => {
    for (const query of [SHAPES['plain items, nullable async sub-field'], SHAPES['plain items, non-null async sub-field']]) {
      for (const { name, outcomes, order } of CASES) {
        const js = await run('js', schema, query, outcomes, order);
        expect({ name, query, answer: await run('jit', schema, query, outcomes, order) }).toEqual({ name, query, answer: js });
      }
    }
  });
});

describe('settleListItems', () => {
  const plain = tinySchema();
  const settled = settleListItems(tinySchema());

  it('makes graphql-jit answer every shape as graphql-js does (same data, same errors with paths)', async () => {
    for (const [shape, query] of Object.entries(SHAPES)) {
      for (const { name, outcomes, order } of CASES) {
        const js = await run('js', plain, query, outcomes, order);
        expect({ shape, name, answer: await run('jit', settled, query, outcomes, order) }).toEqual({ shape, name, answer: js });
        // And graphql-js itself answers the settled schema as before.
        expect({ shape, name, answer: await run('js', settled, query, outcomes, order) }).toEqual({ shape, name, answer: js });
      }
    }
  });

  it('turns a rejection into its Error and leaves lists without promises untouched', async () => {
    const list = [1, { id: 2 }];
    expect(settleItems(list)).toBe(list);
    expect(settleItems(null)).toBeNull();
    const [ok, failed, odd] = settleItems([Promise.resolve(1), Promise.reject(new Error('no')), Promise.reject('text')]) as Array<Promise<unknown>>;
    expect(await ok).toBe(1);
    expect(await failed).toEqual(new Error('no'));
    // graphql-js's wording for a non-Error rejection.
    expect(await odd).toBeInstanceOf(Error);
    expect((await odd as Error).message).toBe('Unexpected error value: "text"');
  });
});
