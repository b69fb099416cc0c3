/** The HTTP pipeline under faults the emulator cannot easily produce: MockAgent answers, no network. */
import { createServer } from 'node:net';
import { errors, MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tokenCredentials } from '../../src/upstream/credentials';
import {
  UpstreamContractError,
  UpstreamError,
  UpstreamRequestError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../../src/upstream/errors';
import { createHttp, retryAfterMs, type AttemptEvent, type CircuitBreaker, type HttpOptions } from '../../src/upstream/http';
import { path } from '../../src/upstream/url';
import { caught } from '../helpers/rejections';

const ORIGIN = 'https://cbr.test';
const TOKEN = 'MIIPAgYJKoZlhvcNAQcCo-token';
const Thing = z.object({ thing: z.object({ id: z.string(), size: z.number() }) });

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
    credentials: tokenCredentials({ token: TOKEN, projectId: 'p1' }),
    backoff: { baseMs: 1, maxMs: 4 },
    ...options,
  });
}

describe('successful answers', () => {
  it('parses a 200 body with the schema and sends only the expected headers', async () => {
    let seen: Record<string, string> = {};
    agent
      .get(ORIGIN)
      .intercept({ path: '/v3/p1/things/t1', method: 'GET' })
      .reply((opts) => {
        seen = opts.headers as Record<string, string>;
        return { statusCode: 200, data: { thing: { id: 't1', size: 5 } } };
      });
    const body = await http().request({ method: 'GET', path: path`/v3/${'p1'}/things/${'t1'}`, schema: Thing });
    expect(body).toEqual({ thing: { id: 't1', size: 5 } });
    expect(seen).toEqual({ accept: 'application/json', 'x-auth-token': TOKEN, 'x-project-id': 'p1' });
  });

  it('sends a JSON body with Content-Type application/json;charset=UTF-8', async () => {
    let seen: { headers: Record<string, string>; body: unknown } | undefined;
    agent
      .get(ORIGIN)
      .intercept({ path: '/v3/p1/things', method: 'POST' })
      .reply((opts) => {
        seen = { headers: opts.headers as Record<string, string>, body: JSON.parse(String(opts.body)) };
        return { statusCode: 200, data: { thing: { id: 't2', size: 1 } } };
      });
    await http().request({ method: 'POST', path: '/v3/p1/things', body: { thing: { name: 'ü' } }, schema: Thing });
    expect(seen).toEqual({
      headers: { accept: 'application/json', 'content-type': 'application/json;charset=UTF-8', 'x-auth-token': TOKEN, 'x-project-id': 'p1' },
      body: { thing: { name: 'ü' } },
    });
  });

  it('builds the query from a typed object: arrays repeat the key, undefined is left out, values are encoded', async () => {
    let seenPath = '';
    agent
      .get(ORIGIN)
      .intercept({ path: (p) => p.startsWith('/v3/p1/things'), method: 'GET' })
      .reply((opts) => {
        seenPath = opts.path;
        return { statusCode: 200, data: { thing: { id: 't', size: 0 } } };
      });
    await http().request({
      method: 'GET',
      path: '/v3/p1/things',
      query: { status: ['available', 'error'], id: ['x', 'y'], limit: 20, name: 'a b&c', marker: undefined, dec: false },
      schema: Thing,
    });
    expect(seenPath).toBe('/v3/p1/things?status=available&status=error&id=x&id=y&limit=20&name=a%20b%26c&dec=false');
  });

  it('answers undefined for a 204 without a schema', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1', method: 'DELETE' }).reply(204, '');
    await expect(http().request({ method: 'DELETE', path: '/v3/p1/things/t1' })).resolves.toBeUndefined();
  });

  it('lets the schema decide about an empty 202 body', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1/restore', method: 'POST' }).reply(202, '');
    const body = await http().request({
      method: 'POST',
      path: '/v3/p1/things/t1/restore',
      body: { restore: {} },
      schema: z.object({ job_id: z.string().optional() }).optional(),
    });
    expect(body).toBeUndefined();
  });
});

