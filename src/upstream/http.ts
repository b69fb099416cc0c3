/**
 * The single HTTP pipeline to CBR/VBS/IAM: the only caller of undici. URL building, auth headers, deadlines,
 * retries of idempotent calls, status → UpstreamError, zod parsing of every success body. What follows an attempt
 * (return, retry, re-authenticate, fail; healthy or not for the circuit breaker) is decided by attempt-decision.ts.
 */
import { EventEmitter } from 'node:events';
import { abortFanOut } from './abort-fan-out';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors as undiciErrors, getGlobalDispatcher, type Dispatcher } from 'undici';
import { z } from 'zod';
import { decideAttempt, type AttemptOutcome, type AttemptState } from './attempt-decision';
import type { Credentials } from './credentials';
import {
  parseErrorBody,
  UpstreamContractError,
  UpstreamError,
  UpstreamRequestError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from './errors';
import { assertSafePath, buildQuery, type Query } from './url';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * A circuit breaker of one upstream endpoint (circuit-breaker.ts builds them, hardening.md 2.5): only 5xx, timeouts
 * and connection errors count as failures, never 4xx (those are the caller's mistakes, not an unhealthy upstream).
 * One breaker instance must be shared by every `createHttp` of the same endpoint (the gateway creates them once).
 */
export interface CircuitBreaker {
  /** False while open: the request fails at once with `UpstreamUnavailableError('CIRCUIT_OPEN')`, nothing is sent. */
  allowRequest(): boolean;
  /** An answer arrived that says the upstream is healthy (2xx–4xx). */
  onSuccess(): void;
  /** 5xx, timeout or connection error. */
  onFailure(): void;
  /** Seconds until a request may be tried again while open (sent to callers as `retryAfterSeconds`). */
  retryAfterSeconds?(): number;
}

/** One attempt on the wire, as observed for logs, metrics and traces (reported once it ended). */
export interface AttemptEvent {
  method: HttpMethod;
  /** Path without query string, ids included. */
  path: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Epoch ms the attempt began, and how long it took. */
  startedAt: number;
  durationMs: number;
  /** An answer (with `status`), the attempt's own timeout, a connection error, the caller gone, or an unexpected error. */
  outcome: 'response' | 'timeout' | 'network' | 'aborted' | 'error';
  status?: number;
}

/**
 * How many calls one caller's request may still make (the gateway creates one per GraphQL request and shares it
 * between its CBR and VBS clients). `take()` is called once per logical request, retries included, before anything
 * is sent, and throws `UpstreamRequestError('call-limit')` once the calls are used up.
 */
export interface CallBudget {
  take(): void;
}

export interface HttpOptions {
  /** Origin plus optional path prefix, e.g. `https://cbr.eu-de.otc.t-systems.com` or `https://iam.eu-de.otc.t-systems.com/v3`. */
  baseUrl: string;
  /** Long-lived undici Agent created once by the caller (connection pool). Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** Deadline of each attempt, headers and body included. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt, for idempotent requests only. Default 2. */
  retries?: number;
  /** Budget of one whole `request()` (attempts, backoff, Retry-After waits) when the caller gives no `deadline`. Default 30 000 ms. */
  totalTimeoutMs?: number;
  /** Exponential backoff with equal jitter: retry n waits between half and all of `min(maxMs, baseMs·2^(n-1))`. Default 200 / 2 000 ms. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Who we are to the upstream. Default: no auth headers (only IAM's token request is made that way). */
  credentials?: Credentials;
  /** See `CircuitBreaker`. Default: none. */
  breaker?: CircuitBreaker;
  /** See `CallBudget`. Default: none (no limit). */
  callBudget?: CallBudget;
  /** Source of jitter in [0, 1); injectable for tests. Default `Math.random`. */
  random?: () => number;
  /** Sent as `X-Request-Id` on every attempt, so the upstream's logs can be joined with ours. Default: none. */
  requestId?: string;
  /** Told about every attempt once it ended. Must not throw. Default: none. */
  observer?: (event: AttemptEvent) => void;
}

export interface RequestOptions<T> {
  method: HttpMethod;
  /** Absolute path below `baseUrl`, built with `path\`…\`` so ids are encoded (`/v3/${p}/vaults/${id}`). */
  path: string;
  query?: Query;
  /** JSON-serialised; sent with `Content-Type: application/json;charset=UTF-8`. */
  body?: unknown;
  /** Wire schema of the success body. Without one the body is ignored and the result is `undefined`. */
  schema?: z.ZodType<T>;
  /**
   * A twin of `schema` without its recursion (which keeps zod from compiling a schema), accepting a subset of its inputs
   * with the same output: parsed first; `schema` decides whenever the twin refuses, so issues come from `schema`.
   */
  fastSchema?: z.ZodType<T>;
  /**
   * Whether a retry may repeat the call. Default: true for GET/PUT/DELETE, false for POST.
   * POST is never retried even when this says true: CBR's POSTs create things (backups, restores, policies).
   */
  idempotent?: boolean;
  /** Caller's abort signal (client gone, GraphQL request deadline); aborts the attempt in flight and any wait. */
  signal?: AbortSignal;
  /** Absolute deadline (epoch ms) for the whole call; overrides `totalTimeoutMs`. */
  deadline?: number;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  requestId: string | undefined;
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);
const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** Creates the request function for one upstream endpoint. Cheap: create one per GraphQL request if the credentials are per caller. */
export function createHttp(options: HttpOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const base = new URL(baseUrl);
  const httpBase = base.protocol === 'http:' || base.protocol === 'https:';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 2;
  const totalTimeoutMs = options.totalTimeoutMs ?? 30_000;
  const backoffBase = options.backoff?.baseMs ?? 200;
  const backoffMax = options.backoff?.maxMs ?? 2_000;
  const random = options.random ?? Math.random;
  const credentials = options.credentials;
  const breaker = options.breaker;

  function backoff(retry: number): number {
    const ceiling = Math.min(backoffMax, backoffBase * 2 ** (retry - 1));
    return ceiling / 2 + random() * (ceiling / 2);
  }

  /** Sends one logical request (with retries) and returns status, headers and the parsed body. */
  async function send<T = undefined>(req: RequestOptions<T>): Promise<HttpResponse<T>> {
    const method = req.method;
    assertSafePath(req.path);
    options.callBudget?.take();
    const path = req.path;
    const url = new URL(baseUrl + path + buildQuery(req.query));
    // The path cannot change the origin (undici GHSA-8qr4-xgw6-wmr3 class of bugs); checked anyway.
    if (url.origin !== base.origin) throw new UpstreamRequestError('invalid-path-segment', 'The request URL must stay on the upstream origin');
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const retryable = method !== 'POST' && (req.idempotent ?? true);
    const startedAt = Date.now();
    const deadline = req.deadline ?? startedAt + totalTimeoutMs;

    let attempts = 0;
    let reauthenticated = false;
    for (;;) {
      if (breaker && !breaker.allowRequest()) {
        throw new UpstreamUnavailableError(method, path, 'CIRCUIT_OPEN', attempts, { retryAfterSeconds: breaker.retryAfterSeconds?.() });
      }
      if (req.signal?.aborted) throw callerAbort(req.signal, method, path, startedAt, attempts);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new UpstreamTimeoutError(method, path, deadline - startedAt, attempts);
      attempts++;
      const attemptTimeout = Math.min(timeoutMs, remaining);
      const attemptStartedAt = Date.now();

      const headers: Record<string, string> = { accept: 'application/json' };
      if (payload !== undefined) headers['content-type'] = JSON_CONTENT_TYPE;
      // Before signing: AK/SK signs the headers sent, this one included.
      if (options.requestId !== undefined) headers['x-request-id'] = options.requestId;
      const auth = credentials ? await credentials.authorize({ method, url, headers, body: payload }) : {};
      const answer = await attempt(method, url, Object.assign(headers, auth), payload, attemptTimeout, req.signal);
      const observed = { method, path, attempt: attempts, startedAt: attemptStartedAt, durationMs: Date.now() - attemptStartedAt };

      if (answer.kind === 'error') {
        const { error } = answer;
        if (req.signal?.aborted) {
          options.observer?.({ ...observed, outcome: 'aborted' });
          throw callerAbort(req.signal, method, path, startedAt, attempts);
        }
        const outcome: AttemptOutcome | undefined = isTimeout(error)
          ? { kind: 'timeout' }
          : connectionErrorCode(error) !== undefined
            ? { kind: 'network', code: connectionErrorCode(error)! }
            : undefined;
        options.observer?.({ ...observed, outcome: outcome?.kind ?? 'error' });
        // Not an upstream failure we know (a bug, an invalid argument): passed on as it is, not counted by the breaker.
        if (!outcome) throw error;
        const decision = decideAttempt(outcome, state(retryable, attempts, reauthenticated, deadline));
        if (decision.healthy) breaker?.onSuccess();
        else breaker?.onFailure();
        if (decision.action === 'retry') {
          await wait(decision.delayMs, req.signal, method, path, startedAt, attempts);
          continue;
        }
        if (outcome.kind === 'timeout') throw new UpstreamTimeoutError(method, path, attemptTimeout, attempts);
        throw new UpstreamUnavailableError(method, path, outcome.kind === 'network' ? outcome.code : 'UNKNOWN', attempts, { cause: error });
      }

      const { status, headers: responseHeaders, text } = answer;
      options.observer?.({ ...observed, outcome: 'response', status });
      const requestId = header(responseHeaders, 'x-request-id');
      const error = status >= 200 && status < 300 ? undefined : toUpstreamError(status, text, responseHeaders, requestId, method, path);
      const decision = decideAttempt(
        { kind: 'response', status, errorCode: error?.code, retryAfterMs: error && retryAfterMs(header(responseHeaders, 'retry-after')) },
        state(retryable, attempts, reauthenticated, deadline),
      );
      if (decision.healthy) breaker?.onSuccess();
      else breaker?.onFailure();
      switch (decision.action) {
        case 'return': {
          const body = parseSuccess(req.schema, req.fastSchema, text, { method, path, status, requestId });
          return { status, headers: responseHeaders, body, requestId };
        }
        case 'reauthenticate':
          reauthenticated = true;
          if (await credentials!.onUnauthorized!(auth)) {
            attempts--;
            continue;
          }
          throw error!;
        case 'retry':
          await wait(decision.delayMs, req.signal, method, path, startedAt, attempts);
          continue;
        case 'fail':
          throw error!;
      }
    }
  }

  /** The policy's inputs for the attempt just ended (see attempt-decision.ts). */
  function state(retryable: boolean, attempts: number, reauthenticated: boolean, deadline: number): AttemptState {
    return {
      retryable,
      attempts,
      retries,
      canReauthenticate: !reauthenticated && credentials?.onUnauthorized !== undefined,
      now: Date.now(),
      deadline,
      backoffMs: backoff(attempts),
    };
  }

  /** One exchange on the wire: the status, headers and body text, or what was thrown. Never throws itself. */
  async function attempt(
    method: HttpMethod,
    url: URL,
    headers: Record<string, string>,
    payload: string | undefined,
    attemptTimeout: number,
    callerSignal: AbortSignal | undefined,
  ): Promise<
    | { kind: 'answer'; status: number; headers: Dispatcher.ResponseData['headers']; text: string }
    | { kind: 'error'; error: unknown }
  > {
    // One cleared timer per attempt: AbortSignal.timeout leaves each timer running its full timeoutMs and then fires
    // it (a DOMException each, long after the answer), and AbortSignal.any costs more than the rest of this function.
    const abort = attemptAbort();
    const timer = setTimeout(() => abort.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), attemptTimeout);
    timer.unref();
    const callerAborts = callerSignal && abortFanOut(callerSignal);
    const forwardAbort = () => abort.abort(callerSignal!.reason);
    if (callerSignal?.aborted) forwardAbort();
    else callerAborts?.once('abort', forwardAbort);
    try {
      if (!httpBase) throw new undiciErrors.InvalidArgumentError('Invalid URL protocol: the URL must start with `http:` or `https:`.');
      // The dispatcher itself rather than undici's `request(url)`, which re-parses the URL and copies the options.
      const res = await (options.dispatcher ?? getGlobalDispatcher()).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method,
        headers,
        body: payload,
        signal: abort.signal,
      });
      const text = await res.body.text();
      return { kind: 'answer', status: res.statusCode, headers: res.headers, text };
    } catch (error) {
      return { kind: 'error', error };
    } finally {
      clearTimeout(timer);
      callerAborts?.removeListener('abort', forwardAbort);
    }
  }

  return {
    baseUrl,
    credentials,
    send,
    /** `send` reduced to the parsed body: what the typed client methods use. */
    async request<T = undefined>(req: RequestOptions<T>): Promise<T> {
      return (await send(req)).body;
    },
  };
}

