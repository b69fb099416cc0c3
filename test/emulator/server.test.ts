import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DOMAIN } from '../../src/emulator/demo-identity';
import { routes } from '../../src/emulator/handlers';
import { PROBE_ROUTES, PROJECT_A, PROJECT_B, startTestEmulator, type TestEmulator } from '../helpers/emulator';

describe('emulator server', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({}, [...routes, ...PROBE_ROUTES]);
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  const admin = (method: string, path: string, body?: unknown) => emu.call(method, `/__admin/${path}`, body, { token: null });

  it('answers an unknown path with the API gateway 404 body and a request id', async () => {
    const res = await emu.call('GET', '/v3/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error_code: 'APIGW.0101',
      error_msg: 'The API does not exist or has not been published in the environment',
      request_id: res.headers.get('x-request-id'),
    });
  });

  it('answers a known path with another method with 405 naming the allowed ones', async () => {
    const res = await emu.call('DELETE', `/v3/${PROJECT_A}/probe`);
    expect(res.status).toBe(405);
    expect(res.body).toMatchObject({ error_code: 'APIGW.0102', error_msg: 'Method DELETE is not allowed; allowed: GET, POST' });
  });

  it('logs every request with its status', async () => {
    await emu.call('GET', '/v3/nowhere?x=1');
    expect(emu.emulator.requestLog.entries()).toEqual([{ method: 'GET', url: '/v3/nowhere?x=1', route: undefined, status: 404 }]);
  });

  it('has the demo projects in state from the start, even without demo data', () => {
    expect([...emu.emulator.state.projects.keys()]).toEqual([PROJECT_A, PROJECT_B]);
    expect(emu.emulator.state.domains.map((d) => d.id)).toEqual([DEMO_DOMAIN.id]);
  });

  describe('version discovery', () => {
    it('lists the API versions at / and /v3 with status 300, without authentication', async () => {
      for (const path of ['/', '/v3']) {
        const res = await emu.call('GET', path, undefined, { token: null });
        expect(res.status).toBe(300);
        expect(res.body).toEqual({ versions: [{ id: 'v3', status: 'CURRENT', links: [{ href: `${emu.url}/v3/`, rel: 'self' }] }] });
      }
    });
  });

  describe('/__admin/requests', () => {
    it('lists the requests and counts per route, leaving admin calls out', async () => {
      await emu.call('GET', `/v3/${PROJECT_A}/probe`);
      await emu.call('GET', `/v3/${PROJECT_A}/probe?limit=1`);
      await emu.call('POST', `/v3/${PROJECT_A}/probe`, { a: 1 }, { token: null });
      await emu.call('GET', '/v3/nowhere');
      const res = await admin('GET', 'requests');
      expect(res).toMatchObject({ status: 200 });
      expect(res.body).toEqual({
        total: 4,
        countsByRoute: { 'GET /v3/:project_id/probe': 2, 'POST /v3/:project_id/probe': 1, 'GET (unmatched)': 1 },
        requests: [
          { method: 'GET', url: `/v3/${PROJECT_A}/probe`, route: 'GET /v3/:project_id/probe', status: 200 },
          { method: 'GET', url: `/v3/${PROJECT_A}/probe?limit=1`, route: 'GET /v3/:project_id/probe', status: 200 },
          { method: 'POST', url: `/v3/${PROJECT_A}/probe`, route: 'POST /v3/:project_id/probe', status: 401 },
          { method: 'GET', url: '/v3/nowhere', route: undefined, status: 404 },
        ],
      });
      expect(emu.emulator.requestLog.calls()).toEqual([
        `GET /v3/${PROJECT_A}/probe`,
        `GET /v3/${PROJECT_A}/probe?limit=1`,
        `POST /v3/${PROJECT_A}/probe`,
        'GET /v3/nowhere',
      ]);
    });

    it('clears the log on DELETE', async () => {
      await emu.call('GET', `/v3/${PROJECT_A}/probe`);
      expect((await admin('DELETE', 'requests')).status).toBe(204);
      expect((await admin('GET', 'requests')).body).toEqual({ total: 0, countsByRoute: {}, requests: [] });
    });
  });

  describe('/__admin/reset', () => {
    it('empties the data, keeps the demo identity and, by default, the tokens', async () => {
      emu.emulator.state.project(PROJECT_A).vaults.set('v1', { id: 'v1' } as never);
      emu.emulator.state.addProject('ffffffffffffffffffffffffffffffff', 'eu-de_extra');
      emu.emulator.faults.set({ latency: { minMs: 1 } });
      const firstId = emu.emulator.ids.uuid();
      expect((await admin('POST', 'reset')).status).toBe(204);
      expect(emu.emulator.state.project(PROJECT_A).vaults.size).toBe(0);
      expect([...emu.emulator.state.projects.keys()]).toEqual([PROJECT_A, PROJECT_B]);
      expect(emu.emulator.faults.get()).toEqual({ rules: [] });
      expect(emu.emulator.ids.uuid()).toBe(firstId);
      expect((await emu.call('GET', `/v3/${PROJECT_A}/probe`)).status).toBe(200);
    });

    it('brings the demo dataset back exactly when demo data is on', async () => {
      const own = await startTestEmulator({ demo: true, clock: { start: Date.UTC(2024, 2, 1, 8), mode: 'frozen' } });
      try {
        const project = own.emulator.state.project(PROJECT_A);
        expect(project.vaults.size).toBeGreaterThan(0);
        const before = structuredClone([...project.vaults]);
        project.vaults.clear();
        expect((await own.call('POST', '/__admin/reset', undefined, { token: null })).status).toBe(204);
        expect([...own.emulator.state.project(PROJECT_A).vaults]).toEqual(before);
      } finally {
        await own.close();
      }
    });

    it('revokes the tokens with ?tokens=true', async () => {
      // Its own emulator: revoking would take the shared one's tokens too.
      const own = await startTestEmulator({}, [...routes, ...PROBE_ROUTES]);
      try {
        expect((await own.call('POST', '/__admin/reset?tokens=true', undefined, { token: null })).status).toBe(204);
        const res = await own.call('GET', `/v3/${PROJECT_A}/probe`);
        expect(res.status).toBe(401);
        expect(res.body.error_msg).toBe('Incorrect IAM authentication information: decrypt token fail');
      } finally {
        await own.close();
      }
    });
  });

  describe('/__admin/clock', () => {
    it('reads the clock and moves it forward, running what fell due', async () => {
      const before = await admin('GET', 'clock');
      expect(before.body).toEqual({ now: expect.any(String), epochMs: expect.any(Number), lifecycle: 'immediate', pendingJobs: 0 });
      let ran = false;
      emu.emulator.clock.schedule(60_000, () => {
        ran = true;
      });
      const after = await admin('POST', 'clock', { advanceMs: 60_000 });
      expect(after.status).toBe(200);
      expect(ran).toBe(true);
      expect(after.body.epochMs - before.body.epochMs).toBeGreaterThanOrEqual(60_000);
      expect(after.body.now).toBe(new Date(after.body.epochMs).toISOString());
      expect(after.body.pendingJobs).toBe(0);
    });

    it('refuses a negative or missing advance', async () => {
      const res = await admin('POST', 'clock', { advanceMs: -1 });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error_code: 'Emulator.0400', error_msg: 'invalid clock request: advanceMs must be at least 0' });
      expect((await admin('POST', 'clock', {})).body.error_msg).toBe('invalid clock request: advanceMs is mandatory');
    });
  });

  it('dumps the state at /__admin/state in the state file format', async () => {
    const res = await admin('GET', 'state');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ format: 'cbr-emulator-state', version: 2 });
    expect(res.body.state.projects.$map.map(([id]: [string]) => id)).toEqual([PROJECT_A, PROJECT_B]);
  });
});
