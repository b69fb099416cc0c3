/**
 * One bench operation in a loop, to profile the gateway's CPU on it (the bench's stack, 1 ms upstream latency so the
 * process is rarely idle):
 *
 *   node --import tsx --max-semi-space-size=64 --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.ts dashboard [seconds]
 *
 * Operations: the names of operations.ts (`dashboard`, `single vault`, `100 backups`, `create+delete vault`). Prints
 * the CPU ms per operation of the whole process (emulator and load generator included), as the bench's CPU/op column.
 */
import { runLoad } from './load';
import { DATASET, OPERATIONS, datasetFrom } from './operations';
import { graphqlCaller, startBenchStack } from './stack';

const CLIENTS = 8;

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'dashboard';
  const seconds = Number(process.argv[3] ?? '5');
  const op = OPERATIONS.find((o) => o.name === name);
  if (!op) throw new Error(`unknown operation "${name}"; one of: ${OPERATIONS.map((o) => o.name).join(', ')}`);
  const stack = await startBenchStack({ latencyMs: 1, clients: CLIENTS });
  try {
    const gql = graphqlCaller(stack);
    const dataset = datasetFrom(await gql(DATASET));
    const operation = () => op.run(gql, dataset);
    await runLoad({ clients: CLIENTS, durationMs: 2000, warmupMs: 0, operation });
    const stats = await runLoad({ clients: CLIENTS, durationMs: seconds * 1000, warmupMs: 0, operation });
    console.log(`${name}: ${stats.count} operations, ${stats.cpuMsPerOp.toFixed(3)} CPU ms each, ${stats.errors} errors`);
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
