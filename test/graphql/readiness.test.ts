/** `/healthz` and `/readyz` (readiness.ts) over the emulator: outages, cached verdicts, no credentials revealed. */
import { describe, expect, it } from 'vitest';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_USER } from '../../src/emulator/demo-identity';
import { startStack, useStack, type Stack, type StackOptions } from '../helpers/stack';

const withOwnCredentials = (overrides: Record<string, unknown> = {}): StackOptions => ({
  gateway: (url) => ({
    credentials: { kind: 'password', authUrl: `${url}/v3`, username: DEMO_USER.name, password: DEMO_USER.password, userDomainName: DEMO_DOMAIN.name, projectId: DEMO_PROJECT.id },
    readinessCacheMs: 0,
    ...overrides,
  }),
});

async function probe(stack: Stack, path: string, init?: RequestInit) {
  // Any Host and no header at all: a load balancer's probe.
  const res = await stack.gateway.fetch(`http://lb-probe.internal${path}`, init ?? {});
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), text };
}

describe('/healthz', () => {
  const stack = useStack();
  it('answers 200 without credentials and without calling the upstream', async () => {
    expect(await probe(stack, '/healthz')).toEqual({ status: 200, body: { status: 'ok' }, text: '{"status":"ok"}' });
    expect(stack.calls()).toEqual([]);
  });

  it('refuses other methods with 405', async () => {
    const res = await stack.gateway.fetch('http://lb-probe.internal/healthz', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('/readyz with the gateway\'s own credentials', () => {
  const stack = useStack(withOwnCredentials());

  it('is ready when IAM gives a token and CBR answers a read with it', async () => {
    expect(await probe(stack, '/readyz')).toEqual(
      expect.objectContaining({ status: 200, body: { status: 'ready', checks: { iam: 'ok', cbr: 'ok', circuitBreakers: 'ok' } } }),
    );
    expect(stack.calls()).toEqual([`GET /v3/${DEMO_PROJECT.id}/vaults?limit=1`]);
  });

  it('turns unready during an emulator outage and ready after it, naming codes but no credentials', async () => {
    stack.emu.emulator.faults.set({ rules: [{ route: '*', errorRate: 1, status: 503 }] });
    const down = await probe(stack, '/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'unready', checks: { iam: 'ok', cbr: 'HTTP 503 APIGW.0202', circuitBreakers: 'ok' } });
    for (const secret of [DEMO_USER.password, DEMO_USER.name, DEMO_PROJECT.id, stack.emu.url]) expect(down.text).not.toContain(secret);

    stack.emu.emulator.faults.clear();
    expect(await probe(stack, '/readyz')).toEqual(expect.objectContaining({ status: 200, body: expect.objectContaining({ status: 'ready' }) }));
  });
});

describe('/readyz when IAM fails', () => {
  it('is unready with the IAM code and does not ask CBR', async () => {
    const stack = await startStack(withOwnCredentials());
    try {
      stack.emu.emulator.faults.set({ rules: [{ route: 'POST /v3/auth/tokens', errorRate: 1, status: 503 }] });
      const res = await probe(stack, '/readyz');
      expect(res).toEqual(expect.objectContaining({ status: 503, body: { status: 'unready', checks: { iam: 'HTTP 503 APIGW.0202', circuitBreakers: 'ok' } } }));
      expect(stack.calls()).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});

describe('/readyz caching and the circuit breaker', () => {
  it('reuses a verdict for readinessCacheMs, sharing one check between concurrent probes', async () => {
    const stack = await startStack(
      withOwnCredentials({ readinessCacheMs: 60_000, circuitBreaker: { windowSize: 3, minimumCalls: 3, openMs: 60_000 } }),
    );
    try {
      const results = await Promise.all([probe(stack, '/readyz'), probe(stack, '/readyz'), probe(stack, '/readyz')]);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(await probe(stack, '/readyz')).toEqual(expect.objectContaining({ status: 200 }));
      expect(stack.calls()).toHaveLength(1);

      // Three failed reads open the breaker; a fresh stack's verdict would say so (this one is cached: still ready).
      stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 500 }] });
      for (let i = 0; i < 3; i++) await stack.execute(`{ vaults { totalCount } }`, undefined, { token: null, projectId: null });
      expect((await probe(stack, '/readyz')).status).toBe(200);
    } finally {
      await stack.close();
    }
  });

  it('is unready while a breaker is open, without calling the upstream', async () => {
    const stack = await startStack(withOwnCredentials({ circuitBreaker: { windowSize: 3, minimumCalls: 3, openMs: 60_000 } }));
    try {
      stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 500 }] });
      for (let i = 0; i < 3; i++) await stack.execute(`{ vaults { totalCount } }`, undefined, { token: null, projectId: null });
      stack.emu.emulator.faults.clear();
      stack.clearCalls();
      const res = await probe(stack, '/readyz');
      expect(res).toEqual(expect.objectContaining({ status: 503, body: { status: 'unready', checks: { iam: 'ok', cbr: 'circuit open', circuitBreakers: 'open' } } }));
      expect(stack.calls()).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});

describe('/readyz without credentials of its own', () => {
  const stack = useStack({ gateway: { readinessCacheMs: 0 } });
  it('checks that CBR answers at all (version discovery)', async () => {
    expect(await probe(stack, '/readyz')).toEqual(
      expect.objectContaining({ status: 200, body: { status: 'ready', checks: { iam: 'not used', cbr: 'ok', circuitBreakers: 'ok' } } }),
    );
    stack.emu.emulator.faults.set({ rules: [{ route: '*', errorRate: 1, status: 502 }] });
    expect(await probe(stack, '/readyz')).toEqual(expect.objectContaining({ status: 503, body: expect.objectContaining({ checks: expect.objectContaining({ cbr: 'HTTP 502 APIGW.0202' }) }) }));
  });
});
