/**
 * `npm run bench [-- --duration S --warmup S --latency MS --clients 1,50 --rounds R --runs N --json --skip-emulator-bench]`
 *
 * What the gateway costs over calling CBR directly. The emulator (demo data, a fixed latency on every upstream call)
 * and the gateway run in this process on 127.0.0.1; undici drives both. For each representative operation it prints
 * the upstream calls of one gateway run (from the emulator's request log) against the API's minimum, then latency
 * p50/p99 and throughput at each client count, through the gateway and for the same REST calls sent directly with
 * the gateway's dependency order (waves.ts). Then the emulator's own GET throughput (bench/emulator.ts, run as a
 * child process so it gets a core of its own), and the floor: what `{ __typename }` costs through the gateway over a
 * bare HTTP answer (floor.ts). Nothing here asserts a figure; it reports them.
 *
 * All three (emulator, gateway, load generator) share one thread, so at high client counts the figures measure that
 * thread's CPU as much as the gateway: compare the gateway and REST columns of the same row, not rows across machines.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureRoundTripCpuMs } from './calibrate';
import { FLOOR_QUERY, measureFloor, type Floor } from './floor';
import { startParsingHop, type ParsingHop } from './hop';
import { measureConcurrentDashboards, type ConcurrentDashboards } from './concurrent';
import { DATASET, OPERATIONS, datasetFrom } from './operations';
import { createRestReplay, createWaveSender } from './replay';
import { formatReport, type BenchSettings, type OperationReport } from './report';
import { runLoad } from './load';
import { sideBySide } from './side-by-side';
import { graphqlCaller, startBenchStack, UPSTREAM_CONNECTIONS } from './stack';
import { groupWaves, wavesPerRequest } from './waves';

/** Unmeasured load per operation and side before the first cell. */
const WARMUP_PER_SIDE_MS = 1000;
const WARMUP_CLIENTS = 8;
/** "20 concurrent identical dashboards" (issue 11). */
const CONCURRENT_CLIENTS = 20;
/** The emulator GET benchmark's target: authenticated GETs per second with the emulator on one core. */
const EMULATOR_TARGET_RPS = 5000;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '0.5' },
    latency: { type: 'string', default: '20' },
    clients: { type: 'string', default: '1,50' },
    json: { type: 'boolean', default: false },
    'skip-emulator-bench': { type: 'boolean', default: false },
    'emulator-duration': { type: 'string', default: '3' },
    // Consecutive runs in this process: the RSS after each tells whether memory stays flat (issue 11 asks for five).
    runs: { type: 'string', default: '1' },
    // Each cell's window split into rounds that alternate the sides, so a burst of other work on this shared machine
    // falls on all of them alike instead of on whichever side ran at that moment.
    rounds: { type: 'string', default: '3' },
  },
});

