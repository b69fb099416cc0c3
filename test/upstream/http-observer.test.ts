/** http.ts's hooks for observability and the breaker: X-Request-Id on every attempt, one event per attempt, CIRCUIT_OPEN's retry hint. */
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenCredentials } from '../../src/upstream/credentials';
import { UpstreamUnavailableError } from '../../src/upstream/errors';
import { createHttp, type AttemptEvent, type HttpOptions } from '../../src/upstream/http';
import { caught } from '../helpers/rejections';

const ORIGIN = 'https://cbr.test';

let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

function http(options: Partial<HttpOptions> = {}) {
  return createHttp({
    baseUrl: ORIGIN,
    dispatcher: agent,
    credentials: tokenCredentials({ token: 'tok', projectId: 'p1' }),
    backoff: { baseMs: 1, maxMs: 2 },
    ...options,
  });
}

describe('requestId and observer', () => {
  it('sends X-Request-Id on every attempt and reports each attempt once it ended', async () => {
    const seen: Array<string | undefined> = [];
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v3/p1/vaults', method: 'GET' }).reply((opts) => {
      seen.push((opts.headers as Record<string, string>)['x-request-id']);
      return { statusCode: 503, data: { error_code: 'APIGW.0202', error_msg: 'Backend unavailable.' } };
    });
    pool.intercept({ path: '/v3/p1/vaults', method: 'GET' }).reply((opts) => {
      seen.push((opts.headers as Record<string, string>)['x-request-id']);
      return { statusCode: 200, data: {} };
    });
    const events: AttemptEvent[] = [];
    await http({ requestId: 'req-42', observer: (event) => events.push(event) }).send({ method: 'GET', path: '/v3/p1/vaults' });
    expect(seen).toEqual(['req-42', 'req-42']);
    expect(events).toEqual([
      { method: 'GET', path: '/v3/p1/vaults', attempt: 1, startedAt: expect.any(Number), durationMs: expect.any(Number), outcome: 'response', status: 503 },
      { method: 'GET', path: '/v3/p1/vaults', attempt: 2, startedAt: expect.any(Number), durationMs: expect.any(Number), outcome: 'response', status: 200 },
    ]);
  });

  it('reports a dropped connection as a network outcome', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/vaults', method: 'POST' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const events: AttemptEvent[] = [];
    const error = await caught(() => http({ observer: (event) => events.push(event) }).send({ method: 'POST', path: '/v3/p1/vaults', body: {} }));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(events.map((event) => [event.outcome, event.status])).toEqual([['network', undefined]]);
  });

  it('sends no X-Request-Id without one', async () => {
    let headers: Record<string, string> = {};
    agent.get(ORIGIN).intercept({ path: '/v3/p1/vaults', method: 'GET' }).reply((opts) => {
      headers = opts.headers as Record<string, string>;
      return { statusCode: 200, data: {} };
    });
    await http().send({ method: 'GET', path: '/v3/p1/vaults' });
    expect(Object.keys(headers)).not.toContain('x-request-id');
  });
});

describe('an open breaker', () => {
  it('fails with CIRCUIT_OPEN and the breaker\'s retryAfterSeconds, sending nothing', async () => {
    const breaker = { allowRequest: () => false, onSuccess() {}, onFailure() {}, retryAfterSeconds: () => 17 };
    const error = await caught(() => http({ breaker }).send({ method: 'GET', path: '/v3/p1/vaults' }));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ reason: 'CIRCUIT_OPEN', attempts: 0, retryAfterSeconds: 17 });
  });
});
