/** Builds and serves the emulator over node:http: routing, faults, body parsing, auth, error bodies, request log, persistence. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClock } from './clock';
import { loadInitialData, resetEmulator, type Emulator, type EmulatorOptions } from './context';
import { ApiError, errorBody, invalidParameter, vbsError } from './errors';
import { createFaults } from './faults';
import { routes as defaultRoutes } from './handlers';
import { createIdentity, installDemoIdentity } from './identity';
import { createIds } from './ids';
import { createLog, type Log } from './log';
import { createPersistence } from './persistence';
import { resumePendingSteps } from './async-work';
import { resumeInFlightWork } from './recovery';
import { createRequestLog } from './request-log';
import { createRouter, type Api, type HttpMethod, type RequestContext, type Route } from './router';
import { createState } from './state';
import { scheduleAllPolicies } from './store/scheduler';

export { resetEmulator };

const MAX_BODY_BYTES = 1024 * 1024;
/** Real IAM tokens run to several KB; node's default 16 KB header limit would answer 431 to some of them. */
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Creates an emulator instance without listening (state, clock, identity, knobs); `startEmulator` serves it.
 * With `stateFile`, the file is loaded when it exists (the initial dataset is used otherwise) and saved after changes.
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const lifecycle = options.lifecycle ?? 'timed';
  const clock = createClock(options.clock ?? (lifecycle === 'manual' ? { mode: 'frozen' } : {}));
  const state = createState();
  // Persistence needs the finished object (it serialises it), so it is attached right after.
  const emulator = {
    options: { ...options, lifecycle },
    state,
    clock,
    ids: createIds(options.seed),
    identity: createIdentity({ clock, state }),
    requestLog: createRequestLog(),
    faults: createFaults(),
    log: createLog(options.logLevel),
    baseUrl: '',
  } as Emulator;
  emulator.persistence = createPersistence(emulator, options.stateFile);
  if (options.stateFile) {
    // Async work changes state on clock timers, outside any request: save after each such step too. Installed before
    // the data is loaded, so the steps that loading schedules (demo work, resumed work) save as well.
    const schedule = clock.schedule;
    clock.schedule = (delayMs, run) =>
      schedule(delayMs, () => {
        run();
        emulator.persistence.markDirty();
      });
  }
  const loaded = emulator.persistence.load();
  if (loaded) {
    installDemoIdentity(state); // a file from before a change of the demo identity still gets it
    // Clock jobs are not persisted, the steps they run are: replay them (a file from before steps were stored:
    // infer the work in flight from the records), and re-arm the policies' next runs.
    const resumed = loaded.version >= 2 ? resumePendingSteps(emulator, Date.parse(loaded.savedAt)) : resumeInFlightWork(emulator);
    if (resumed > 0) emulator.persistence.markDirty();
    scheduleAllPolicies(emulator);
  } else {
    loadInitialData(emulator);
    emulator.persistence.markDirty();
  }
  return emulator;
}

export interface RunningEmulator {
  emulator: Emulator;
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Stops listening, drops open connections, cancels pending async work and flushes the state file. */
  close(): Promise<void>;
}

/**
 * Starts the emulator on `options.port` (0 = ephemeral) and resolves once it listens.
 * `routeTable` replaces the handler table (tests of the platform add probe routes; everyone else omits it).
 */
