/**
 * In-flight coalescing of upstream GETs across GraphQL requests: identical GETs sent while one is still running, under
 * the same credential identity, share that call and its answer (twenty browser tabs polling one team's dashboard make
 * the calls of one). Nothing is kept once a call settles, so no answer is older than the call it came from.
 *
 * - The key is identity + endpoint + method + path with query + response schema (hardening.md 3.3): two identities
 *   never share, whatever project they act in.
 * - Only GETs. A write of an identity also stops its GETs still running from being joined, at its start and at its
 *   end, so a read issued after a write never gets an answer read before it.
 * - Each joining request still takes a call from its own budget (call-budget.ts): the limit bounds what a request
 *   asks for, whether or not the call is shared.
 * - A waiter's abort (its client went away) rejects that waiter only; the shared call is aborted once every waiter
 *   has gone.
 * - Only answers are shared, never a failure (hardening.md 3.3: "don't share non-2xx results"): a request that joined
 *   a call which failed sends its own, as it would have without sharing. The failure stays with the request that sent
 *   the call; whoever joined it gets an answer and a request id of its own.
 */
import { abortFanOut } from './abort-fan-out';
import type { CallBudget, Http, HttpResponse, RequestOptions } from './http';
import { UpstreamTimeoutError } from './errors';
import { buildQuery } from './url';

/** The calls in flight, shared by every request of the gateway: identity → key → call. */
export type InFlightCalls = Map<string, Map<string, SharedCall>>;

interface SharedCall {
  promise: Promise<HttpResponse<unknown>>;
  /** Waiters that have not aborted. */
  waiting: number;
  /** Aborts the upstream call; used once `waiting` drops to 0. */
  controller: AbortController;
  /** Takes the call out of the map (if still there), so that no one joins it any more. */
  forget(): void;
}

export function createInFlightCalls(): InFlightCalls {
  return new Map();
}

export interface CoalesceOptions {
  /** Who the request acts as (gateway/caller-identity.ts). */
  identity: string;
  /** Shared across requests: one per gateway. */
  inFlight: InFlightCalls;
  /**
   * The request's budget, taken here for every call, shared or not, instead of by `http` (create it without one):
   * a budget spent by the request that started a shared call must not fail the call for the requests that join it.
   */
  callBudget?: CallBudget;
}

/** `http` with its GETs shared with identical GETs of other requests of the same identity. */
export function coalesceGets(http: Http, options: CoalesceOptions): Http {
  const { identity, inFlight, callBudget } = options;

  async function send<T = undefined>(req: RequestOptions<T>): Promise<HttpResponse<T>> {
    callBudget?.take();
    if (req.method !== 'GET') {
      forgetCalls(inFlight, identity);
      try {
        return await http.send(req);
      } finally {
        forgetCalls(inFlight, identity);
      }
    }
    const key = `${http.baseUrl}\n${req.path}${buildQuery(req.query)}\n${schemaId(req.schema)}`;
    let calls = inFlight.get(identity);
    const joined = calls?.get(key);
    if (joined) {
      return wait(joined, req).catch((error: unknown) => {
        // Gone meanwhile: nothing to ask for. Else the shared call failed: ask alone (not joinable, so no second wait).
        if (req.signal?.aborted) throw error;
        return http.send(req);
      }) as Promise<HttpResponse<T>>;
    }
    const controller = new AbortController();
    // The caller's signal stays out of the shared call: `wait` applies it to this caller only.
    const promise = http.send({ ...req, signal: controller.signal }) as Promise<HttpResponse<unknown>>;
    const call: SharedCall = {
      promise,
      waiting: 0,
      controller,
      forget() {
        // Only this call's entry: a write may have dropped it, and an identical GET may have started since.
        const current = inFlight.get(identity);
        if (current?.get(key) !== call) return;
        current.delete(key);
        if (current.size === 0) inFlight.delete(identity);
      },
    };
    if (!calls) inFlight.set(identity, (calls = new Map()));
    calls.set(key, call);
    promise.then(call.forget, call.forget);
    return wait(call, req) as Promise<HttpResponse<T>>;
  }

  return {
    baseUrl: http.baseUrl,
    credentials: http.credentials,
    send,
    async request<T = undefined>(req: RequestOptions<T>): Promise<T> {
      return (await send(req)).body;
    },
  };
}

/** Resolves with the shared call's outcome, or rejects as soon as this caller's own signal aborts. */
function wait(call: SharedCall, req: RequestOptions<unknown>): Promise<HttpResponse<unknown>> {
  const signal = req.signal;
  if (!signal) {
    call.waiting++;
    return call.promise;
  }
  if (signal.aborted) return Promise.reject(abortReason(signal, req));
  call.waiting++;
  return new Promise((resolve, reject) => {
    const aborts = abortFanOut(signal);
    const onAbort = () => {
      reject(abortReason(signal, req));
      if (--call.waiting === 0) {
        call.forget();
        call.controller.abort(signal.reason);
      }
    };
    aborts.once('abort', onAbort);
    call.promise.then(
      (response) => {
        aborts.removeListener('abort', onAbort);
        resolve(response);
      },
      (error: unknown) => {
        aborts.removeListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** What http.ts throws for a caller's abort: its own deadline → a timeout, anything else keeps its reason. */
function abortReason(signal: AbortSignal, req: RequestOptions<unknown>): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return new UpstreamTimeoutError(req.method, req.path, 0, 0);
  return reason;
}

function forgetCalls(inFlight: InFlightCalls, identity: string): void {
  inFlight.delete(identity);
}

/** Calls of one URL with different schemas (the fast twin aside) parse differently, so they must not share. */
const schemaIds = new WeakMap<object, number>();
let nextSchemaId = 1;

function schemaId(schema: object | undefined): number {
  if (!schema) return 0;
  let id = schemaIds.get(schema);
  if (id === undefined) schemaIds.set(schema, (id = nextSchemaId++));
  return id;
}

