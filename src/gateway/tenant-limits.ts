/**
 * Per-tenant fairness: upstream calls are shared by every request of one caller identity (caller-identity.ts), so that
 * ten concurrent requests of one caller cannot spend ten times the per-request budget (call-budget.ts) of the
 * gateway's own credentials, and one caller's burst does not starve another. Two limits per identity, shared across
 * requests and created once per gateway:
 * - a budget of calls per window, as a token bucket (refilled evenly, so a caller who waits gets calls back gradually);
 *   past it, calls fail with RATE_LIMITED and `retryAfterSeconds`, and a new request is refused whole with HTTP 429
 *   and `Retry-After` before it runs;
 * - a cap on concurrent calls: calls past it wait their turn (in order), as long as their request lives.
 * An upstream 429 with `Retry-After` to one identity pauses that identity's calls until then: it is the upstream's own
 * answer to that caller (Huawei throttles per user), so sending more before then only adds to the throttling.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { UpstreamError } from '../upstream/errors';
import type { Http, HttpResponse, RequestOptions } from '../upstream/http';
import type { ErrorCode } from './__generated__/resolvers-types';
import { callerIdentity } from './caller-identity';

export interface TenantLimitSettings {
  /** Upstream calls one identity may make per window. */
  callsPerWindow: number;
  /** The window, ms. */
  windowMs: number;
  /** Upstream calls of one identity in flight at once. */
  maxConcurrentCalls: number;
}

/** Defaults of `GatewayConfig.tenantLimits`: 100 calls/s sustained with bursts to 6000, 32 at a time. */
export const DEFAULT_TENANT_LIMITS: TenantLimitSettings = { callsPerWindow: 6000, windowMs: 60_000, maxConcurrentCalls: 32 };

/** A call refused by the identity's budget (or paused after an upstream 429); errors.ts answers it RATE_LIMITED. */
export class TenantRateLimitError extends Error {
  override readonly name = 'TenantRateLimitError';
  constructor(
    message: string,
    /** When a call would be accepted again, ms from now. */
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

interface Tenant {
  tokens: number;
  refilledAt: number;
  /** Calls accepted until this time (epoch ms) fail: the upstream answered 429 with Retry-After. */
  pausedUntil: number;
  inFlight: number;
  waiting: Array<() => void>;
}

/**
 * Identities tracked at most. Every caller with a token of its own is an identity, valid or not, so a flood of made-up
 * tokens would grow the map without end: past this many, idle identities are dropped, oldest first (one that comes
 * back starts with a full budget, which a caller with that many identities has in effect anyway).
 */
export const MAX_TRACKED_IDENTITIES = 10_000;

/** The limits of every identity of one gateway. `now` is injectable for tests. */
export function createTenantLimits(settings: TenantLimitSettings, now: () => number = Date.now, maxTracked = MAX_TRACKED_IDENTITIES) {
  const tenants = new Map<string, Tenant>();
  const refillPerMs = settings.callsPerWindow / settings.windowMs;

  function evictIdle(): void {
    for (const [identity, t] of tenants) {
      if (tenants.size < maxTracked) return;
      if (t.inFlight === 0 && t.waiting.length === 0) tenants.delete(identity);
    }
  }

  function tenant(identity: string): Tenant {
    let t = tenants.get(identity);
    if (!t) {
      if (tenants.size >= maxTracked) evictIdle();
      t = { tokens: settings.callsPerWindow, refilledAt: now(), pausedUntil: 0, inFlight: 0, waiting: [] };
      tenants.set(identity, t);
    }
    const at = now();
    t.tokens = Math.min(settings.callsPerWindow, t.tokens + (at - t.refilledAt) * refillPerMs);
    t.refilledAt = at;
    // A full bucket with nothing running holds no state worth keeping: forget it, so identities do not pile up.
    if (t.tokens >= settings.callsPerWindow && t.inFlight === 0 && t.pausedUntil <= at) tenants.delete(identity);
    return t;
  }

  /** How long `identity` must wait before a call is accepted, ms; 0 when one would be now. */
  function retryAfterMs(identity: string): number {
    const t = tenant(identity);
    const paused = Math.max(0, t.pausedUntil - now());
    const refill = t.tokens >= 1 ? 0 : Math.ceil((1 - t.tokens) / refillPerMs);
    return Math.max(paused, refill);
  }

  /** Takes one call from the budget, or throws TenantRateLimitError. */
  function take(identity: string): void {
    const wait = retryAfterMs(identity);
    if (wait > 0) {
      throw new TenantRateLimitError(
        `This caller has used its upstream calls for now (${settings.callsPerWindow} per ${settings.windowMs / 1000} s, shared by all its requests); retry in ${Math.ceil(wait / 1000)} s`,
        wait,
      );
    }
    const t = tenant(identity);
    t.tokens -= 1;
    tenants.set(identity, t);
  }

  /** Resolves once a concurrency slot of `identity` is free (in arrival order); rejects if `signal` aborts first. */
  function acquire(identity: string, signal: AbortSignal | undefined): Promise<void> {
    const t = tenant(identity);
    tenants.set(identity, t);
    if (t.inFlight < settings.maxConcurrentCalls) {
      t.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', abandon);
        t.inFlight++;
        resolve();
      };
      const abandon = () => {
        const index = t.waiting.indexOf(grant);
        if (index >= 0) t.waiting.splice(index, 1);
        reject(signal!.reason);
      };
      t.waiting.push(grant);
      signal?.addEventListener('abort', abandon, { once: true });
    });
  }

