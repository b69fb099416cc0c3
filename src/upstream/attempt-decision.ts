/**
 * What to do after one attempt of an upstream call: return, retry (after how long), re-authenticate or fail, and
 * whether the attempt says the upstream is healthy (for the circuit breaker). Pure: no I/O, no clock, no randomness
 * (the caller passes `now` and the backoff delay it drew), so every row of the policy is a table test.
 */

/** How one attempt ended. */
export type AttemptOutcome =
  | {
      kind: 'response';
      status: number;
      /** The upstream's error code when the body had one (`APIGW.0308`, `BackupService.6105`). */
      errorCode?: string;
      /** `Retry-After` in ms, when the answer had a readable one. */
      retryAfterMs?: number;
    }
  /** The attempt's own timeout fired (not the caller's signal). */
  | { kind: 'timeout' }
  /** Refused, reset, dropped: one of the known connection error codes. */
  | { kind: 'network'; code: string };

export interface AttemptState {
  /** Whether the request may be repeated at all (never a POST; see `RequestOptions.idempotent`). */
  retryable: boolean;
  /** Attempts made so far, the one just ended included (a re-authentication does not count). */
  attempts: number;
  /** Retries allowed after the first attempt. */
  retries: number;
  /** Whether a 401 may still be answered with one fresh token (not yet done, and the credentials can refresh). */
  canReauthenticate: boolean;
  /** Epoch ms now, and the call's absolute deadline. */
  now: number;
  deadline: number;
  /** The backoff the caller drew for the next retry, used when the upstream gives no Retry-After. */
  backoffMs: number;
}

export type AttemptAction =
  | { action: 'return' }
  | { action: 'retry'; delayMs: number }
  | { action: 'reauthenticate' }
  | { action: 'fail' };

/** `healthy: false` is what a circuit breaker counts: 5xx, timeouts and connection errors, never a 4xx. */
export type AttemptDecision = AttemptAction & { healthy: boolean };

/** Statuses a read is retried on: throttling and the gateway-side failures that mean "try again". 500 is not. */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);
/** API gateway throttling; documented with 429 but matched by code in case a gateway answers it with another status. */
export const THROTTLED_CODE = /^APIGW?\.0308$/;

export function decideAttempt(outcome: AttemptOutcome, state: AttemptState): AttemptDecision {
  switch (outcome.kind) {
    case 'timeout':
      // Not retried: the upstream is slow, and a retry would only add load and latency.
      return { action: 'fail', healthy: false };
    case 'network':
      return { ...retryOrFail(state, state.backoffMs), healthy: false };
    case 'response': {
      const { status } = outcome;
      if (status >= 200 && status < 300) return { action: 'return', healthy: true };
      const healthy = status < 500;
      // A 401 was refused by the API gateway before the service acted, so one retry with a fresh token is safe even for POST.
      if (status === 401 && state.canReauthenticate) return { action: 'reauthenticate', healthy };
      const throttled = RETRYABLE_STATUS.has(status) || (outcome.errorCode !== undefined && THROTTLED_CODE.test(outcome.errorCode));
      if (!throttled) return { action: 'fail', healthy };
      return { ...retryOrFail(state, outcome.retryAfterMs ?? state.backoffMs), healthy };
    }
  }
}

function retryOrFail(state: AttemptState, delayMs: number): AttemptAction {
  if (!state.retryable || state.attempts > state.retries) return { action: 'fail' };
  // Waiting past the deadline only to fail later helps nobody: give up with what we have now.
  if (state.now + delayMs >= state.deadline) return { action: 'fail' };
  return { action: 'retry', delayMs };
}
