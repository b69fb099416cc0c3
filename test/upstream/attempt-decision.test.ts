/** The retry policy as a table: one row per case of `decideAttempt` (attempt-decision.ts). */
import { describe, expect, it } from 'vitest';
import { decideAttempt, type AttemptOutcome, type AttemptState } from '../../src/upstream/attempt-decision';

const NOW = 1_000_000;
/** A GET on its first attempt, two retries allowed, 10 s left, a 100 ms backoff drawn, no token refresh possible. */
const read: AttemptState = { retryable: true, attempts: 1, retries: 2, canReauthenticate: false, now: NOW, deadline: NOW + 10_000, backoffMs: 100 };
const post: AttemptState = { ...read, retryable: false };

const ok = (status: number): AttemptOutcome => ({ kind: 'response', status });

describe('decideAttempt', () => {
  it.each<[string, AttemptOutcome, AttemptState, ReturnType<typeof decideAttempt>]>([
    ['200 returns', ok(200), read, { action: 'return', healthy: true }],
    ['204 returns', ok(204), read, { action: 'return', healthy: true }],
    ['202 of a POST returns', ok(202), post, { action: 'return', healthy: true }],
    ['400 fails, upstream healthy', ok(400), read, { action: 'fail', healthy: true }],
    ['404 fails, upstream healthy', ok(404), read, { action: 'fail', healthy: true }],
    ['409 fails, upstream healthy', ok(409), read, { action: 'fail', healthy: true }],
    ['401 without refreshable credentials fails', ok(401), read, { action: 'fail', healthy: true }],
    ['401 with refreshable credentials re-authenticates', ok(401), { ...read, canReauthenticate: true }, { action: 'reauthenticate', healthy: true }],
    ['401 of a POST re-authenticates too (refused before the service acted)', ok(401), { ...post, canReauthenticate: true }, { action: 'reauthenticate', healthy: true }],
    ['403 fails even when a refresh is possible', ok(403), { ...read, canReauthenticate: true }, { action: 'fail', healthy: true }],
    ['500 fails at once, upstream unhealthy', ok(500), read, { action: 'fail', healthy: false }],
    ['502 of a read retries after the backoff', ok(502), read, { action: 'retry', delayMs: 100, healthy: false }],
    ['503 of a read retries after the backoff', ok(503), read, { action: 'retry', delayMs: 100, healthy: false }],
    ['504 of a read retries after the backoff', ok(504), read, { action: 'retry', delayMs: 100, healthy: false }],
    ['503 of a POST fails', ok(503), post, { action: 'fail', healthy: false }],
    ['503 on the last allowed attempt fails', ok(503), { ...read, attempts: 3 }, { action: 'fail', healthy: false }],
    ['503 on the second attempt still retries', ok(503), { ...read, attempts: 2 }, { action: 'retry', delayMs: 100, healthy: false }],
    ['503 whose backoff would end past the deadline fails', ok(503), { ...read, deadline: NOW + 100 }, { action: 'fail', healthy: false }],
    ['429 waits for Retry-After instead of the backoff', { kind: 'response', status: 429, retryAfterMs: 2_000 }, read, { action: 'retry', delayMs: 2_000, healthy: true }],
    ['429 without Retry-After uses the backoff', ok(429), read, { action: 'retry', delayMs: 100, healthy: true }],
    ['429 whose Retry-After ends past the deadline fails', { kind: 'response', status: 429, retryAfterMs: 20_000 }, read, { action: 'fail', healthy: true }],
    ['429 of a POST fails', ok(429), post, { action: 'fail', healthy: true }],
    ['APIGW.0308 throttling under another status retries', { kind: 'response', status: 400, errorCode: 'APIGW.0308' }, read, { action: 'retry', delayMs: 100, healthy: true }],
    ['APIG.0308 (older prefix) retries', { kind: 'response', status: 403, errorCode: 'APIG.0308' }, read, { action: 'retry', delayMs: 100, healthy: true }],
    ['another APIGW code under 400 fails', { kind: 'response', status: 400, errorCode: 'APIGW.0101' }, read, { action: 'fail', healthy: true }],
    ['a timeout of a read fails (never retried), upstream unhealthy', { kind: 'timeout' }, read, { action: 'fail', healthy: false }],
    ['a refused connection of a read retries', { kind: 'network', code: 'ECONNREFUSED' }, read, { action: 'retry', delayMs: 100, healthy: false }],
    ['a reset connection of a POST fails', { kind: 'network', code: 'ECONNRESET' }, post, { action: 'fail', healthy: false }],
    ['a dropped connection after the last retry fails', { kind: 'network', code: 'UND_ERR_SOCKET' }, { ...read, attempts: 3 }, { action: 'fail', healthy: false }],
    ['a dropped connection with no time left for the backoff fails', { kind: 'network', code: 'UND_ERR_SOCKET' }, { ...read, deadline: NOW + 50 }, { action: 'fail', healthy: false }],
    ['no retries configured: a 503 fails', ok(503), { ...read, retries: 0 }, { action: 'fail', healthy: false }],
  ])('%s', (_name, outcome, state, expected) => {
    expect(decideAttempt(outcome, state)).toEqual(expected);
  });
});
