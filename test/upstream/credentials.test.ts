/** Credential modes with MockAgent: token validation, the IAM password flow's cache, sharing and 401 refresh, AK/SK headers. */
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { akskCredentials, createCredentials, passwordCredentials, tokenCredentials } from '../../src/upstream/credentials';
import { UpstreamContractError, UpstreamError, UpstreamRequestError } from '../../src/upstream/errors';
import { createHttp } from '../../src/upstream/http';
import { parseAuthorization, verifySignature } from '../../src/upstream/signing';
import { caught } from '../helpers/rejections';

const IAM = 'https://iam.test';
const CBR = 'https://cbr.test';
const PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const Ok = z.object({ ok: z.boolean() });

let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

describe('token passthrough', () => {
  it('sends X-Auth-Token and X-Project-Id and exposes the project', async () => {
    const creds = createCredentials({ kind: 'token', token: 'abc.DEF-123_=', projectId: PROJECT });
    expect(creds.kind).toBe('token');
    await expect(creds.projectId()).resolves.toBe(PROJECT);
    await expect(creds.authorize({ method: 'GET', url: new URL(CBR), headers: {}, body: undefined })).resolves.toEqual({
      'x-auth-token': 'abc.DEF-123_=',
      'x-project-id': PROJECT,
    });
  });

  it('sends no X-Project-Id without a project, and projectId() says why it cannot answer', async () => {
    const creds = tokenCredentials({ token: 'abc' });
    await expect(creds.authorize({ method: 'GET', url: new URL(CBR), headers: {}, body: undefined })).resolves.toEqual({ 'x-auth-token': 'abc' });
    const error = await caught(() => creds.projectId());
    expect([error.constructor, error.reason]).toEqual([UpstreamRequestError, 'missing-project-id']);
  });

  it.each([
    ['', 'The IAM token is missing'],
    ['abc\r\nX-Evil: 1', 'The IAM token contains characters a token never has (whitespace, CR/LF or non-ASCII)'],
    ['abc\n', 'The IAM token contains characters a token never has (whitespace, CR/LF or non-ASCII)'],
    ['with space', 'The IAM token contains characters a token never has (whitespace, CR/LF or non-ASCII)'],
    ['x'.repeat(32_769), 'The IAM token is longer than 32768 characters'],
  ])('refuses the token %j', (token, message) => {
    expect(() => tokenCredentials({ token })).toThrow(new UpstreamRequestError('invalid-token', message));
  });

  it('accepts a token of exactly the maximum length', () => {
    expect(() => tokenCredentials({ token: 'x'.repeat(32_768) })).not.toThrow();
  });

  it('refuses a project id that could not be a header or a path segment', () => {
    expect(() => tokenCredentials({ token: 'abc', projectId: '../x' })).toThrow(UpstreamRequestError);
  });
});

