/**
 * The gateway's own CPU per operation, without the emulator, the network or the load generator's HTTP in the figure:
 *
 *   npx tsx --max-semi-space-size=64 bench/gateway-cpu.ts "single vault" [ms per round] [rounds]
 *
 * Records the upstream answers of one run of the operation against the emulator, then serves them from undici's
 * MockAgent (no network) and calls `gateway.fetch` from 8 concurrent callers in this process. Prints the CPU ms per
 * operation of each round and their minimum: the minimum is the figure to compare (what other work on a shared
 * machine adds only ever raises a round). Side by side: run it on two checkouts one after the other, several times.
 * `npm run bench`'s CPU/op column also holds the emulator, node:http and the load generator; this is the part a change
 * of the gateway's code can move.
 */
import { MockAgent } from 'undici';
import type { YogaLogger } from 'graphql-yoga';
import { createGateway } from '../src/gateway/yoga';
import { DATASET, OPERATIONS, datasetFrom, type GraphQLCaller } from './operations';
import { graphqlCaller, startBenchStack } from './stack';

const CALLERS = 8;

async function main(): Promise<void> {
  const [name = 'single vault', msArg = '500', roundsArg = '9'] = process.argv.slice(2);
  const op = OPERATIONS.find((o) => o.name === name);
  if (!op) throw new Error(`unknown operation "${name}"; one of: ${OPERATIONS.map((o) => o.name).join(', ')}`);

  // One run against the emulator, recorded.
  const stack = await startBenchStack({ latencyMs: 0, clients: 2 });
  const recorded = graphqlCaller(stack);
  const dataset = datasetFrom(await recorded(DATASET));
  stack.recorder.start();
  await op.run(recorded, dataset);
  const calls = stack.recorder.stop();
  const origin = stack.emulator.url;
  const projectId = stack.projectId;
  await stack.close();

  // The same answers, from memory.
  const upstream = new MockAgent({ connections: 64 });
  upstream.disableNetConnect();
  const pool = upstream.get(origin);
  for (const call of calls) {
    pool.intercept({ path: call.path, method: call.method }).reply(call.status, call.responseBody, { headers: { 'content-type': 'application/json' } }).persist();
  }
  const errors: unknown[][] = [];
  const keep = (...args: unknown[]) => void (errors.length < 5 && errors.push(args));
  const logger: YogaLogger = { debug: () => {}, info: () => {}, warn: keep, error: keep };
  const gateway = createGateway(
    { cbrEndpoint: origin, vbsEndpoint: origin, tenantCallsPerMinute: 1e9, tenantMaxConcurrentCalls: 10_000 },
    { dispatcher: upstream, logger },
  );
  const headers = { 'content-type': 'application/json', accept: 'application/json', 'x-auth-token': 'bench', 'x-project-id': projectId };
  const gql: GraphQLCaller = async (query, variables) => {
    const res = await gateway.fetch('http://127.0.0.1/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const text = await res.text();
    if (res.status !== 200 || text.includes('"errors":')) throw new Error(`gateway answered ${res.status}: ${text.slice(0, 300)}`);
    return text;
  };

  async function round(ms: number): Promise<number> {
    const end = Date.now() + ms;
    let count = 0;
    const start = process.cpuUsage();
    await Promise.all(
      Array.from({ length: CALLERS }, async () => {
        while (Date.now() < end) {
          await op!.run(gql, dataset);
          count++;
        }
      }),
    );
    const cpu = process.cpuUsage(start);
    return (cpu.user + cpu.system) / 1000 / count;
  }

  try {
    await round(1500);
    const rounds: number[] = [];
    for (let i = 0; i < Number(roundsArg); i++) rounds.push(await round(Number(msArg)));
    const sorted = [...rounds].sort((a, b) => a - b);
    console.log(`${name}: gateway CPU ms per operation, min ${sorted[0]!.toFixed(3)}, median ${sorted[sorted.length >> 1]!.toFixed(3)} (rounds: ${rounds.map((r) => r.toFixed(3)).join(' ')})`);
    if (errors.length > 0) console.log('gateway logged:', errors);
  } finally {
    await gateway.close();
    await upstream.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
