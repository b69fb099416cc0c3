/** Builds and serves the emulator over node:http: routing, body parsing, auth, error bodies, request log. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClock } from './clock';
import type { Emulator, EmulatorOptions } from './context';
import { ApiError, errorBody, invalidParameter, vbsError } from './errors';
import { routes } from './handlers';
import { createIdentity } from './identity';
import { createIds } from './ids';
import { createRequestLog } from './request-log';
import { createRouter, type HttpMethod, type RequestContext, type Route } from './router';
import { createState } from './state';

const MAX_BODY_BYTES = 1024 * 1024;

/** Creates an emulator instance without listening (state, clock, identity); `startEmulator` serves it. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const lifecycle = options.lifecycle ?? 'timed';
  const clock = createClock(options.clock ?? (lifecycle === 'manual' ? { mode: 'frozen' } : {}));
  const ids = createIds(options.seed);
  return {
    options: { ...options, lifecycle },
    state: createState(),
    clock,
    ids,
    identity: createIdentity({ clock, ids }),
    requestLog: createRequestLog(),
    baseUrl: '',
  };
}

export interface RunningEmulator {
  emulator: Emulator;
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the emulator on `options.port` (0 = ephemeral) and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = createEmulator(options);
  const handle = createRequestHandler(emulator);
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  emulator.baseUrl = url;
  return {
    emulator,
    url,
    port,
    async close() {
      emulator.clock.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The node:http request listener: everything between the socket and a handler. */
export function createRequestHandler(emulator: Emulator) {
  const router = createRouter(routes);
  let requestCounter = 0;

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `req-${(++requestCounter).toString(16).padStart(8, '0')}`;
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    let route: Route | undefined;
    let status = 500;
    try {
      const match = router.match(method, url.pathname);
      if (!match) throw new ApiError(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment', 'apig');
      if ('allowed' in match) throw new ApiError(405, 'APIGW.0102', `Method ${method} is not allowed; allowed: ${match.allowed.join(', ')}`, 'apig');
      route = match.route;
      const ctx: RequestContext = {
        method: method as HttpMethod,
        path: url.pathname,
        params: match.params,
        query: url.searchParams,
        headers: req.headers,
        body: undefined,
        requestId,
        emulator,
      };
      const raw = await readBody(req);
      if (raw.length > 0) ctx.body = parseJson(raw, route);
      if (route.api === 'cbr' || route.api === 'vbs') emulator.identity.authenticate(ctx);
      const result = await route.handler(ctx);
      status = result.status;
      send(res, status, result.body, { 'x-request-id': requestId, ...result.headers });
    } catch (error) {
      const apiError = toApiError(error, route);
      status = apiError.status;
      send(res, status, errorBody(apiError, requestId), { 'x-request-id': requestId });
    } finally {
      emulator.requestLog.record({
        method,
        url: url.pathname + url.search,
        route: route ? `${route.method} ${route.pattern}` : undefined,
        status,
      });
    }
  };
}

function toApiError(error: unknown, route: Route | undefined): ApiError {
  if (error instanceof ApiError) return error;
  // An unexpected failure is a bug of the emulator: answer like the real service's 500, keep the cause in the log.
  console.error('emulator: unexpected error', error);
  return route?.api === 'vbs'
    ? vbsError(500, 'VBS.0500', 'Internal server error')
    : new ApiError(500, 'BackupService.0500', 'Internal server error');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw invalidParameter(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
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
