/**
 * The circuit breaker end to end: upstream 503s from the emulator's fault knobs open it, while open the gateway answers
 * UPSTREAM_UNAVAILABLE with retryAfterSeconds without calling the upstream, and a good probe closes it. The breaker's
 * clock is moved by hand, so nothing here waits for openMs.
 */
import { describe, expect, it } from 'vitest';
import { PROJECT_A } from '../helpers/emulator';
import { useStack } from '../helpers/stack';

let now = 0;
const stack = useStack({
  gateway: {
    // Two queries of three attempts each (the first try and two retries) fill the window with failures.
    circuitBreaker: { windowSize: 6, minimumCalls: 6, failureRatio: 0.5, openMs: 30_000, now: () => now },
  },
});
const P = PROJECT_A;
const VAULTS = `{ vaults { totalCount } }`;

async function openBreaker(): Promise<void> {
  stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 503 }] });
  for (let i = 0; i < 2; i++) {
    const res = await stack.execute(VAULTS);
    expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
  }
  expect(stack.calls()).toHaveLength(6);
  stack.clearCalls();
  stack.emu.emulator.faults.clear();
}

describe('circuit breaker', () => {
  it('opens on a run of 503s and then answers UPSTREAM_UNAVAILABLE with retryAfterSeconds, sending nothing', async () => {
    now += 3_600_000;
    await openBreaker();
    const breakerLines = () => stack.logged.filter((line) => (line.args[0] as { msg?: string }).msg === 'circuit breaker').map((line) => [line.level, line.args[0]]);
    expect(breakerLines()).toEqual([['warn', { msg: 'circuit breaker', upstream: 'cbr', state: 'open' }]]);
    stack.logged.length = 0;
    now += 10_000;
    const res = await stack.execute(`{ vaults { totalCount } policies { totalCount } }`);
    // The opening was logged once; the fields failed fast are not warnings each.
    expect(stack.logged.filter((line) => line.level === 'warn' || line.level === 'error')).toEqual([]);
    expect(res.data).toEqual({ vaults: null, policies: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'The upstream service is failing; calls to it are paused (circuit breaker open)',
        path: ['vaults'],
        extensions: { code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: 20 },
      }),
      expect.objectContaining({ path: ['policies'], extensions: { code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: 20 } }),
    ]);
    expect(stack.calls()).toEqual([]);

    // After openMs one probe goes; the upstream is healthy again, so it succeeds and closes the breaker.
    now += 20_000;
    const probe = await stack.execute(VAULTS);
    expect(probe.errors).toBeUndefined();
    expect(probe.data?.vaults?.totalCount).toEqual(expect.any(Number));
    const after = await stack.execute(VAULTS);
    expect(after.errors).toBeUndefined();
    expect(breakerLines()).toEqual([
      ['warn', { msg: 'circuit breaker', upstream: 'cbr', state: 'half-open' }],
      ['warn', { msg: 'circuit breaker', upstream: 'cbr', state: 'closed' }],
    ]);
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=20`, `GET /v3/${P}/vaults?limit=20`]);
  });

  it('opens again for openMs when the probe fails', async () => {
    now += 3_600_000;
    await openBreaker();
    now += 30_000;
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 500 }] });
    const probe = await stack.execute(VAULTS);
    expect(probe.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    expect(stack.calls()).toHaveLength(1);
    stack.emu.emulator.faults.clear();
    now += 1_000;
    const res = await stack.execute(VAULTS);
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: 29 });
    expect(stack.calls()).toHaveLength(1);
    now += 29_000;
    expect((await stack.execute(VAULTS)).errors).toBeUndefined();
  });

  it('never counts 4xx answers: a run of 404s leaves it closed', async () => {
    now += 3_600_000;
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 404, code: 'BackupService.6002', message: 'Not found.' }] });
    for (let i = 0; i < 8; i++) {
      const res = await stack.execute(VAULTS);
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    stack.emu.emulator.faults.clear();
    expect((await stack.execute(VAULTS)).errors).toBeUndefined();
    expect(stack.calls()).toHaveLength(9);
  });
});
