/**
 * The circuit breaker of one upstream endpoint (the `CircuitBreaker` seam of http.ts), and the set of them a gateway
 * shares between all its requests. Policy (hardening.md 2.5): open when at least `failureRatio` of the last
 * `windowSize` attempts within `windowMs` failed (5xx, timeout, connection error; never a 4xx) and at least
 * `minimumCalls` were seen; while open every call fails at once; after `openMs` one probe is let through (half-open):
 * its success closes the breaker, its failure opens it again for another `openMs`.
 */
import type { CircuitBreaker } from './http';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Attempts the failure ratio is computed over (the most recent ones). Default 20. */
  windowSize?: number;
  /** Attempts older than this are forgotten, so an old bad minute does not open the breaker today. Default 60 000 ms. */
  windowMs?: number;
  /** Fewest attempts in the window before the breaker may open. Default 10. */
  minimumCalls?: number;
  /** Share of failed attempts in the window that opens the breaker. Default 0.5. */
  failureRatio?: number;
  /** How long the breaker stays open before a probe. Default 30 000 ms. */
  openMs?: number;
  /** Clock, injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** Told of every change of state (for a log line). Must not throw. Default: none. */
  onStateChange?: (state: BreakerState) => void;
}

/** The defaults of `BreakerOptions`, written once. */
export const DEFAULT_BREAKER: Required<Omit<BreakerOptions, 'now' | 'onStateChange'>> = {
  windowSize: 20,
  windowMs: 60_000,
  minimumCalls: 10,
  failureRatio: 0.5,
  openMs: 30_000,
};

export interface Breaker extends CircuitBreaker {
  state(): BreakerState;
  /** Whole seconds until the next probe may go (0 unless open). */
  retryAfterSeconds(): number;
}

export function createBreaker(options: BreakerOptions = {}): Breaker {
  const { windowSize: size, windowMs, minimumCalls, failureRatio, openMs } = { ...DEFAULT_BREAKER, ...withoutUndefined(options) };
  // A window smaller than minimumCalls could never open the breaker.
  const windowSize = Math.max(size, minimumCalls);
  const now = options.now ?? Date.now;
  /** Outcomes of recent attempts, oldest first: when, and whether it failed. */
  let window: Array<{ at: number; failed: boolean }> = [];
  let state: BreakerState = 'closed';
  let openedAt = 0;
  let probeAt = 0;

  function become(next: BreakerState): void {
    if (next === state) return;
    state = next;
    options.onStateChange?.(next);
  }

  function open(): void {
    become('open');
    openedAt = now();
    window = [];
  }

  function record(failed: boolean): void {
    const at = now();
    window.push({ at, failed });
    if (window.length > windowSize) window.shift();
    while (window.length > 0 && window[0]!.at < at - windowMs) window.shift();
    if (!failed || window.length < minimumCalls) return;
    const failures = window.reduce((n, entry) => n + (entry.failed ? 1 : 0), 0);
    if (failures / window.length >= failureRatio) open();
  }

  return {
    allowRequest() {
      if (state === 'closed') return true;
      const t = now();
      if (state === 'open') {
        if (t - openedAt < openMs) return false;
        become('half-open');
        probeAt = t;
        return true;
      }
      // Half-open with a probe out: the others wait for its verdict. A probe that never reports (its caller went
      // away) must not keep the breaker half-open forever: after another `openMs` a new probe may go.
      if (t - probeAt < openMs) return false;
      probeAt = t;
      return true;
    },
    onSuccess() {
      if (state === 'half-open') {
        become('closed');
        window = [];
        return;
      }
      if (state === 'closed') record(false);
    },
    onFailure() {
      if (state === 'half-open') {
        open();
        return;
      }
      if (state === 'closed') record(true);
    },
    state: () => (state === 'open' && now() - openedAt >= openMs ? 'half-open' : state),
    retryAfterSeconds() {
      if (state === 'closed') return 0;
      const from = state === 'open' ? openedAt : probeAt;
      return Math.max(1, Math.ceil((from + openMs - now()) / 1000));
    },
  };
}

/** One breaker per upstream origin, shared by every request of a gateway; listed for metrics and readiness. */
export function createBreakers(options: Omit<BreakerOptions, 'onStateChange'> & { onStateChange?: (endpoint: string, state: BreakerState) => void } = {}) {
  const breakers = new Map<string, Breaker>();
  return {
    /** The breaker of `endpoint`'s origin, created on first use. */
    for(endpoint: string): Breaker {
      const origin = new URL(endpoint).origin;
      let breaker = breakers.get(origin);
      if (!breaker) {
        const { onStateChange } = options;
        breaker = createBreaker({ ...options, onStateChange: onStateChange && ((state) => onStateChange(origin, state)) });
        breakers.set(origin, breaker);
      }
      return breaker;
    },
    /** Every breaker's origin and state. */
    states(): Array<{ endpoint: string; state: BreakerState }> {
      return [...breakers].map(([endpoint, breaker]) => ({ endpoint, state: breaker.state() }));
    },
  };
}

export type Breakers = ReturnType<typeof createBreakers>;

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
