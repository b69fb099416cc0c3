/**
 * Test helper: the whole stack on loopback: an emulator on port 0 (`startTestEmulator`) and the gateway pointed at it,
 * queried through `gateway.fetch` (no listening gateway, no stubbed fetch). `calls()` is the emulator's CBR/VBS call
 * log, to pin how many upstream calls a query costs.
 */
import type { YogaLogger } from 'graphql-yoga';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { EmulatorOptions } from '../../src/emulator/context';
import { createGateway, type Gateway, type GatewayConfig } from '../../src/gateway/yoga';
import { startTestEmulator, type TestEmulator } from './emulator';

export interface ExecuteOptions {
  /** X-Auth-Token to send; `null` sends none. Default: the first test project's token. */
  token?: string | null;
  /** X-Project-Id to send; `null` sends none. Default: the first test project's id. */
  projectId?: string | null;
  headers?: Record<string, string>;
}

/** The JSON body of a GraphQL response. */
export interface GraphQLResponse<TData = any> {
  data?: TData | null;
  errors?: Array<{ message: string; path?: Array<string | number>; locations?: unknown; extensions?: Record<string, any> }>;
}

export interface Stack {
  emu: TestEmulator;
  gateway: Gateway;
  /** POSTs `{query, variables}` to /graphql and returns the parsed body. */
  execute<TData = any>(query: string, variables?: Record<string, unknown>, options?: ExecuteOptions): Promise<GraphQLResponse<TData>>;
  /** Same request, the raw Response (status, headers). */
  executeRaw(query: string, variables?: Record<string, unknown>, options?: ExecuteOptions): Promise<Response>;
  /** The CBR/VBS calls the emulator answered since the last `clearCalls`/`reset`, e.g. `GET /v3/<project>/vaults?limit=20`. */
  calls(): string[];
  clearCalls(): void;
  /** Empty emulator state (tokens stay valid), empty call log and log lines. */
  reset(): void;
  /** yoga's log lines (masked unexpected errors land here), instead of the console. */
  logged: Array<{ level: string; args: unknown[] }>;
  close(): Promise<void>;
}

type GatewayOverrides = Partial<Omit<GatewayConfig, 'cbrEndpoint' | 'vbsEndpoint'>>;

export interface StackOptions {
  emulator?: EmulatorOptions;
  /** Overrides of the gateway config (a function gets the emulator's URL, e.g. for IAM); endpoints always point at the emulator. */
  gateway?: GatewayOverrides | ((emulatorUrl: string) => GatewayOverrides);
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emu = await startTestEmulator(options.emulator);
  const logged: Stack['logged'] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      logged.push({ level, args });
    };
  const logger: YogaLogger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const overrides = typeof options.gateway === 'function' ? options.gateway(emu.url) : options.gateway;
  // Compiled at once: most tests send a query once, and the compiled path is the one an application's repeated
  // queries take (compiled-execution.test.ts pins the interpreted first run answering alike).
  const gateway = createGateway(
    // No circuit breaker unless a test asks for one: the fault tests of a file share one gateway, and their 5xx would
    // open it for the tests after them (circuit-breaker.test.ts tests it).
    { cbrEndpoint: emu.url, vbsEndpoint: emu.url, upstreamTimeoutMs: 5_000, compileAfterRuns: 0, circuitBreaker: false, ...overrides },
    { logger },
  );

  function request(query: string, variables: Record<string, unknown> | undefined, opts: ExecuteOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...opts.headers };
    const token = opts.token === undefined ? emu.project.token : opts.token;
    const projectId = opts.projectId === undefined ? emu.project.id : opts.projectId;
    if (token !== null) headers['x-auth-token'] = token;
    if (projectId !== null) headers['x-project-id'] = projectId;
    return Promise.resolve(
      gateway.fetch('http://gateway.test/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) }),
    );
  }

  return {
    emu,
    gateway,
    logged,
    executeRaw: request,
    async execute(query, variables, opts) {
      const res = await request(query, variables, opts);
      return (await res.json()) as GraphQLResponse;
    },
    calls: () => emu.emulator.requestLog.calls(),
    clearCalls: () => emu.emulator.requestLog.clear(),
    reset() {
      emu.reset();
      logged.length = 0;
    },
    async close() {
      await gateway.close();
      await emu.close();
    },
  };
}

/**
 * Registers the hooks of a test file (or describe block) that shares one stack: started before its tests, closed
 * after them, reset before each test. Returns the stack, filled in by that `beforeAll`, so use it in tests and hooks only.
 */
export function useStack(options: StackOptions = {}): Stack {
  const stack = {} as Stack;
  beforeAll(async () => {
    Object.assign(stack, await startStack(options));
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.reset());
  return stack;
}

/**
 * "Now" on the emulator's clock when the current test started, as ISO text: what frozen-clock tests expect in
 * `createdAt`-like fields. Read before each test (after `useStack`'s reset), as tests move the clock on and a reset
 * does not move it back.
 */
export function useTestStartTime(stack: Stack): () => string {
  let startedAt = 0;
  beforeEach(() => {
    startedAt = stack.emu.emulator.clock.now();
  });
  return () => new Date(startedAt).toISOString();
}