export type Http = ReturnType<typeof createHttp>;


/**
 * The abort signal of one attempt as an EventEmitter, which undici takes as well as an AbortSignal: an AbortController
 * (an EventTarget) plus undici's listener on it cost ~40 µs per call on the bench machine, a third of a round trip.
 * undici reads `aborted` and `reason` and listens for `abort`, as on an AbortSignal.
 */
function attemptAbort() {
  const signal = Object.assign(new EventEmitter(), { aborted: false, reason: undefined as unknown });
  return {
    signal,
    abort(reason: unknown): void {
      if (signal.aborted) return;
      signal.aborted = true;
      signal.reason = reason;
      signal.emit('abort');
    },
  };
}

/**
 * Compiled twins of the response schemas (`z.compile`: generated code for the valid case, the schema's own parser
 * whenever that code refuses, so the issues of a contract violation are the same). Built on first use, kept for the
 * process: the schemas are module constants. A schema zod cannot compile (a recursive one) comes back unchanged.
 */
const compiledSchemas = new WeakMap<z.ZodType, z.ZodType>();

function compiled<T>(schema: z.ZodType<T>): z.ZodType<T> {
  let fast = compiledSchemas.get(schema) as z.ZodType<T> | undefined;
  if (!fast) {
    fast = z.compile(schema);
    compiledSchemas.set(schema, fast);
  }
  return fast;
}

