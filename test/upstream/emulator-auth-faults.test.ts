/**
 * The client's credential modes and fault handling against the emulator over real loopback sockets: the IAM
 * password flow, AK/SK signing, and the emulator's fault knobs (503, 429 + Retry-After, dropped connections, latency).
 */
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOMAIN, DEMO_USER } from '../../src/emulator/demo-identity';
import { createCbrClient } from '../../src/upstream/client';
import { akskCredentials, passwordCredentials, tokenCredentials, type Credentials } from '../../src/upstream/credentials';
import { UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError } from '../../src/upstream/errors';
import { createHttp, type HttpOptions } from '../../src/upstream/http';
import { PROJECT_A, useTestEmulator } from '../helpers/emulator';
import { caught } from '../helpers/rejections';

const emu = useTestEmulator();
let agent: Agent;
beforeAll(() => {
  agent = new Agent({ connections: 8 });
});
afterAll(() => agent.close());

function clientWith(credentials: Credentials, options: Partial<HttpOptions> = {}) {
  return createCbrClient({ http: createHttp({ baseUrl: emu.url, dispatcher: agent, credentials, backoff: { baseMs: 5, maxMs: 20 }, ...options }) });
}

/** Every request the emulator saw, identity calls included. */
function requests(): string[] {
  return emu.emulator.requestLog.entries().map((e) => `${e.method} ${e.url} ${e.status}`);
}

const password = (extra: { projectName?: string; projectId?: string } = { projectName: 'eu-de' }) =>
  passwordCredentials(
    { authUrl: `${emu.url}/v3`, username: DEMO_USER.name, password: DEMO_USER.password, userDomainName: DEMO_DOMAIN.name, ...extra },
    { dispatcher: agent },
  );

describe('IAM password flow against POST /v3/auth/tokens', () => {
  it('gets a token, learns the project id from it, and shares one IAM call between concurrent requests', async () => {
    const client = clientWith(password());
    await expect(client.projectId()).resolves.toBe(PROJECT_A);
    const lists = await Promise.all([client.listVaults(), client.listPolicies(), client.listTasks()]);
    expect(lists.map((l) => l.count)).toEqual([0, 0, 0]);
    expect(requests().sort()).toEqual(
      [
        'POST /v3/auth/tokens 201',
        `GET /v3/${PROJECT_A}/vaults 200`,
        `GET /v3/${PROJECT_A}/policies 200`,
        `GET /v3/${PROJECT_A}/operation-logs 200`,
      ].sort(),
    );
  });

  it('refreshes a revoked token once and repeats the refused request', async () => {
    const credentials = password();
    const client = clientWith(credentials);
    await client.listVaults();
    const { 'x-auth-token': first } = await credentials.authorize({ method: 'GET', url: new URL(emu.url), headers: {}, body: undefined });
    expect(emu.emulator.identity.revokeToken(first!)).toBe(true);
    emu.emulator.requestLog.clear();

    const vault = await client.createVault({
      vault: { name: 'after-refresh', billing: { consistent_level: 'crash_consistent', object_type: 'disk', protect_type: 'backup', size: 50 }, resources: [] },
    });
    expect(vault.name).toBe('after-refresh');
    expect(requests()).toEqual([`POST /v3/${PROJECT_A}/vaults 401`, 'POST /v3/auth/tokens 201', `POST /v3/${PROJECT_A}/vaults 200`]);
  });

  it('reports a wrong password as the IAM 401', async () => {
    const credentials = passwordCredentials(
      { authUrl: `${emu.url}/v3`, username: DEMO_USER.name, password: 'wrong', userDomainName: DEMO_DOMAIN.name, projectName: 'eu-de' },
      { dispatcher: agent },
    );
    const error = await caught(() => clientWith(credentials).listVaults());
    expect(error).toBeInstanceOf(UpstreamError);
    expect([error.status, error.code, error.message, error.method, error.path]).toEqual([
      401,
      '401',
      'The username or password is wrong.',
      'POST',
      '/auth/tokens',
    ]);
  });
});