describe('IAM password flow', () => {
  const config = {
    authUrl: `${IAM}/v3`,
    username: 'svc-user',
    password: 's3cret',
    userDomainName: 'OTC-EU-DE-000000000010000000001',
    projectName: 'eu-de',
  };
  let now = Date.parse('2024-01-01T00:00:00Z');
  const clock = () => now;
  beforeEach(() => {
    now = Date.parse('2024-01-01T00:00:00Z');
  });

  function tokenBody(expiresAt: string) {
    return { token: { expires_at: expiresAt, issued_at: '2024-01-01T00:00:00Z', methods: ['password'], project: { id: PROJECT, name: 'eu-de' } } };
  }

  function answerIam(token: string, expiresAt = '2024-01-02T00:00:00Z') {
    let seen: unknown;
    agent
      .get(IAM)
      .intercept({ path: '/v3/auth/tokens', method: 'POST' })
      .reply((opts) => {
        seen = JSON.parse(String(opts.body));
        return { statusCode: 201, data: tokenBody(expiresAt), responseOptions: { headers: { 'x-subject-token': token } } };
      });
    return () => seen;
  }

  it('posts the documented body and uses X-Subject-Token; the project id comes from the token body', async () => {
    const seenBody = answerIam('tok-1');
    const creds = passwordCredentials(config, { dispatcher: agent, now: clock });
    await expect(creds.authorize({ method: 'GET', url: new URL(CBR), headers: {}, body: undefined })).resolves.toEqual({ 'x-auth-token': 'tok-1' });
    await expect(creds.projectId()).resolves.toBe(PROJECT);
    expect(seenBody()).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'svc-user', password: 's3cret', domain: { name: 'OTC-EU-DE-000000000010000000001' } } },
        },
        scope: { project: { name: 'eu-de' } },
      },
    });
  });

  it('scopes by project id when given and does not need IAM to name the project', async () => {
    const seenBody = answerIam('tok-1');
    const creds = passwordCredentials({ ...config, projectName: undefined, projectId: PROJECT }, { dispatcher: agent, now: clock });
    await expect(creds.projectId()).resolves.toBe(PROJECT);
    await creds.authorize({ method: 'GET', url: new URL(CBR), headers: {}, body: undefined });
    expect((seenBody() as any).auth.scope).toEqual({ project: { id: PROJECT } });
  });

  it('caches the token until the refresh margin before expires_at, then fetches a new one', async () => {
    answerIam('tok-1', '2024-01-01T01:00:00Z');
    const creds = passwordCredentials(config, { dispatcher: agent, now: clock, refreshMarginMs: 10 * 60_000 });
    const auth = () => creds.authorize({ method: 'GET', url: new URL(CBR), headers: {}, body: undefined });
    expect(await auth()).toEqual({ 'x-auth-token': 'tok-1' });
    now += 49 * 60_000;
    expect(await auth()).toEqual({ 'x-auth-token': 'tok-1' });
    now += 60_000; // 10 minutes before expiry
    answerIam('tok-2', '2024-01-01T02:00:00Z');
    expect(await auth()).toEqual({ 'x-auth-token': 'tok-2' });
  });

  it('shares one in-flight IAM request between concurrent callers', async () => {
    answerIam('tok-1'); // mocked once: a second IAM call would fail on disableNetConnect
    const creds = passwordCredentials(config, { dispatcher: agent, now: clock });
    const all = await Promise.all(
      Array.from({ length: 5 }, () => creds.authorize({ method: 'GET', url: new URL(CBR), headers: {}, body: undefined })),
    );
    expect(all).toEqual(Array.from({ length: 5 }, () => ({ 'x-auth-token': 'tok-1' })));
  });

  it('refreshes the token once on a CBR 401 and retries the request once, POST included', async () => {
    answerIam('tok-1');
    const creds = passwordCredentials(config, { dispatcher: agent, now: clock });
    const tokensSeen: string[] = [];
    const cbr = agent.get(CBR);
    cbr.intercept({ path: '/v3/p/things', method: 'POST' }).reply((opts) => {
      tokensSeen.push((opts.headers as Record<string, string>)['x-auth-token']!);
      return { statusCode: 401, data: { error_code: 'APIGW.0301', error_msg: 'token expired' } };
    });
    cbr.intercept({ path: '/v3/p/things', method: 'POST' }).reply((opts) => {
      tokensSeen.push((opts.headers as Record<string, string>)['x-auth-token']!);
      return { statusCode: 200, data: { ok: true } };
    });
    const http = createHttp({ baseUrl: CBR, dispatcher: agent, credentials: creds });
    await creds.authorize({ method: 'GET', url: new URL(CBR), headers: {}, body: undefined });
    answerIam('tok-2');
    await expect(http.request({ method: 'POST', path: '/v3/p/things', body: {}, schema: Ok })).resolves.toEqual({ ok: true });
    expect(tokensSeen).toEqual(['tok-1', 'tok-2']);
  });

  it('gives up after the one retry when the fresh token is refused too', async () => {
    answerIam('tok-1');
    const creds = passwordCredentials(config, { dispatcher: agent, now: clock });
    agent
      .get(CBR)
      .intercept({ path: '/v3/p/things', method: 'GET' })
      .reply(401, { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information' })
      .times(2);
    const http = createHttp({ baseUrl: CBR, dispatcher: agent, credentials: creds });
    await creds.authorize({ method: 'GET', url: new URL(CBR), headers: {}, body: undefined });
    answerIam('tok-2');
    const error = await caught(() => http.request({ method: 'GET', path: '/v3/p/things' }));
    expect([error.constructor, error.status, error.code]).toEqual([UpstreamError, 401, 'APIGW.0301']);
  });

  it('surfaces an IAM refusal as UpstreamError and tries IAM again on the next call', async () => {
    agent
      .get(IAM)
      .intercept({ path: '/v3/auth/tokens', method: 'POST' })
      .reply(401, { error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } });
    const creds = passwordCredentials(config, { dispatcher: agent, now: clock });
    const error = await caught(() => creds.projectId());
    expect([error.constructor, error.status, error.code, error.message, error.path]).toEqual([
      UpstreamError,
      401,
      '401',
      'The username or password is wrong.',
      '/auth/tokens',
    ]);
    answerIam('tok-1');
    await expect(creds.projectId()).resolves.toBe(PROJECT);
  });

  it('treats a 201 without X-Subject-Token as a contract violation', async () => {
    agent.get(IAM).intercept({ path: '/v3/auth/tokens', method: 'POST' }).reply(201, tokenBody('2024-01-02T00:00:00Z'));
    const creds = passwordCredentials(config, { dispatcher: agent, now: clock });
    const error = await caught(() => creds.projectId());
    expect([error.constructor, error.issues]).toEqual([UpstreamContractError, 'X-Subject-Token header is missing']);
  });

  it('needs exactly one of projectId or projectName', () => {
    expect(() => passwordCredentials({ ...config, projectName: undefined })).toThrow(
      new UpstreamRequestError('missing-project-id', 'Password credentials need exactly one of projectId or projectName'),
    );
    expect(() => passwordCredentials({ ...config, projectId: PROJECT })).toThrow(UpstreamRequestError);
  });
});

describe('AK/SK', () => {
  it('signs every sent header, X-Project-Id included, so the server-side verifier accepts it', async () => {
    const creds = akskCredentials({ accessKey: 'AK123', secretKey: 'SK456', projectId: PROJECT });
    await expect(creds.projectId()).resolves.toBe(PROJECT);
    const url = new URL(`${CBR}/v3/${PROJECT}/vaults?limit=2`);
    const body = '{"vault":{"name":"v"}}';
    const base = { accept: 'application/json', 'content-type': 'application/json;charset=UTF-8' };
    const auth = await creds.authorize({ method: 'POST', url, headers: base, body });
    expect(Object.keys(auth).sort()).toEqual(['authorization', 'x-project-id', 'x-sdk-date']);
    expect(auth.authorization).toMatch(/^SDK-HMAC-SHA256 Access=AK123, SignedHeaders=accept;content-type;host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/);
    const parsed = parseAuthorization(auth.authorization!)!;
    const verify = (secretKey: string, sentBody: string) =>
      verifySignature({
        method: 'POST',
        path: url.pathname,
        query: url.search.slice(1),
        headers: { ...base, ...auth, host: url.host },
        body: sentBody,
        authorization: parsed,
        secretKey,
      }).ok;
    expect(verify('SK456', body)).toBe(true);
    expect(verify('wrong', body)).toBe(false);
    expect(verify('SK456', '{"vault":{"name":"w"}}')).toBe(false);
  });
});