function parseSuccess<T>(
  schema: z.ZodType<T> | undefined,
  fastSchema: z.ZodType<T> | undefined,
  text: string,
  at: { method: string; path: string; status: number; requestId: string | undefined },
): T {
  if (!schema) return undefined as T;
  let json: unknown = undefined;
  if (text.trim().length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new UpstreamContractError(at.method, at.path, at.status, 'body is not valid JSON', at.requestId);
    }
  }
  if (fastSchema) {
    const fast = compiled(fastSchema).safeParse(json);
    if (fast.success) return fast.data;
  }
  const result = compiled(schema).safeParse(json);
  if (result.success) return result.data;
  throw new UpstreamContractError(at.method, at.path, at.status, summarizeIssues(result.error.issues), at.requestId);
}

/** `a.b: message` per issue, at most five; zod's messages name expectations and types, never the received values. */
export function summarizeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  if (issues.length > 5) shown.push(`(+${issues.length - 5} more)`);
  return shown.join('; ');
}

function toUpstreamError(
  status: number,
  text: string,
  headers: Dispatcher.ResponseData['headers'],
  requestId: string | undefined,
  method: string,
  path: string,
): UpstreamError {
  const parsed = parseErrorBody(text);
  const retryAfter = retryAfterMs(header(headers, 'retry-after'));
  if (parsed) return new UpstreamError(status, parsed.code, parsed.message, requestId ?? parsed.requestId, method, path, retryAfter);
  const contentType = header(headers, 'content-type') ?? 'no content-type';
  const what = text.length === 0 ? 'an empty body' : `a body in no documented error shape (${contentType}, ${Buffer.byteLength(text)} bytes)`;
  return new UpstreamError(status, `HTTP_${status}`, `${method} ${path} answered ${status} with ${what}`, requestId, method, path, retryAfter);
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `Retry-After` as delay-seconds or HTTP-date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function wait(
  ms: number,
  signal: AbortSignal | undefined,
  method: string,
  path: string,
  startedAt: number,
  attempts: number,
): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    if (signal?.aborted) throw callerAbort(signal, method, path, startedAt, attempts);
    throw error;
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || (error as { code?: unknown }).code === 'UND_ERR_HEADERS_TIMEOUT' || (error as { code?: unknown }).code === 'UND_ERR_BODY_TIMEOUT');
}

function connectionErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_ERRORS.has(code) ? code : undefined;
}

/** The caller's own deadline ran out → timeout; any other abort (client went away) keeps its reason. */
function callerAbort(signal: AbortSignal, method: string, path: string, startedAt: number, attempts: number): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new UpstreamTimeoutError(method, path, Date.now() - startedAt, attempts);
  }
  return reason;
}
