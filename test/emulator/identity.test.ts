import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_PROJECT_2, DEMO_USER } from '../../src/emulator/demo-identity';
import { routes } from '../../src/emulator/handlers';
import { signRequest, signRequestB } from '../../src/upstream/signing';
import { PROBE_ROUTES, startTestEmulator, type TestEmulator } from '../helpers/emulator';

// The auth gate is the same for every CBR/VBS route: probe routes keep these tests independent of resource handlers.
const probes = PROBE_ROUTES;

const passwordAuth = (scope: unknown, password: string = DEMO_USER.password, user: Record<string, unknown> = { name: DEMO_USER.name, domain: { name: DEMO_DOMAIN.name } }) => ({
  auth: { identity: { methods: ['password'], password: { user: { ...user, password } } }, ...(scope ? { scope } : {}) },
});

const apig = (code: string, message: string) => ({ error_code: code, error_msg: message, request_id: expect.stringMatching(/^req-/) });
const keystone = (code: number, message: string, title: string) => ({ error: { code, message, title } });

describe('identity', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({}, [...routes, ...probes]);
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  const post = (path: string, body: unknown) => emu.call('POST', path, body, { token: null });

  describe('POST /v3/auth/tokens', () => {
    it('issues a project-scoped token (by project name) with the catalog pointing at the emulator', async () => {
      const res = await post('/v3/auth/tokens', passwordAuth({ project: { name: 'eu-de' } }));
      expect(res.status).toBe(201);
      const token = res.headers.get('x-subject-token');
      expect(token).toMatch(/^MII[A-Za-z0-9_-]{100,}$/);
      const region = 'eu-de';
      const endpoint = (url: string) => [{ id: expect.stringMatching(/^[0-9a-f]{32}$/), region, region_id: region, interface: 'public', url }];
      const domain = { id: DEMO_DOMAIN.id, name: DEMO_DOMAIN.name };
      expect(res.body).toEqual({
        token: {
          expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
          issued_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
          methods: ['password'],
          catalog: [
            { type: 'cbr', name: 'cbr', id: expect.any(String), endpoints: endpoint(`${emu.url}/v3/${DEMO_PROJECT.id}`) },
            { type: 'vbs', name: 'vbs', id: expect.any(String), endpoints: endpoint(`${emu.url}/v2/${DEMO_PROJECT.id}`) },
            { type: 'identity', name: 'iam', id: expect.any(String), endpoints: endpoint(`${emu.url}/v3`) },
          ],
          project: { id: DEMO_PROJECT.id, name: 'eu-de', domain },
          user: { id: DEMO_USER.id, name: DEMO_USER.name, domain, password_expires_at: '' },
          roles: [{ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'te_admin' }],
        },
      });
      expect(Date.parse(res.body.token.expires_at) - Date.parse(res.body.token.issued_at)).toBe(24 * 3600_000);
      const probe = await emu.call('GET', `/v3/${DEMO_PROJECT.id}/probe`, undefined, { token });
      expect(probe).toMatchObject({ status: 200, body: { project: DEMO_PROJECT.id } });
    });

    it('issues a token scoped by project id for a user named by id, usable only on that project', async () => {
      const res = await post('/v3/auth/tokens', passwordAuth({ project: { id: DEMO_PROJECT_2.id } }, DEMO_USER.password, { id: DEMO_USER.id }));
      expect(res.status).toBe(201);
      expect(res.body.token.project).toEqual({ id: DEMO_PROJECT_2.id, name: 'eu-de_demo2', domain: { id: DEMO_DOMAIN.id, name: DEMO_DOMAIN.name } });
      expect(res.body.token.catalog[0].endpoints[0].url).toBe(`${emu.url}/v3/${DEMO_PROJECT_2.id}`);
      const token = res.headers.get('x-subject-token')!;
      expect((await emu.call('GET', `/v3/${DEMO_PROJECT_2.id}/probe`, undefined, { token })).status).toBe(200);
      expect((await emu.call('GET', `/v3/${DEMO_PROJECT.id}/probe`, undefined, { token })).status).toBe(403);
    });

    it('issues a domain-scoped token with only the identity endpoint, refused by project APIs', async () => {
      const res = await post('/v3/auth/tokens', passwordAuth({ domain: { name: DEMO_DOMAIN.name } }));
      expect(res.status).toBe(201);
      expect(res.body.token.domain).toEqual({ id: DEMO_DOMAIN.id, name: DEMO_DOMAIN.name });
      expect(res.body.token.project).toBeUndefined();
      expect(res.body.token.catalog.map((s: { type: string }) => s.type)).toEqual(['identity']);
      const probe = await emu.call('GET', `/v3/${DEMO_PROJECT.id}/probe`, undefined, { token: res.headers.get('x-subject-token') });
      expect(probe.status).toBe(403);
    });

    it('answers a wrong password with 401 in the Keystone shape', async () => {
      const res = await post('/v3/auth/tokens', passwordAuth({ project: { name: 'eu-de' } }, 'wrong'));
      expect(res.status).toBe(401);
      expect(res.headers.get('x-subject-token')).toBeNull();
      expect(res.body).toEqual(keystone(401, 'The username or password is wrong.', 'Unauthorized'));
    });

    it('answers an unknown user exactly like a wrong password', async () => {
      const res = await post('/v3/auth/tokens', passwordAuth({ project: { name: 'eu-de' } }, 'x', { name: 'nobody', domain: { name: DEMO_DOMAIN.name } }));
      expect(res.status).toBe(401);
      expect(res.body).toEqual(keystone(401, 'The username or password is wrong.', 'Unauthorized'));
    });

    it('answers an unknown project with 404', async () => {
      const byName = await post('/v3/auth/tokens', passwordAuth({ project: { name: 'eu-nl' } }));
      expect(byName.status).toBe(404);
      expect(byName.body).toEqual(keystone(404, 'Could not find project: eu-nl.', 'Not Found'));
      const byId = await post('/v3/auth/tokens', passwordAuth({ project: { id: 'ffffffffffffffffffffffffffffffff' } }));
      expect(byId.body).toEqual(keystone(404, 'Could not find project: ffffffffffffffffffffffffffffffff.', 'Not Found'));
    });

    it('answers a body without methods with 400 naming the field', async () => {
      const res = await post('/v3/auth/tokens', { auth: { identity: {} } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(keystone(400, 'Invalid input for field: auth.identity.methods is mandatory', 'Bad Request'));
    });

    it('answers another method than password with 401', async () => {
      const res = await post('/v3/auth/tokens', { auth: { identity: { methods: ['token'], token: { id: 'x' } } } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(keystone(401, 'Attempted to authenticate with an unsupported method.', 'Unauthorized'));
    });
  });

  describe('token checks on CBR and VBS calls', () => {
    const path = `/v3/${DEMO_PROJECT.id}/probe`;

    it('answers a call without credentials with 401 APIGW.0301', async () => {
      const res = await emu.call('GET', path, undefined, { token: null });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(apig('APIGW.0301', 'Incorrect IAM authentication information: x-auth-token not found'));
      expect(res.body.request_id).toBe(res.headers.get('x-request-id'));
    });

    it('answers an unknown token with 401', async () => {
      const res = await emu.call('GET', path, undefined, { token: 'MIInot-a-token' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(apig('APIGW.0301', 'Incorrect IAM authentication information: decrypt token fail'));
    });

    it("answers another project's path with 403 APIGW.0302, on v3 and v2", async () => {
      for (const p of [`/v3/${DEMO_PROJECT_2.id}/probe`, `/v2/${DEMO_PROJECT_2.id}/probe`]) {
        const res = await emu.call('GET', p);
        expect(res.status).toBe(403);
        expect(res.body).toEqual(apig('APIGW.0302', 'The IAM user is not authorized to access the API.'));
      }
      expect((await emu.call('GET', `/v2/${DEMO_PROJECT.id}/probe`)).status).toBe(200);
    });

    it('refuses a token once 24 hours have passed on the emulator clock', async () => {
      // Its own emulator: moving the clock would expire the shared one's tokens too.
      const own = await startTestEmulator({ lifecycle: 'manual' }, [...routes, ...probes]);
      try {
        expect((await own.call('GET', path)).status).toBe(200);
        own.emulator.clock.advance(24 * 3600_000 - 1);
        expect((await own.call('GET', path)).status).toBe(200);
        own.emulator.clock.advance(1);
        const res = await own.call('GET', path);
        expect(res.status).toBe(401);
        expect(res.body).toEqual(apig('APIGW.0301', 'Incorrect IAM authentication information: token expired'));
      } finally {
        await own.close();
      }
    });

    it('validates a token with GET /v3/auth/tokens and revokes it with DELETE', async () => {
      const issued = await post('/v3/auth/tokens', passwordAuth({ project: { name: 'eu-de' } }));
      const subject = issued.headers.get('x-subject-token')!;
      const shown = await emu.call('GET', '/v3/auth/tokens', undefined, { headers: { 'x-subject-token': subject } });
      expect(shown.status).toBe(200);
      expect(shown.body).toEqual(issued.body);
      expect((await emu.call('DELETE', '/v3/auth/tokens', undefined, { headers: { 'x-subject-token': subject } })).status).toBe(204);
      const after = await emu.call('GET', '/v3/auth/tokens', undefined, { headers: { 'x-subject-token': subject } });
      expect(after.status).toBe(404);
      expect(after.body).toEqual(keystone(404, 'The token could not be found.', 'Not Found'));
      expect((await emu.call('GET', path, undefined, { token: subject })).status).toBe(401);
    });

    it('answers IAM calls without credentials with the Keystone 401', async () => {
      const res = await emu.call('GET', '/v3/projects', undefined, { token: null });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(keystone(401, 'The request you have made requires authentication.', 'Unauthorized'));
    });
  });

  describe('AK/SK', () => {
    const path = `/v3/${DEMO_PROJECT.id}/probe`;
    const send = async (method: string, p: string, headers: Record<string, string>, body?: string) => {
      const res = await fetch(emu.url + p, { method, headers, body });
      return { status: res.status, body: await res.json() };
    };
    const signed = (method: string, p: string, extra: Record<string, string> = {}, body?: string, sign = signRequest, date?: Date) => {
      const headers = { ...extra, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
      return { ...headers, ...sign({ method, url: emu.url + p, headers, body, accessKey: DEMO_USER.accessKey, secretKey: DEMO_USER.secretKey, date }) };
    };

    it('accepts a variant A signature on GET and on POST with a body, with X-Project-Id signed', async () => {
      expect(await send('GET', path, signed('GET', path, { 'x-project-id': DEMO_PROJECT.id }))).toEqual({ status: 200, body: { project: DEMO_PROJECT.id } });
      const body = '{"vault":{"name":"v1"}}';
      expect(await send('POST', path, signed('POST', path, {}, body), body)).toEqual({ status: 200, body: { echo: { vault: { name: 'v1' } } } });
      const withQuery = `${path}?limit=2&name=a%20b`;
      expect((await send('GET', withQuery, signed('GET', withQuery))).status).toBe(200);
    });

    it('accepts a variant B (gophertelekomcloud) signature', async () => {
      expect((await send('GET', `${path}?limit=1`, signed('GET', `${path}?limit=1`, {}, undefined, signRequestB))).status).toBe(200);
      const body = '{"a":1}';
      expect((await send('POST', path, signed('POST', path, {}, body, signRequestB), body)).status).toBe(200);
    });

    it('refuses a body changed after signing', async () => {
      const res = await send('POST', path, signed('POST', path, {}, '{"a":1}'), '{"a":2}');
      expect(res).toEqual({ status: 401, body: apig('APIGW.0301', 'Incorrect IAM authentication information: verify aksk signature fail') });
    });

    it('refuses an unknown access key', async () => {
      const headers = { ...signRequest({ method: 'GET', url: emu.url + path, accessKey: 'UNKNOWNAK', secretKey: 'x' }) };
      const res = await send('GET', path, headers);
      expect(res).toEqual({ status: 401, body: apig('APIGW.0301', 'Incorrect IAM authentication information: Get secretKey failed,ak:UNKNOWNAK,err:ak not exist') });
    });

    it('refuses a signature more than 15 minutes old with APIGW.0303', async () => {
      const headers = signed('GET', path, {}, undefined, signRequest, new Date(Date.now() - 16 * 60_000));
      const res = await send('GET', path, headers);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(
        apig(
          'APIGW.0303',
          expect.stringMatching(
            new RegExp(`^Incorrect app authentication information: signature expired, signature time:${headers['x-sdk-date']},server time:\\d{8}T\\d{6}Z$`),
          ),
        ),
      );
    });

    it("refuses a project outside the user's domain and an X-Project-Id that contradicts the path", async () => {
      emu.emulator.state.addProject('ffffffffffffffffffffffffffffffff', 'eu-de_foreign');
      const foreign = '/v3/ffffffffffffffffffffffffffffffff/probe';
      expect(await send('GET', foreign, signed('GET', foreign))).toEqual({ status: 403, body: apig('APIGW.0302', 'The IAM user is not authorized to access the API.') });
      const mismatch = await send('GET', path, signed('GET', path, { 'x-project-id': DEMO_PROJECT_2.id }));
      expect(mismatch.status).toBe(403);
    });

    it('finds a project id by name with GET /v3/projects, as the Huawei SDKs do', async () => {
      const p = '/v3/projects?name=eu-de';
      const res = await send('GET', p, signed('GET', p));
      expect(res).toEqual({
        status: 200,
        body: {
          projects: [
            {
              domain_id: DEMO_DOMAIN.id,
              is_domain: false,
              parent_id: DEMO_DOMAIN.id,
              name: 'eu-de',
              description: '',
              links: { next: null, previous: null, self: `${emu.url}/v3/projects/${DEMO_PROJECT.id}` },
              id: DEMO_PROJECT.id,
              enabled: true,
            },
          ],
          links: { next: null, previous: null, self: `${emu.url}/v3/projects` },
        },
      });
    });

    it('lists every project of the domain to a token holder', async () => {
      const res = await emu.call('GET', '/v3/auth/projects');
      expect(res.status).toBe(200);
      expect(res.body.projects.map((p: { name: string }) => p.name)).toEqual(['eu-de', 'eu-de_demo2']);
    });

    it('gives the catalog of the X-Project-Id project to an AK/SK caller', async () => {
      const p = '/v3/auth/catalog';
      const res = await send('GET', p, signed('GET', p, { 'x-project-id': DEMO_PROJECT_2.id }));
      expect(res.status).toBe(200);
      expect(res.body.catalog[0].endpoints[0].url).toBe(`${emu.url}/v3/${DEMO_PROJECT_2.id}`);
    });
  });
});