export async function startEmulator(options: EmulatorOptions = {}, routeTable: readonly Route[] = defaultRoutes): Promise<RunningEmulator> {
  const emulator = createEmulator(options);
  const handle = createRequestHandler(emulator, routeTable);
  const server = createServer({ keepAliveTimeout: 60_000, maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  emulator.baseUrl = url;
  let closing: Promise<void> | undefined;
  return {
    emulator,
    url,
    port,
    close() {
      closing ??= (async () => {
        emulator.clock.clear();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        emulator.persistence.close();
      })();
      return closing;
    },
  };
}

const ADMIN_PREFIX = '/__admin/';

/** The node:http request listener: everything between the socket and a handler. */
export function createRequestHandler(emulator: Emulator, routeTable: readonly Route[] = defaultRoutes) {
  const router = createRouter(routeTable);
  let requestCounter = 0;

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `req-${(++requestCounter).toString(16).padStart(8, '0')}`;
    const url = parseTarget(req.url ?? '/');
    const method = (req.method ?? 'GET').toUpperCase();
    const match = router.match(method, url.pathname);
    const route = match && 'route' in match ? match.route : undefined;
    const routeName = route ? `${route.method} ${route.pattern}` : undefined;
    const api: Api | undefined = route?.api ?? (url.pathname.startsWith(ADMIN_PREFIX) ? 'admin' : undefined);
    let status = 500;
    let fault: 'error' | 'drop' | undefined;
    let clientClosed = false;
    let committed = false;
    let extraHeaders: Record<string, string> = {};
    // The body is read from the start, also while a latency knob waits: a client that sent it whole and then gave up
    // still gets its write done, as a service that received the request would.
    const body = hasBody(req) ? readBody(req) : Promise.resolve(NO_BODY);
    body.catch(() => undefined); // awaited (and its failure handled) below; not an unhandled rejection meanwhile
    try {
      const decision = emulator.faults.decide(method, routeName ?? `${method} ${url.pathname}`, url.pathname, api);
      if (decision) {
        if (decision.delayMs > 0) await sleep(decision.delayMs);
        if (decision.drop) {
          fault = 'drop';
          status = 0;
          req.socket.destroy();
          return;
        }
        if (decision.error) {
          fault = 'error';
          extraHeaders = decision.headers;
          throw decision.error;
        }
      }
      if (!match) throw new ApiError(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment', 'apig');
      if (!route) throw new ApiError(405, 'APIGW.0102', `Method ${method} is not allowed; allowed: ${(match as { allowed: string[] }).allowed.join(', ')}`, 'apig');
      const ctx: RequestContext = {
        method: method as HttpMethod,
        path: url.pathname,
        params: (match as { params: Record<string, string> }).params,
        query: new URLSearchParams(url.search),
        headers: req.headers,
        body: undefined,
        requestId,
        emulator,
      };
      const raw = await body;
      ctx.rawBody = raw;
      if (raw.length > 0) ctx.body = parseJson(raw, route);
      // Signature checks need the exact bytes; they run only for AK/SK requests (tokens are a map lookup).
      if (route.api === 'cbr' || route.api === 'vbs') ctx.principal = emulator.identity.authenticate(ctx, raw);
      const result = await route.handler(ctx);
      status = result.status;
      // A write is answered once it is on disk (with --state): what a client saw succeed survives a crash.
      if (isWrite(method, route.api) && status < 300) {
        await emulator.persistence.commit();
        committed = true;
      }
      // Faults after the change was made (faults.ts `latencyAfterCommit`, `dropAfterHandler`): the write happened, its
      // answer comes late or never.
      if (decision && decision.afterCommitMs > 0) await sleep(decision.afterCommitMs);
      if (decision?.dropAfterHandler) {
        fault = 'drop';
        status = 0;
        req.socket.destroy();
        return;
      }
      if (res.destroyed || req.socket.destroyed) {
        clientClosed = true;
        emulator.log.debug(`client closed the connection before the answer of ${method} ${url.pathname} (${status}; the work is done)`);
      }
      send(res, status, result.body, { 'x-request-id': requestId, ...result.headers });
    } catch (error) {
      if (isClientAbort(error, req)) {
        // Not a fault of the emulator and nobody to answer: the client went away before its request arrived whole.
        status = 499;
        clientClosed = true;
        emulator.log.debug(`client closed the connection during ${method} ${url.pathname} before its body arrived`);
        return;
      }
      const apiError = toApiError(error, route, emulator.log);
      status = apiError.status;
      send(res, status, errorBody(apiError, requestId), { 'x-request-id': requestId, ...extraHeaders });
    } finally {
      if (api !== 'admin') {
        emulator.requestLog.record({
          method,
          url: url.pathname + url.search,
          route: routeName,
          status,
          ...(fault ? { fault } : {}),
          ...(clientClosed ? { clientClosed: true as const } : {}),
        });
      }
      // Anything else that may have changed state (a failed write, an admin call) is saved shortly after.
      if (!committed && api !== undefined && isWrite(method, api)) emulator.persistence.markDirty();
    }
  };
}

/**
 * A path made only of these characters comes out of WHATWG URL parsing unchanged: no escapes (`%2e` is a dot), no dot
 * segments, no backslashes, no characters URL would percent-encode, and no leading `//` (which would be a host).
 */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9_~!$&'()*+,;=:@/-]*$/;
/** The same for a query (URL leaves existing `%XX` escapes alone and encodes `'` in an http query). */
const PLAIN_QUERY = /^[A-Za-z0-9_~!$&()*+,;=:@/?%.-]*$/;

/**
 * Path and query (`?…`, or empty) of a request target, as `new URL(target, base)` gives them. Most targets are plain,
 * and splitting them by hand spares every request a URL parse; anything else goes through URL.
 */
export function parseTarget(target: string): { pathname: string; search: string } {
  const q = target.indexOf('?');
  const pathname = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? '' : target.slice(q + 1);
  if (PLAIN_PATH.test(pathname) && PLAIN_QUERY.test(query)) return { pathname, search: query ? `?${query}` : '' };
  const url = new URL(target, 'http://emulator');
  return { pathname: url.pathname, search: url.search };
}

/** Requests that may change state: every method but GET and HEAD, on any API but version discovery. */
function isWrite(method: string, api: Api): boolean {
  return method !== 'GET' && method !== 'HEAD' && api !== 'meta';
}

/** A request stream that failed because its client disconnected (node: `aborted`, `ECONNRESET`). */
function isClientAbort(error: unknown, req: IncomingMessage): boolean {
  if (error instanceof ApiError) return false;
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ECONNABORTED' || (error as Error | undefined)?.message === 'aborted' || (req.destroyed && !req.complete);
}

function toApiError(error: unknown, route: Route | undefined, log: Log): ApiError {
  if (error instanceof ApiError) return error;
  // An unexpected failure is a bug of the emulator: answer like the real service's 500, keep the cause in the log.
  log.error('unexpected error', error);
  return route?.api === 'vbs'
    ? vbsError(500, 'VBS.0500', 'Internal server error')
    : new ApiError(500, 'BackupService.0500', 'Internal server error');
}

const NO_BODY = Buffer.alloc(0);

/** Most requests are bodiless GETs: skipping the stream for them keeps the hot path cheap. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return length !== undefined ? length !== '0' : req.headers['transfer-encoding'] !== undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw invalidParameter(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function parseJson(raw: Buffer, route: Route): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    if (route.api === 'vbs') throw vbsError(400, 'AutoBackup.0008', 'Invalid JSON format of the request body.');
    throw invalidParameter('request body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  if (body === undefined || status === 204) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json;charset=UTF-8',
    'content-length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}