function positive(name: string, raw: string, max: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be a number in (0, ${max}], got ${raw}`);
  return n;
}

const settings: BenchSettings = {
  latencyMs: Math.round(positive('latency', values.latency, 10_000)),
  durationS: positive('duration', values.duration, 60),
  warmupS: positive('warmup', values.warmup, 10),
  clients: values.clients.split(',').map((c) => Math.round(positive('clients', c, 500))),
  rounds: Math.round(positive('rounds', values.rounds, 20)),
};

/** Progress goes to stderr, so stdout is only the report (or only the JSON with --json). */
const progress = (line: string) => process.stderr.write(`${line}\n`);

async function benchOperations(
  roundTripCpuMs: number,
): Promise<{ context: string[]; operations: OperationReport[]; concurrent: ConcurrentDashboards; floor: Floor }> {
  // Other processes on the machine slow every figure here; the reader needs to know how busy it was.
  const machine =
    `machine: ${availableParallelism()} cores, one trivial HTTP round trip = ${roundTripCpuMs.toFixed(3)} CPU ms, ` +
    `load average ${loadavg()[0]!.toFixed(2)} at start`;
  const stack = await startBenchStack({ latencyMs: settings.latencyMs, clients: Math.max(...settings.clients) });
  const hops: ParsingHop[] = [];
  try {
    const gql = graphqlCaller(stack);
    const dataset = datasetFrom(await gql(DATASET));
    const callers = Array.from({ length: Math.max(...settings.clients, WARMUP_CLIENTS) }, () =>
      graphqlCaller({ ...stack, token: stack.emulator.emulator.identity.issueToken(stack.projectId).token }),
    );
    const shortPath = (path: string) => path.replaceAll(stack.projectId, '{p}');
    const reports: OperationReport[] = [];

    // Record every operation and check its replay first, then warm everything up, then measure: the first measured
    // cell must not run on code the JIT has not optimised yet (it made the first cell read several ms slower).
    const prepared = [];
    for (const op of OPERATIONS) {
      progress(`${op.name}: recording one run`);
      await op.run(gql, dataset); // connections warm before the recorded run
      stack.emulator.emulator.requestLog.clear();
      stack.recorder.start();
      const requestStarts: number[] = [];
      await op.run((query, variables) => (requestStarts.push(performance.now()), gql(query, variables)), dataset);
      const recorded = stack.recorder.stop();
      const logged = stack.emulator.emulator.requestLog.calls();
      if (logged.length !== recorded.length) {
        throw new Error(`${op.name}: the emulator logged ${logged.length} calls, the gateway's pool sent ${recorded.length}`);
      }
      const waves = groupWaves(recorded);
      const replay = createRestReplay({ origin: stack.emulator.url, token: stack.token, dispatcher: stack.restPool, waves });
      await replay(); // fails here, before measuring, when the replay does not reproduce the recording
      const sendWave = createWaveSender({ origin: stack.emulator.url, token: stack.token, dispatcher: stack.restPool, waves, parseEvery: true });
      const hop = await startParsingHop(sendWave, wavesPerRequest(waves, requestStarts), stack.gatewayClientPool);
      hops.push(hop);
      await hop.call();
      // Each client its own token, as each user of a console has: identical GETs of different identities are never
      // shared (coalesce.ts), so every cell compares the same work. What sharing saves for one identity's many tabs
      // is measured apart ("concurrent identical dashboards").
      prepared.push({ op, logged, waves, gateway: (worker: number) => op.run(callers[worker]!, dataset), rest: replay, hop: hop.call });
    }
    progress(`warming up: ${WARMUP_PER_SIDE_MS} ms of each operation through the gateway, directly and through the parsing hop`);
    for (const { gateway, rest, hop } of prepared) {
      for (const operation of [gateway, rest, hop]) await runLoad({ clients: WARMUP_CLIENTS, durationMs: WARMUP_PER_SIDE_MS, warmupMs: 0, operation });
    }

    for (const { op, logged, waves, gateway: viaGateway, rest: direct, hop: viaHop } of prepared) {
      const cells: OperationReport['cells'] = [];
      for (const clients of settings.clients) {
        progress(`${op.name}: ${clients} client(s), gateway / REST / parsing hop in ${settings.rounds} rounds`);
        const [gateway, rest, hop] = await sideBySide([viaGateway, direct, viaHop], {
          clients,
          durationMs: settings.durationS * 1000,
          warmupMs: settings.warmupS * 1000,
          rounds: settings.rounds,
        });
        for (const [side, cell] of [['gateway', gateway], ['REST', rest], ['parsing hop', hop]] as const) {
          if (cell.firstError) progress(`  ${side}: ${cell.errors} errors, first: ${cell.firstError}`);
        }
        cells.push({ clients, gateway, rest, hop });
      }
      const minimum = op.minimumCalls(dataset);
      reports.push({
        name: op.name,
        summary: op.summary,
        calls: {
          calls: logged.length,
          minimum: minimum.calls,
          minimumWhy: minimum.why,
          minimumWaves: op.minimumWaves,
          waves: waves.map((wave) => wave.map((call) => `${call.method} ${shortPath(call.path)}`)),
        },
        cells,
      });
    }
    progress(`${CONCURRENT_CLIENTS} concurrent identical dashboards: a burst, then ${CONCURRENT_CLIENTS} clients through the gateway and directly`);
    const concurrent = await measureConcurrentDashboards({
      stack,
      gql,
      rest: prepared.find((p) => p.op.name === 'dashboard')!.rest,
      clients: CONCURRENT_CLIENTS,
      durationMs: settings.durationS * 1000,
      warmupMs: settings.warmupS * 1000,
    });
    progress(`floor: ${FLOOR_QUERY} through the gateway and from a bare node:http server`);
    const floor = await measureFloor({
      gql,
      pool: stack.gatewayClientPool,
      idleMs: settings.latencyMs,
      busyClients: Math.max(...settings.clients),
      durationMs: settings.durationS * 1000,
      warmupMs: settings.warmupS * 1000,
    });
    if (stack.gatewayErrors.length > 0) progress(`gateway logged errors, first: ${JSON.stringify(stack.gatewayErrors[0])}`);
    const context = [
      `${machine}, ${loadavg()[0]!.toFixed(2)} at end`,
      `all in one process on 127.0.0.1: emulator (demo data, lifecycle immediate), gateway (node:http), undici load generator; ` +
        `${UPSTREAM_CONNECTIONS} upstream connections for the gateway and for the REST baseline alike`,
      `dataset: ${dataset.vaultCount} vaults in project {p} = ${stack.projectId}; single vault ${dataset.vaultId}`,
      'REST = the recorded calls of one gateway run sent directly: each wave in parallel, waves in sequence, bodies read but not parsed',
      'parsing hop (bench/hop.ts) = a bare node:http server in front that sends the same calls, JSON.parses every answer ' +
        'and sends them on serialised again, in as many requests as the gateway takes: the least any HTTP gateway adds',
      `each gateway client sends its own token (no two share an upstream call); each cell is ${settings.rounds} rounds alternating the three sides`,
      `floor (bench/floor.ts): ${FLOOR_QUERY} through the gateway answers ${(floor.gatewayP50 - floor.bareP50).toFixed(2)} ms (p50) later than ` +
        `a bare node:http server with the same answer (1 client, each after a ${settings.latencyMs} ms pause): ` +
        'that much of every Δp50 below is HTTP + yoga before any resolver runs; ' +
        `with ${floor.busyClients} clients and no pause it costs ${(floor.gatewayCpuMs - floor.bareCpuMs).toFixed(2)} CPU ms per request more than the bare server`,
    ];
    return { context, operations: reports, concurrent, floor };
  } finally {
    await Promise.all(hops.map((hop) => hop.close()));
    await stack.close();
  }
}