  function release(identity: string): void {
    const t = tenants.get(identity);
    if (!t) return;
    t.inFlight--;
    t.waiting.shift()?.();
  }

  function pause(identity: string, ms: number): void {
    const t = tenant(identity);
    t.pausedUntil = Math.max(t.pausedUntil, now() + ms);
    tenants.set(identity, t);
  }

  return {
    settings,
    retryAfterMs,
    /** `send` limited for `identity`: budget first (a refused call never waits), then a concurrency slot. */
    wrapSend(send: Http['send'], identity: string): Http['send'] {
      return async function limitedSend<T>(req: RequestOptions<T>): Promise<HttpResponse<T>> {
        take(identity);
        await acquire(identity, req.signal);
        try {
          return await send(req);
        } catch (error) {
          if (error instanceof UpstreamError && error.status === 429 && error.retryAfterMs !== undefined) pause(identity, error.retryAfterMs);
          throw error;
        } finally {
          release(identity);
        }
      };
    },
    /** Identities currently tracked (tests: nothing piles up). */
    size: () => tenants.size,
  };
}

export type TenantLimits = ReturnType<typeof createTenantLimits>;

/** `http` with `send` (and `request`, which goes through it) limited for `identity`; a separate layer over the pipeline. */
export function withTenantLimits(http: Http, limits: TenantLimits, identity: string): Http {
  const send = limits.wrapSend(http.send, identity);
  return { ...http, send, request: async (req) => (await send(req)).body };
}

/**
 * Refuses a whole request with HTTP 429 and `Retry-After` when its caller has no call left: nothing of it could run.
 * Requests that run out midway keep what they read; the fields past the budget are null with RATE_LIMITED.
 */
export function useTenantLimits(limits: TenantLimits): Plugin {
  // Requests whose every error is RATE_LIMITED and that got no data: their wait, for the HTTP Retry-After.
  const throttled = new WeakMap<Request, number>();
  return {
    onResultProcess({ request, result }) {
      const seconds = wholeResultThrottled(result);
      if (seconds !== undefined) throttled.set(request, seconds);
    },
    onResponse({ request, response }) {
      const seconds = throttled.get(request);
      if (seconds !== undefined) response.headers.set('retry-after', String(seconds));
    },
    onRequest({ request, endResponse, fetchAPI }) {
      const wait = limits.retryAfterMs(callerIdentity(request.headers));
      if (wait === 0) return;
      const retryAfterSeconds = Math.ceil(wait / 1000);
      const error = createGraphQLError(`This caller has used its upstream calls for now; retry in ${retryAfterSeconds} s`, {
        extensions: { code: 'RATE_LIMITED' satisfies ErrorCode, retryAfterSeconds },
      });
      endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [error.toJSON()] }), {
          status: 429,
          headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfterSeconds), 'cache-control': 'no-store' },
        }),
      );
    },
  };
}

/**
 * The longest `retryAfterSeconds` of a single result that holds nothing but RATE_LIMITED errors (an upstream 429 or the
 * budget running out before any field was answered), or undefined when any part of it was answered or failed otherwise.
 */
function wholeResultThrottled(result: unknown): number | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result) || Symbol.asyncIterator in result) return undefined;
  const { data, errors } = result as { data?: Record<string, unknown> | null; errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> };
  if (!errors?.length || (data && Object.values(data).some((value) => value !== null))) return undefined;
  let seconds = 0;
  for (const error of errors) {
    const wait = error.extensions?.retryAfterSeconds;
    if (error.extensions?.code !== 'RATE_LIMITED' || typeof wait !== 'number') return undefined;
    seconds = Math.max(seconds, wait);
  }
  return seconds;
}