describe('AK/SK signing', () => {
  const aksk = (secretKey: string = DEMO_USER.secretKey) => akskCredentials({ accessKey: DEMO_USER.accessKey, secretKey, projectId: PROJECT_A });

  it('is accepted for GET with a repeated-key query, POST with a body, PUT and DELETE', async () => {
    const client = clientWith(aksk());
    const vault = await client.createVault({
      vault: { name: 'signed', billing: { consistent_level: 'crash_consistent', object_type: 'server', protect_type: 'backup', size: 100 }, resources: [] },
    });
    expect((await client.listBackups({ vault_id: vault.id, status: ['available', 'error'], limit: 5 })).backups).toEqual([]);
    expect((await client.updateVault(vault.id, { vault: { name: 'signed-2 ü' } })).name).toBe('signed-2 ü');
    await client.deleteVault(vault.id);
    expect(requests()).toEqual([
      `POST /v3/${PROJECT_A}/vaults 200`,
      `GET /v3/${PROJECT_A}/backups?vault_id=${vault.id}&status=available&status=error&limit=5 200`,
      `PUT /v3/${PROJECT_A}/vaults/${vault.id} 200`,
      `DELETE /v3/${PROJECT_A}/vaults/${vault.id} 204`,
    ]);
  });

  it('is refused with the API gateway 401 when signed with the wrong secret key', async () => {
    const error = await caught(() => clientWith(aksk('not-the-secret')).listVaults());
    expect([error.status, error.code, error.message]).toEqual([401, 'APIGW.0301', 'Incorrect IAM authentication information: verify aksk signature fail']);
  });
});

describe('faults on a real socket', () => {
  const tokenClient = (options: Partial<HttpOptions> = {}) =>
    clientWith(tokenCredentials({ token: emu.project.token, projectId: PROJECT_A }), options);

  it('retries a GET after one injected 503', async () => {
    emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 503, times: 1 }] });
    await expect(tokenClient().listVaults()).resolves.toMatchObject({ vaults: [], count: 0 });
    expect(requests()).toEqual([`GET /v3/${PROJECT_A}/vaults 503`, `GET /v3/${PROJECT_A}/vaults 200`]);
  });

  it('does not retry a POST after an injected 503', async () => {
    emu.emulator.faults.set({ rules: [{ route: 'POST *', errorRate: 1, status: 503, times: 1 }] });
    const error = await caught(() =>
      tokenClient().createPolicy({
        policy: {
          name: 'p',
          operation_type: 'backup',
          operation_definition: { max_backups: 1 },
          trigger: { properties: { pattern: ['FREQ=DAILY;INTERVAL=1;BYHOUR=3;BYMINUTE=0'] } },
        },
      }),
    );
    expect([error.status, error.code, error.message]).toEqual([503, 'APIGW.0202', 'Backend unavailable.']);
    expect(requests()).toEqual([`POST /v3/${PROJECT_A}/policies 503`]);
  });

  it('waits for Retry-After on an injected 429 throttling answer', async () => {
    emu.emulator.faults.set({ rules: [{ route: 'GET *', errorRate: 1, status: 429, retryAfterSeconds: 1, times: 1 }] });
    const started = Date.now();
    await expect(tokenClient().listPolicies()).resolves.toMatchObject({ policies: [], count: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(requests()).toEqual([`GET /v3/${PROJECT_A}/policies 429`, `GET /v3/${PROJECT_A}/policies 200`]);
  });

  it('retries a GET whose connection the emulator dropped', async () => {
    emu.emulator.faults.set({ rules: [{ route: 'GET *', dropRate: 1, times: 1 }] });
    await expect(tokenClient().listTasks()).resolves.toMatchObject({ operation_logs: [], count: 0 });
    expect(requests()).toEqual([`GET /v3/${PROJECT_A}/operation-logs 0`, `GET /v3/${PROJECT_A}/operation-logs 200`]);
  });

  it('reports a dropped POST as unavailable without retrying it', async () => {
    emu.emulator.faults.set({ rules: [{ route: 'POST *', dropRate: 1, times: 1 }] });
    const error = await caught(() => tokenClient().createVbsPolicy({
      backup_policy_name: 'p1',
      scheduled_policy: { rentention_num: 2, frequency: 1, start_time: '12:00', status: 'ON' },
    }));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect([error.attempts, error.method]).toEqual([1, 'POST']);
    expect(requests()).toEqual([`POST /v2/${PROJECT_A}/backuppolicy 0`]);
  });

  it('times out a slow answer after timeoutMs and does not retry it', async () => {
    emu.emulator.faults.set({ rules: [{ route: 'GET *', latency: { minMs: 1_000 } }] });
    const started = Date.now();
    const error = await caught(() => tokenClient({ timeoutMs: 150 }).listVaults());
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect([error.timeoutMs, error.attempts]).toEqual([150, 1]);
    expect(Date.now() - started).toBeLessThan(800);
  });
});