interface EmulatorBench {
  output: string;
  /** Wall-clock figure: depends on what else the machine runs. */
  requestsPerSecond: number | undefined;
  /** Requests per CPU-second of the emulator process (one core fully busy), when the bench could read its CPU time. */
  requestsPerCpuSecond: number | undefined;
}

/** Runs bench/emulator.ts as it runs on its own (emulator in a child process of it), and reads its req/s. */
async function benchEmulator(durationS: number): Promise<EmulatorBench> {
  const script = fileURLToPath(new URL('./emulator.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--duration', String(durationS), '--no-writes'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const limitMs = (durationS + 30) * 1000;
  const killer = setTimeout(() => child.kill('SIGTERM'), limitMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(killer);
  if (code !== 0) throw new Error(`bench/emulator.ts exited with ${code}:\n${output}`);
  const figure = (pattern: RegExp) => {
    const match = pattern.exec(output);
    return match ? Number(match[1]) : undefined;
  };
  return { output: output.trimEnd(), requestsPerSecond: figure(/req\/s\s+(\d+)/), requestsPerCpuSecond: figure(/(\d+) req per CPU-second/) };
}

async function main(): Promise<void> {
  const started = performance.now();
  progress('calibrating: trivial HTTP round trips');
  const roundTripCpuMs = await measureRoundTripCpuMs();
  const runs = Math.round(positive('runs', values.runs, 20));
  const rssMbs: number[] = [];
  let result!: Awaited<ReturnType<typeof benchOperations>>;
  for (let run = 1; run <= runs; run++) {
    if (runs > 1) progress(`run ${run} of ${runs}`);
    result = await benchOperations(roundTripCpuMs);
    rssMbs.push(process.memoryUsage.rss() / 2 ** 20);
  }
  const { context, operations, concurrent, floor } = result;
  const report = formatReport(settings, context, operations, roundTripCpuMs, concurrent, rssMbs, floor);
  (values.json ? progress : console.log)(report);

  let emulator: EmulatorBench | undefined;
  if (!values['skip-emulator-bench']) {
    progress('emulator GET benchmark');
    emulator = await benchEmulator(positive('emulator-duration', values['emulator-duration'], 60));
    // On a busy machine the wall-clock rate understates the emulator; per CPU-second it is "on one core".
    const rps = emulator.requestsPerCpuSecond ?? emulator.requestsPerSecond;
    const unit = emulator.requestsPerCpuSecond === undefined ? 'GETs/s (wall clock)' : 'GETs per emulator CPU-second';
    const verdict = rps === undefined ? 'no figure found' : `${rps} ${unit} vs ≥ ${EMULATOR_TARGET_RPS}: ${rps >= EMULATOR_TARGET_RPS ? 'met' : 'MISSED'}`;
    const lines = ['', 'Emulator GET throughput (bench/emulator.ts, emulator in its own process)', ...emulator.output.split('\n').map((l) => `  ${l}`), `  target: ${verdict}`];
    (values.json ? progress : console.log)(lines.join('\n'));
  }
  progress(`bench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  if (values.json) {
    console.log(
      JSON.stringify(
        {
          settings,
          roundTripCpuMs,
          context,
          operations,
          concurrent,
          rssMbs,
          emulator: emulator && {
            requestsPerSecond: emulator.requestsPerSecond,
            requestsPerCpuSecond: emulator.requestsPerCpuSecond,
            targetRequestsPerSecond: EMULATOR_TARGET_RPS, output: emulator.output },
        },
        null,
        2,
      ),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