describe('error answers', () => {
  async function errorFor(status: number, data: string | object, headers: Record<string, string> = {}) {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(status, data, { headers });
    return caught(() => http({ retries: 0 }).request({ method: 'GET', path: '/v3/p1/things/t1', schema: Thing }));
  }

  it('reads the CBR v3 body and the X-Request-Id header', async () => {
    const error = await errorFor(404, { error_code: 'BackupService.6101', error_msg: 'The vault does not exist.' }, { 'x-request-id': 'req-1' });
    expect(error).toBeInstanceOf(UpstreamError);
    expect({ ...error, message: error.message }).toEqual({
      name: 'UpstreamError',
      status: 404,
      code: 'BackupService.6101',
      message: 'The vault does not exist.',
      requestId: 'req-1',
      method: 'GET',
      path: '/v3/p1/things/t1',
    });
  });

  it('reads the VBS v2 body', async () => {
    const error = await errorFor(400, { error: { code: 'AutoBackup.0205', message: 'The backup policy does not exist.' } });
    expect([error.status, error.code, error.message, error.requestId]).toEqual([400, 'AutoBackup.0205', 'The backup policy does not exist.', undefined]);
  });

  it('takes the request id from an API gateway body when the header is absent', async () => {
    const error = await errorFor(401, { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information', request_id: 'gw-7' });
    expect([error.status, error.code, error.message, error.requestId]).toEqual([401, 'APIGW.0301', 'Incorrect IAM authentication information', 'gw-7']);
  });

  it('reads the IAM body with a numeric code', async () => {
    const error = await errorFor(401, { error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } });
    expect([error.code, error.message]).toEqual(['401', 'The username or password is wrong.']);
  });

  it('reads the odd {"unauthorized":{…}} body', async () => {
    const error = await errorFor(401, { unauthorized: { code: '401', message: 'Malformed request url' } });
    expect([error.status, error.code, error.message]).toEqual([401, '401', 'Malformed request url']);
  });

  it('gives a clear error for a non-JSON body without copying it', async () => {
    const error = await errorFor(403, '<html>secret proxy page</html>', { 'content-type': 'text/html' });
    expect([error.status, error.code, error.message]).toEqual([
      403,
      'HTTP_403',
      'GET /v3/p1/things/t1 answered 403 with a body in no documented error shape (text/html, 30 bytes)',
    ]);
  });

  it('gives a clear error for an empty error body', async () => {
    const error = await errorFor(401, '');
    expect([error.code, error.message]).toEqual(['HTTP_401', 'GET /v3/p1/things/t1 answered 401 with an empty body']);
  });

  it('turns a 2xx body that breaks the schema into UpstreamContractError with the issues but not the body', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/v3/p1/things/t1', method: 'GET' })
      .reply(200, { thing: { id: 'tenant-secret-value', size: 'big' } }, { headers: { 'x-request-id': 'req-9' } });
    const error = await caught(() => http().request({ method: 'GET', path: '/v3/p1/things/t1', schema: Thing }));
    expect(error).toBeInstanceOf(UpstreamContractError);
    expect([error.status, error.issues, error.requestId]).toEqual([200, 'thing.size: Invalid input: expected number, received string', 'req-9']);
    expect(error.message).toBe(
      'GET /v3/p1/things/t1 answered 200 with a body that breaks the contract: thing.size: Invalid input: expected number, received string',
    );
    expect(error.message).not.toContain('tenant-secret-value');
  });

  it('lets the schema decide when the fast twin refuses: a deeper answer parses, a broken one names the schema\'s issues', async () => {
    const Node: z.ZodType<{ id: string; kids?: unknown[] }> = z.object({ id: z.string(), get kids() { return z.array(Node).optional(); } });
    // The twin accepts one level of nesting only, like BackupListUnrolled accepts three.
    const Flat = z.object({ id: z.string(), kids: z.array(z.object({ id: z.string(), kids: z.array(z.never()).optional() })).optional() });
    const deep = { id: 'a', kids: [{ id: 'b', kids: [{ id: 'c' }] }] };
    agent.get(ORIGIN).intercept({ path: '/v3/p1/nodes/a', method: 'GET' }).reply(200, deep);
    await expect(http().request({ method: 'GET', path: '/v3/p1/nodes/a', schema: Node, fastSchema: Flat })).resolves.toEqual(deep);
    agent.get(ORIGIN).intercept({ path: '/v3/p1/nodes/a', method: 'GET' }).reply(200, { id: 'a', kids: [{ id: 'b', kids: [{ id: 7 }] }] });
    const error = await caught(() => http().request({ method: 'GET', path: '/v3/p1/nodes/a', schema: Node, fastSchema: Flat }));
    expect(error).toBeInstanceOf(UpstreamContractError);
    expect(error.issues).toBe('kids.0.kids.0.id: Invalid input: expected string, received number');
  });

  it('turns a 2xx body that is not JSON into UpstreamContractError', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(200, '{"thing":');
    const error = await caught(() => http().request({ method: 'GET', path: '/v3/p1/things/t1', schema: Thing }));
    expect(error).toBeInstanceOf(UpstreamContractError);
    expect(error.issues).toBe('body is not valid JSON');
  });
});

