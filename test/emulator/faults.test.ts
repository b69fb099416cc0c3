import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFaults } from '../../src/emulator/faults';
import { routes } from '../../src/emulator/handlers';
import { PROBE_ROUTES, startTestEmulator, type TestEmulator } from '../helpers/emulator';

const PROBE = 'GET /v3/:project_id/probe';

describe('fault knobs', () => {
  let emu: TestEmulator;
  let path: string;
  beforeAll(async () => {
    emu = await startTestEmulator({}, [...routes, ...PROBE_ROUTES]);
    path = `/v3/${emu.project.id}/probe`;
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  const statuses = async (n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await emu.call('GET', path)).status);
    return out;
  };

  it('adds a fixed latency to every request', async () => {
    emu.emulator.faults.set({ latency: { minMs: 150 } });
    const started = performance.now();
    const res = await emu.call('GET', path);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('draws random latency within [minMs, maxMs], the same draws for the same seed', () => {
    const faults = createFaults();
    const draw = () => {
      faults.set({ seed: 7, latency: { minMs: 10, maxMs: 20 } });
      return Array.from({ length: 50 }, () => faults.decide('GET', PROBE, '/v3/p/probe', 'cbr')!.delayMs);
    };
    const first = draw();
    expect(first.every((d) => d >= 10 && d <= 20)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(5);
    expect(draw()).toEqual(first);
  });

  it('answers 503 from the API gateway on the matching route only, before authentication', async () => {
    emu.emulator.faults.set({ rules: [{ route: PROBE, errorRate: 1 }] });
    const res = await emu.call('GET', path, undefined, { token: null });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error_code: 'APIGW.0202', error_msg: 'Backend unavailable.', request_id: res.headers.get('x-request-id') });
    expect((await emu.call('POST', path, { a: 1 })).status).toBe(200);
    expect(emu.emulator.requestLog.entries()).toEqual([
      { method: 'GET', url: path, route: PROBE, status: 503, fault: 'error' },
      { method: 'POST', url: path, route: 'POST /v3/:project_id/probe', status: 200 },
    ]);
  });

  it('answers 429 with Retry-After, 504, and 500 in the shape of the API (v3 or VBS v2)', async () => {
    emu.emulator.faults.set({
      rules: [
        { route: `GET /v3/*/probe`, errorRate: 1, status: 429, retryAfterSeconds: 2, times: 1 },
        { route: `GET /v3/*/probe`, errorRate: 1, status: 504, times: 1 },
        { route: '* /v*/:project_id/probe', errorRate: 1, status: 500 },
      ],
    });
    const throttled = await emu.call('GET', path);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect(throttled.body).toMatchObject({
      error_code: 'APIGW.0308',
      error_msg: 'The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute',
    });
    const timeout = await emu.call('GET', path);
    expect(timeout.status).toBe(504);
    expect(timeout.body).toMatchObject({ error_code: 'APIGW.0203', error_msg: 'Backend timeout.' });
    const v3 = await emu.call('GET', path);
    expect(v3.status).toBe(500);
    expect(v3.body).toEqual({ error_code: 'BackupService.9910', error_msg: 'Unknown error.' });
    const v2 = await emu.call('GET', `/v2/${emu.project.id}/probe`);
    expect(v2.status).toBe(500);
    expect(v2.body).toEqual({ error: { code: 'VBS.0500', message: 'Internal server error' } });
  });

  it('uses a custom code and message when given', async () => {
    emu.emulator.faults.set({ rules: [{ errorRate: 1, status: 500, code: 'BackupService.6132', message: 'Vault creation failed.' }] });
    const res = await emu.call('GET', path);
    expect(res.body).toEqual({ error_code: 'BackupService.6132', error_msg: 'Vault creation failed.' });
  });

  it('fails a rule only for its first `times` requests, then lets requests through', async () => {
    emu.emulator.faults.set({ rules: [{ route: PROBE, errorRate: 1, times: 2 }] });
    expect(await statuses(4)).toEqual([503, 503, 200, 200]);
    expect(emu.emulator.faults.get().rules).toEqual([{ route: PROBE, errorRate: 1, times: 2, hits: 2 }]);
  });

  it('injects the same faults for the same seed and request sequence', async () => {
    emu.emulator.faults.set({ seed: 42, rules: [{ route: PROBE, errorRate: 0.5 }] });
    const first = await statuses(30);
    expect(first).toContain(200);
    expect(first).toContain(503);
    emu.emulator.faults.set({ seed: 42, rules: [{ route: PROBE, errorRate: 0.5 }] });
    expect(await statuses(30)).toEqual(first);
    emu.emulator.faults.set({ seed: 43, rules: [{ route: PROBE, errorRate: 0.5 }] });
    expect(await statuses(30)).not.toEqual(first);
  });

  it('drops the connection without an answer', async () => {
    emu.emulator.faults.set({ rules: [{ route: PROBE, dropRate: 1 }] });
    await expect(emu.call('GET', path)).rejects.toThrow(/fetch failed/);
    expect(emu.emulator.requestLog.entries()).toEqual([{ method: 'GET', url: path, route: PROBE, status: 0, fault: 'drop' }]);
    emu.emulator.faults.clear();
    expect((await emu.call('GET', path)).status).toBe(200);
  });

  it('commits, then holds the answer back (latencyAfterCommit) or resets the connection (dropAfterHandler)', async () => {
    const vaults = `/v3/${emu.project.id}/vaults`;
    const body = (name: string) => ({ vault: { name, billing: { object_type: 'disk', size: 10, consistent_level: 'crash_consistent', protect_type: 'backup' }, resources: [] } });
    emu.emulator.faults.set({ rules: [{ route: 'POST /v3/:project_id/vaults', latencyAfterCommit: { minMs: 300 } }] });
    const started = performance.now();
    const stalled = await emu.call('POST', vaults, body('held'));
    expect(stalled.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    emu.emulator.faults.set({ rules: [{ route: 'POST /v3/:project_id/vaults', dropAfterHandler: true }] });
    await expect(emu.call('POST', vaults, body('dropped'))).rejects.toThrow(/fetch failed/);
    // Both changes were made: only their answers were late or lost.
    const names = (await emu.call('GET', vaults)).body.vaults.map((v: { name: string }) => v.name);
    expect(names.sort()).toEqual(['dropped', 'held']);
  });

  it('matches a glob against the actual path too', async () => {
    emu.emulator.faults.set({ rules: [{ route: `GET /v3/${emu.otherProject.id}/*`, errorRate: 1 }] });
    expect((await emu.call('GET', path)).status).toBe(200);
    expect((await emu.call('GET', `/v3/${emu.otherProject.id}/probe`, undefined, { token: emu.otherProject.token })).status).toBe(503);
  });

  describe('over /__admin/faults', () => {
    const admin = (method: string, body?: unknown) => emu.call(method, '/__admin/faults', body, { token: null });

    it('sets, reads and clears the faults, and is itself never faulted', async () => {
      const put = await admin('PUT', { seed: 3, rules: [{ errorRate: 1, status: 502 }] });
      expect(put).toMatchObject({ status: 200, body: { seed: 3, rules: [{ route: '*', errorRate: 1, status: 502, hits: 0 }] } });
      expect((await emu.call('GET', path)).status).toBe(502);
      expect((await emu.call('GET', '/')).status).toBe(502);
      const get = await admin('GET');
      expect(get.body).toEqual({ seed: 3, rules: [{ route: '*', errorRate: 1, status: 502, hits: 2 }] });
      expect((await admin('DELETE')).status).toBe(204);
      expect((await admin('GET')).body).toEqual({ rules: [] });
      expect((await emu.call('GET', path)).status).toBe(200);
    });

    it('refuses invalid settings with 400 naming the field', async () => {
      const res = await admin('PUT', { rules: [{ errorRate: 2 }] });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error_code: 'Emulator.0400',
        error_msg: 'invalid fault settings: rules.0.errorRate: Too big: expected number to be <=1',
      });
      const unknown = await admin('PUT', { latencyMs: 5 });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error_msg).toMatch(/^invalid fault settings: body: Unrecognized key: "latencyMs"/);
    });
  });
});
