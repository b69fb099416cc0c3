/**
 * Per-tenant fairness: the call budget and the concurrency cap are per caller identity and shared across that
 * caller's requests; one caller's exhaustion leaves another untouched; the upstream's 429 Retry-After is passed on.
 */
import { describe, expect, it } from 'vitest';
import type { HttpResponse, RequestOptions } from '../../src/upstream/http';
import { createTenantLimits, TenantRateLimitError } from '../../src/gateway/tenant-limits';
import { startStack, useStack } from '../helpers/stack';

describe('createTenantLimits', () => {
  const ok = { status: 200, headers: {}, body: undefined, requestId: undefined } as HttpResponse<undefined>;
  const req = { method: 'GET', path: '/v3/p/vaults' } as RequestOptions<undefined>;

  it('caps the calls of one identity in flight, across its callers, and lets the rest wait in order', async () => {
    const limits = createTenantLimits({ callsPerWindow: 100, windowMs: 60_000, maxConcurrentCalls: 2 });
    let inFlight = 0;
    let most = 0;
    const order: number[] = [];
    const send = (n: number) => async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight--;
      order.push(n);
      return ok;
    };
    // Two "requests" of the same identity, three calls each, and one call of another identity.
    const a = Array.from({ length: 6 }, (_, n) => limits.wrapSend(send(n) as never, 'alice')(req));
    const other = limits.wrapSend((async () => ok) as never, 'bob')(req);
    await other;
    // Bob did not wait behind alice, whose calls run two at a time for 10 ms each.
    expect(order.length).toBeLessThan(6);
    await Promise.all(a);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(limits.size()).toBeLessThanOrEqual(2);
  });

  it('refuses calls past the budget with the wait until one is refilled, and refills evenly', async () => {
    let now = 0;
    const limits = createTenantLimits({ callsPerWindow: 3, windowMs: 60_000, maxConcurrentCalls: 10 }, () => now);
    const send = limits.wrapSend((async () => ok) as never, 'alice');
    await send(req);
    await send(req);
    await send(req);
    const refused = await send(req).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TenantRateLimitError);
    expect((refused as TenantRateLimitError).retryAfterMs).toBe(20_000);
    expect(limits.retryAfterMs('bob')).toBe(0);
    now = 20_000;
    await expect(send(req)).resolves.toBe(ok);
  });

  it('tracks a bounded number of identities, dropping idle ones oldest first', async () => {
    const limits = createTenantLimits({ callsPerWindow: 1, windowMs: 60_000, maxConcurrentCalls: 10 }, () => 0, 3);
    for (const identity of ['t1', 't2', 't3', 't4', 't5']) await limits.wrapSend((async () => ok) as never, identity)(req);
    expect(limits.size()).toBe(3);
    // t5 is still tracked (its one call used), t1 was dropped and starts over with a full budget.
    expect(limits.retryAfterMs('t5')).toBe(60_000);
    expect(limits.retryAfterMs('t1')).toBe(0);
  });

  it('stops a waiting call when its request is aborted', async () => {
    const limits = createTenantLimits({ callsPerWindow: 100, windowMs: 60_000, maxConcurrentCalls: 1 });
    let release!: () => void;
    const first = limits.wrapSend((() => new Promise((resolve) => (release = () => resolve(ok)))) as never, 'alice')(req);
    const controller = new AbortController();
    const waiting = limits.wrapSend((async () => ok) as never, 'alice')({ ...req, signal: controller.signal });
    controller.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
    release();
    await expect(first).resolves.toBe(ok);
  });
});

describe('the budget over the gateway', () => {
  const stack = useStack({ gateway: { tenantCallsPerMinute: 5 } });
  const TWO_CALLS = `{ vaults { totalCount } policies { totalCount } }`;
  // Concurrent identical GETs of one caller share one upstream call (coalesce.ts): page sizes make each request's two
  // calls its own.
  const twoCallsOfTheirOwn = (i: number) => `{ a: vaults(first: ${2 * i + 1}) { totalCount } b: vaults(first: ${2 * i + 2}) { totalCount } }`;

  it('holds across concurrent requests of one caller; a new request is refused whole with 429 and Retry-After; another caller is served', async () => {
    const responses = await Promise.all(Array.from({ length: 4 }, (_, i) => stack.executeRaw(twoCallsOfTheirOwn(i))));
    const answers = (await Promise.all(responses.map((res) => res.json()))) as Array<{ data?: Record<string, unknown>; errors?: Array<{ extensions?: unknown }> }>;
    // A request that got part of its answer has no HTTP Retry-After (only its throttled fields carry the wait); one
    // that got nothing has it.
    const partly = answers.map((answer) => Object.values(answer.data ?? {}).some((value) => value !== null));
    expect(responses.map((res) => res.headers.get('retry-after') === null)).toEqual(partly);
    expect(partly.filter(Boolean).length).toBeGreaterThanOrEqual(3);
    // 8 calls asked for, 5 allowed: exactly 5 reached the upstream, the others are RATE_LIMITED fields.
    expect(stack.calls()).toHaveLength(5);
    const limited = answers.flatMap((answer) => answer.errors ?? []);
    expect(limited).toHaveLength(3);
    // One call comes back every 12 s (5 per minute): that is the wait, less the time the test has taken.
    const within12s = expect.toSatisfy((s: number) => Number.isInteger(s) && s >= 1 && s <= 12);
    for (const error of limited) expect(error.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: within12s });

    const refused = await stack.executeRaw(TWO_CALLS);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toEqual(within12s);
    expect(await refused.json()).toEqual({
      errors: [{ message: `This caller has used its upstream calls for now; retry in ${retryAfter} s`, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } }],
    });
    expect(stack.calls()).toHaveLength(5);

    // Another identity (the second project's token) has its own budget.
    const other = await stack.execute(TWO_CALLS, undefined, { token: stack.emu.otherProject.token, projectId: stack.emu.otherProject.id });
    expect(other).toEqual({ data: { vaults: { totalCount: 0 }, policies: { totalCount: 0 } } });
  });
});

describe("the upstream's own 429", () => {
  it('passes Retry-After on, and holds that caller back until then without calling the upstream', async () => {
    const stack = await startStack();
    try {
      stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 429, retryAfterSeconds: 30, times: 1 }] });
      // A GET is retried after Retry-After only within the deadline; 30 s is past it, so the 429 is answered.
      const throttledRes = await stack.executeRaw(`{ vaults { totalCount } }`);
      // Nothing of the request was answered: the HTTP Retry-After says so too.
      expect(throttledRes.headers.get('retry-after')).toBe('30');
      const throttled = (await throttledRes.json()) as { errors?: Array<{ extensions?: unknown }> };
      expect(throttled.errors?.[0]?.extensions).toEqual(expect.objectContaining({ code: 'RATE_LIMITED', retryAfterSeconds: 30 }));
      stack.clearCalls();
      const held = await stack.executeRaw(`{ vaults { totalCount } }`);
      expect(held.status).toBe(429);
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(25);
      expect(stack.calls()).toEqual([]);
      // Another caller is not held back.
      const other = await stack.execute(`{ vaults { totalCount } }`, undefined, { token: stack.emu.otherProject.token, projectId: stack.emu.otherProject.id });
      expect(other).toEqual({ data: { vaults: { totalCount: 0 } } });
    } finally {
      await stack.close();
    }
  });
});