describe('retries', () => {
  it('retries a GET after 503 and returns the later success', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(503, { error_code: 'X', error_msg: 'busy' });
    pool.intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(200, { thing: { id: 't1', size: 1 } });
    await expect(http().request({ method: 'GET', path: '/v3/p1/things/t1', schema: Thing })).resolves.toEqual({ thing: { id: 't1', size: 1 } });
  });

  it('gives up after 1 + retries attempts with the last upstream error', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(502, { error_code: 'GW', error_msg: 'bad gateway' }).times(3);
    const error = await caught(() => http({ retries: 2 }).request({ method: 'GET', path: '/v3/p1/things/t1', schema: Thing }));
    expect([error.constructor, error.status, error.code]).toEqual([UpstreamError, 502, 'GW']);
  });

  it('retries PUT and DELETE like GET', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v3/p1/things/t1', method: 'DELETE' }).reply(504, '');
    pool.intercept({ path: '/v3/p1/things/t1', method: 'DELETE' }).reply(204, '');
    pool.intercept({ path: '/v3/p1/things/t1', method: 'PUT' }).reply(503, '');
    pool.intercept({ path: '/v3/p1/things/t1', method: 'PUT' }).reply(200, { thing: { id: 't1', size: 2 } });
    await expect(http().request({ method: 'DELETE', path: '/v3/p1/things/t1' })).resolves.toBeUndefined();
    await expect(http().request({ method: 'PUT', path: '/v3/p1/things/t1', body: {}, schema: Thing })).resolves.toEqual({ thing: { id: 't1', size: 2 } });
  });

  it('never retries a POST after 503, even when marked idempotent', async () => {
    // Only one answer is mocked: a second attempt would fail on disableNetConnect instead of returning the 503.
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things', method: 'POST' }).reply(503, { error_code: 'X', error_msg: 'busy' });
    const error = await caught(() => http().request({ method: 'POST', path: '/v3/p1/things', body: {}, schema: Thing, idempotent: true }));
    expect([error.constructor, error.status]).toEqual([UpstreamError, 503]);
  });

  it('does not retry a GET marked idempotent: false', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(503, '');
    const error = await caught(() => http().request({ method: 'GET', path: '/v3/p1/things/t1', idempotent: false }));
    expect(error.status).toBe(503);
  });

  it('does not retry caller errors such as 404 or 500', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(404, { error_code: 'BackupService.6101', error_msg: 'gone' });
    pool.intercept({ path: '/v3/p1/things/t2', method: 'GET' }).reply(500, { error_code: 'BackupService.0500', error_msg: 'boom' });
    expect((await caught(() => http().request({ method: 'GET', path: '/v3/p1/things/t1' }))).status).toBe(404);
    expect((await caught(() => http().request({ method: 'GET', path: '/v3/p1/things/t2' }))).status).toBe(500);
  });

  it('retries a GET whose connection was dropped', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v3/p1/things/t1', method: 'GET' }).replyWithError(new errors.SocketError('other side closed'));
    pool.intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(200, { thing: { id: 't1', size: 3 } });
    await expect(http().request({ method: 'GET', path: '/v3/p1/things/t1', schema: Thing })).resolves.toEqual({ thing: { id: 't1', size: 3 } });
  });

  it('does not retry a POST whose connection was dropped and reports the upstream unavailable', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things', method: 'POST' }).replyWithError(new errors.SocketError('other side closed'));
    const error = await caught(() => http().request({ method: 'POST', path: '/v3/p1/things', body: {} }));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect([error.reason, error.attempts, error.message]).toEqual([
      'UND_ERR_SOCKET',
      1,
      'POST /v3/p1/things failed: upstream unavailable (UND_ERR_SOCKET) after 1 attempt(s)',
    ]);
  });

  it('reports a GET unavailable after every attempt was dropped', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1', method: 'GET' }).replyWithError(new errors.SocketError('other side closed')).times(3);
    const error = await caught(() => http().request({ method: 'GET', path: '/v3/p1/things/t1' }));
    expect([error.constructor, error.reason, error.attempts]).toEqual([UpstreamUnavailableError, 'UND_ERR_SOCKET', 3]);
  });

  it('honours Retry-After on 429 before retrying', async () => {
    const pool = agent.get(ORIGIN);
    pool
      .intercept({ path: '/v3/p1/things/t1', method: 'GET' })
      .reply(429, { error_code: 'APIGW.0308', error_msg: 'The throttling threshold has been reached' }, { headers: { 'retry-after': '1' } });
    pool.intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(200, { thing: { id: 't1', size: 4 } });
    const started = Date.now();
    await expect(http().request({ method: 'GET', path: '/v3/p1/things/t1', schema: Thing })).resolves.toEqual({ thing: { id: 't1', size: 4 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('retries APIG.0308 throttling without Retry-After using backoff', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(429, { error_code: 'APIG.0308', error_msg: 'over ratelimit' });
    pool.intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(200, { thing: { id: 't1', size: 6 } });
    await expect(http().request({ method: 'GET', path: '/v3/p1/things/t1', schema: Thing })).resolves.toEqual({ thing: { id: 't1', size: 6 } });
  });

  it('does not wait for a Retry-After beyond the deadline and fails at once with the 429', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/v3/p1/things/t1', method: 'GET' })
      .reply(429, { error_code: 'APIGW.0308', error_msg: 'throttled' }, { headers: { 'retry-after': '60' } });
    const started = Date.now();
    const error = await caught(() => http({ totalTimeoutMs: 5_000 }).request({ method: 'GET', path: '/v3/p1/things/t1' }));
    expect([error.status, error.code]).toEqual([429, 'APIGW.0308']);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('waits between retries with exponential backoff and jitter', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(503, '').times(3);
    const started = Date.now();
    // random() = 0 → the lower half of each step: 100 ms, then 200 ms.
    await caught(() => http({ backoff: { baseMs: 200, maxMs: 1_000 }, random: () => 0 }).request({ method: 'GET', path: '/v3/p1/things/t1' }));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(900);
  });

  it('retries a refused connection of a GET on a real socket, then reports it unavailable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = createHttp({ baseUrl: `http://127.0.0.1:${port}`, backoff: { baseMs: 1, maxMs: 2 } });
    const error = await caught(() => client.request({ method: 'GET', path: '/v3/p1/vaults' }));
    expect([error.constructor, error.reason, error.attempts]).toEqual([UpstreamUnavailableError, 'ECONNREFUSED', 3]);
  });
});

describe('deadlines', () => {
  it('aborts an attempt that exceeds timeoutMs and does not retry it', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(200, { thing: { id: 't1', size: 1 } }).delay(400);
    const started = Date.now();
    const error = await caught(() => http({ timeoutMs: 50 }).request({ method: 'GET', path: '/v3/p1/things/t1', schema: Thing }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect([error.timeoutMs, error.attempts, error.message]).toEqual([50, 1, 'GET /v3/p1/things/t1 got no answer within 50 ms (attempt 1)']);
    expect(Date.now() - started).toBeLessThan(350);
  });

  it('cuts the attempt at the caller deadline when it is nearer than timeoutMs', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(200, {}).delay(400);
    const started = Date.now();
    const error = await caught(() => http({ timeoutMs: 5_000 }).request({ method: 'GET', path: '/v3/p1/things/t1', deadline: Date.now() + 60 }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(Date.now() - started).toBeLessThan(350);
  });

  it('turns the caller signal timing out into UpstreamTimeoutError', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(200, {}).delay(400);
    const error = await caught(() => http().request({ method: 'GET', path: '/v3/p1/things/t1', signal: AbortSignal.timeout(50) }));
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
  });

  it('passes a caller abort through unchanged, also during a backoff wait', async () => {
    agent.get(ORIGIN).intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(503, '');
    const controller = new AbortController();
    const pending = caught(() =>
      http({ backoff: { baseMs: 5_000, maxMs: 5_000 } }).request({ method: 'GET', path: '/v3/p1/things/t1', signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect(error.name).toBe('AbortError');
  });
  it('aborts every call in flight under one caller signal, with one listener on that signal however many calls run', async () => {
    for (let i = 0; i < 20; i++) agent.get(ORIGIN).intercept({ path: `/v3/p1/things/t${i}`, method: 'GET' }).reply(200, {}).delay(5_000);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const client = http();
      const pending = Array.from({ length: 20 }, (_, i) => caught(() => client.request({ method: 'GET', path: `/v3/p1/things/t${i}`, signal: controller.signal })));
      setTimeout(() => controller.abort(), 50);
      const errors = await Promise.all(pending);
      expect(errors.map((e) => e.name)).toEqual(Array(20).fill('AbortError'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.name)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('request building', () => {
  it('encodes every interpolated path segment', () => {
    expect(path`/v3/${'p1'}/vaults/${'a b:c'}/x`).toBe('/v3/p1/vaults/a%20b%3Ac/x');
  });

  it.each(['..', '.', '', 'a/b', 'a\\b', 'a?b', 'a#b', '%2e%2e', 'a\r\nb', 'x'.repeat(256)])('refuses the path segment %j', (segment) => {
    expect(() => path`/v3/p1/vaults/${segment}`).toThrow(UpstreamRequestError);
  });

  it.each(['/v3/../admin', '//evil.test/x', 'v3/p1', '/v3/p1?x=1', '/v3/%2e%2e/x'])('refuses the raw path %j before sending anything', async (raw) => {
    const error = await caught(() => http().request({ method: 'GET', path: raw }));
    expect([error.constructor, error.reason]).toEqual([UpstreamRequestError, 'invalid-path-segment']);
  });

  it('refuses a non-finite query number', async () => {
    const error = await caught(() => http().request({ method: 'GET', path: '/v3/p1/things', query: { limit: Number.NaN } }));
    expect([error.constructor, error.reason, error.message]).toEqual([UpstreamRequestError, 'invalid-query', 'Query parameter limit must be a finite number']);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Mon, 01 Jan 2024 00:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('circuit breaker seam', () => {
  function countingBreaker(open: boolean) {
    const counts = { success: 0, failure: 0 };
    const breaker: CircuitBreaker = {
      allowRequest: () => !open,
      onSuccess: () => void counts.success++,
      onFailure: () => void counts.failure++,
    };
    return { breaker, counts };
  }

  it('fails fast without sending while the breaker is open', async () => {
    const { breaker } = countingBreaker(true);
    const error = await caught(() => http({ breaker }).request({ method: 'GET', path: '/v3/p1/things/t1' }));
    expect([error.constructor, error.reason, error.attempts]).toEqual([UpstreamUnavailableError, 'CIRCUIT_OPEN', 0]);
  });

  it('reports 5xx as failures and 4xx as successes', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(503, '');
    pool.intercept({ path: '/v3/p1/things/t1', method: 'GET' }).reply(404, '');
    const { breaker, counts } = countingBreaker(false);
    await caught(() => http({ breaker }).request({ method: 'GET', path: '/v3/p1/things/t1' }));
    expect(counts).toEqual({ success: 1, failure: 1 });
  });
});

// http.ts's hooks for observability and the breaker: X-Request-Id on every attempt, one event per attempt, CIRCUIT_OPEN's retry hint.
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
