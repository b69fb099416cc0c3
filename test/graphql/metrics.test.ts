/** `/metrics` (metrics.ts) scraped after a few queries against the emulator: their counts, routes, batches, breakers. */
import { describe, expect, it } from 'vitest';
import { routeOf } from '../../src/gateway/metrics';
import { addServer, addVault } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { startStack, useStack, type Stack } from '../helpers/stack';

const stack = useStack({ gateway: { circuitBreaker: { windowSize: 3, minimumCalls: 3, openMs: 60_000 } } });

async function scrape(s: Stack = stack): Promise<{ status: number; type: string | null; lines: string[] }> {
  const res = await s.gateway.fetch('http://scraper.internal/metrics', {});
  return { status: res.status, type: res.headers.get('content-type'), lines: (await res.text()).split('\n') };
}

/** The value of the sample `name{labels}` (labels as Prometheus prints them), or undefined. */
function sample(lines: string[], series: string): number | undefined {
  const line = lines.find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('shows the queries served, by operation and outcome, with their upstream calls and batches', async () => {
    const servers = [addServer(stack.emu.emulator, PROJECT_A, { name: 'a' }), addServer(stack.emu.emulator, PROJECT_A, { name: 'b' })];
    addVault(stack.emu.emulator, PROJECT_A, { name: 'v', resources: servers });
    const dashboard = `query Dashboard { vaults { edges { node { name resources { name backups(first: 1) { totalCount } } } } } }`;
    for (let i = 0; i < 3; i++) expect((await stack.execute(dashboard)).errors).toBeUndefined();
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/policies', errorRate: 1, status: 404, code: 'BackupService.6002', message: 'x' }] });
    await stack.execute(`query Policies { policies { totalCount } }`);
    await stack.execute(`{ nope }`);

    const { status, type, lines } = await scrape();
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(sample(lines, 'cbr_gateway_requests_total{operation="Dashboard",outcome="ok"}')).toBe(3);
    expect(sample(lines, 'cbr_gateway_requests_total{operation="Policies",outcome="partial"}')).toBe(1);
    expect(sample(lines, 'cbr_gateway_requests_total{operation="anonymous",outcome="refused"}')).toBe(1);
    expect(sample(lines, 'cbr_gateway_request_duration_seconds_count{operation="Dashboard"}')).toBe(3);
    expect(sample(lines, 'cbr_gateway_requests_in_flight')).toBe(0);
    expect(sample(lines, 'cbr_gateway_upstream_calls_total{method="GET",route="/v3/{project_id}/vaults",status="200"}')).toBe(3);
    expect(sample(lines, 'cbr_gateway_upstream_calls_total{method="GET",route="/v3/{project_id}/backups",status="200"}')).toBe(6);
    expect(sample(lines, 'cbr_gateway_upstream_calls_total{method="GET",route="/v3/{project_id}/policies",status="404"}')).toBe(1);
    expect(sample(lines, 'cbr_gateway_upstream_call_duration_seconds_count{method="GET",route="/v3/{project_id}/backups"}')).toBe(6);
    // Each dashboard asks the backup list loader for both servers' lists in one batch.
    expect(sample(lines, 'cbr_gateway_loader_batch_size_count{loader="backupList"}')).toBe(3);
    expect(sample(lines, 'cbr_gateway_loader_batch_size_sum{loader="backupList"}')).toBe(6);
    // yoga's plugin: the GraphQL phases.
    expect(lines.some((l) => l.startsWith('graphql_envelop_phase_execute_count'))).toBe(true);
    expect(lines.some((l) => l.startsWith('graphql_yoga_http_duration_count'))).toBe(true);
    expect(lines.join('\n')).not.toContain(stack.emu.url);
    expect(lines.join('\n')).not.toContain(PROJECT_A);
  });

  it('shows the circuit breaker state of each upstream', async () => {
    expect(sample((await scrape()).lines, 'cbr_gateway_circuit_breaker_state{upstream="cbr",state="closed"}')).toBe(1);
    stack.emu.emulator.faults.set({ rules: [{ route: 'GET /v3/:project_id/vaults', errorRate: 1, status: 500 }] });
    for (let i = 0; i < 3; i++) await stack.execute(`{ vaults { totalCount } }`);
    const { lines } = await scrape();
    expect(sample(lines, 'cbr_gateway_circuit_breaker_state{upstream="cbr",state="open"}')).toBe(1);
    expect(sample(lines, 'cbr_gateway_circuit_breaker_state{upstream="cbr",state="closed"}')).toBe(0);
    expect(sample(lines, 'cbr_gateway_requests_total{operation="anonymous",outcome="partial"}')).toBe(3);
  });

  it('labels by operation name, but a name past 64 characters is `other`, and no label carries the URL', async () => {
    await stack.execute(`query Ok_1 { __typename }`);
    await stack.execute(`query ${'L'.repeat(70)} { __typename }`);
    const { lines } = await scrape();
    expect(sample(lines, 'cbr_gateway_requests_total{operation="Ok_1",outcome="ok"}')).toBe(1);
    expect(sample(lines, 'cbr_gateway_requests_total{operation="other",outcome="ok"}')).toBe(1);
    expect(lines.filter((l) => l.includes('url=') || l.includes('operationName='))).toEqual([]);
  });

  it('is off with metrics: false', async () => {
    const plain = await startStack({ gateway: { metrics: false } });
    try {
      expect((await scrape(plain)).status).not.toBe(200);
    } finally {
      await plain.close();
    }
  });
});

describe('routeOf', () => {
  it.each([
    ['/v3/0a1b2c3d4e5f60718293a4b5c6d7e8f9/vaults', '/v3/{project_id}/vaults'],
    ['/v3/0a1b2c3d4e5f60718293a4b5c6d7e8f9/vaults/3b5f6c1e-1e1f-4b6c-9d1a-0c9e2b7e4a11/addresources', '/v3/{project_id}/vaults/{id}/addresources'],
    ['/v2/proj/backuppolicy/abc123def', '/v2/{project_id}/backuppolicy/{id}'],
    ['/v3/auth/tokens', '/v3/auth/tokens'],
    ['/', '/'],
  ])('%s → %s', (path, route) => {
    expect(routeOf(path)).toBe(route);
  });
});

describe('/metrics with the response cache on', () => {
  it('counts the answers served from the cache and those computed', async () => {
    const cached = await startStack({ gateway: { responseCacheTtlMs: 60_000 } });
    try {
      const query = `query Count { vaults { totalCount } }`;
      for (let i = 0; i < 3; i++) expect((await cached.executeRaw(query)).headers.get('x-response-cache')).toBe(i === 0 ? 'miss' : 'hit');
      const res = await cached.gateway.fetch('http://scraper.internal/metrics', {});
      const lines = (await res.text()).split('\n');
      expect(sample(lines, 'cbr_gateway_response_cache_total{result="hit"}')).toBe(2);
      expect(sample(lines, 'cbr_gateway_response_cache_total{result="miss"}')).toBe(1);
    } finally {
      await cached.close();
    }
  });

  it('has no cache series while the cache is off', async () => {
    const { lines } = await scrape();
    expect(lines.some((line) => line.startsWith('cbr_gateway_response_cache_total'))).toBe(false);
  });
});
