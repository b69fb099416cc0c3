/**
 * `/healthz` and `/readyz`, answered before anything else of the gateway (no caller credentials, no CSRF or Host
 * check: load balancers probe with neither). Health is "the process answers". Readiness is "a request could be served
 * now": the gateway's own credentials get a token from IAM (cached or fresh), one cheap read of CBR (and of VBS when
 * it is another host) with them succeeds, and no circuit breaker is open. Without credentials of its own the gateway
 * can only check that the endpoints answer at all. The verdict is cached for `cacheMs`, so frequent probes of many
 * load balancers cost one upstream call per period. The answer names checks and error codes, never an endpoint, a
 * token, a user or a project.
 */
import type { Plugin } from 'graphql-yoga';
import type { Dispatcher } from 'undici';
import type { Breakers } from '../upstream/circuit-breaker';
import type { Credentials } from '../upstream/credentials';
import { UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError } from '../upstream/errors';
import { createHttp } from '../upstream/http';
import { path } from '../upstream/url';

export interface ReadinessOptions {
  cbrEndpoint: string;
  vbsEndpoint: string;
  dispatcher?: Dispatcher;
  /** Deadline of each check's upstream call, ms. */
  timeoutMs?: number;
  credentials?: Credentials;
  breakers?: Breakers;
  /** How long a verdict is reused, ms (`GatewayConfig.readinessCacheMs`). */
  cacheMs: number;
  /** Clock, injectable for tests. Default `Date.now`. */
  now?: () => number;
}

/** `ok`, or why the check failed (an error code, e.g. `HTTP 503 APIGW.0202`, `timeout`, `ECONNREFUSED`, `open`). */
export type CheckResult = string;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

export function createReadiness(options: ReadinessOptions) {
  const now = options.now ?? Date.now;
  const { credentials } = options;
  const sameHost = new URL(options.vbsEndpoint).origin === new URL(options.cbrEndpoint).origin;
  // No retries: a probe is repeated by the load balancer anyway. The breaker is shared with the requests, so a probe
  // may be the one call that closes a half-open breaker when no traffic comes.
  const endpoint = (baseUrl: string) =>
    createHttp({ baseUrl, dispatcher: options.dispatcher, timeoutMs: options.timeoutMs, retries: 0, credentials, breaker: options.breakers?.for(baseUrl) });
  const cbr = endpoint(options.cbrEndpoint);
  const vbs = sameHost ? undefined : endpoint(options.vbsEndpoint);

  let cached: { at: number; report: Promise<ReadinessReport> } | undefined;

  async function read(http: ReturnType<typeof createHttp>, listPath: (projectId: string) => string): Promise<CheckResult> {
    try {
      if (credentials) {
        await http.send({ method: 'GET', path: listPath(await credentials.projectId()), query: { limit: 1 } });
        return 'ok';
      }
      // Version discovery needs no credentials; any answer but a 5xx shows the service is there.
      await http.send({ method: 'GET', path: '/' });
      return 'ok';
    } catch (error) {
      if (!credentials && error instanceof UpstreamError && error.status < 500) return 'ok';
      return reason(error);
    }
  }

  async function iam(): Promise<CheckResult> {
    if (credentials?.kind !== 'password') return 'not used';
    try {
      await credentials.projectId();
      await credentials.authorize({ method: 'GET', url: new URL(options.cbrEndpoint), headers: {}, body: undefined });
      return 'ok';
    } catch (error) {
      return reason(error);
    }
  }

  async function check(): Promise<ReadinessReport> {
    const checks: Record<string, CheckResult> = {};
    checks.iam = await iam();
    // Without a token there is no point asking CBR with it.
    if (checks.iam === 'ok' || checks.iam === 'not used') {
      const [cbrResult, vbsResult] = await Promise.all([
        read(cbr, (p) => path`/v3/${p}/vaults`),
        vbs ? read(vbs, (p) => path`/v2/${p}/backuppolicy`) : undefined,
      ]);
      checks.cbr = cbrResult;
      if (vbsResult !== undefined) checks.vbs = vbsResult;
    }
    const open = (options.breakers?.states() ?? []).filter((breaker) => breaker.state !== 'closed');
    checks.circuitBreakers = open.length === 0 ? 'ok' : open.map((breaker) => breaker.state).join(', ');
    return { ready: Object.values(checks).every((result) => result === 'ok' || result === 'not used'), checks };
  }

  return {
    /** The current verdict, at most `cacheMs` old; concurrent probes share one check. */
    report(): Promise<ReadinessReport> {
      const t = now();
      if (!cached || t - cached.at >= options.cacheMs) {
        cached = { at: t, report: check() };
      }
      return cached.report;
    },
  };
}

export type Readiness = ReturnType<typeof createReadiness>;

/** Why a check failed, as a code: no message (it could name a host, a user or a project). */
function reason(error: unknown): CheckResult {
  if (error instanceof UpstreamError) return `HTTP ${error.status} ${error.code}`;
  if (error instanceof UpstreamTimeoutError) return 'timeout';
  if (error instanceof UpstreamUnavailableError) return error.reason === 'CIRCUIT_OPEN' ? 'circuit open' : error.reason;
  return error instanceof Error ? error.name : 'failed';
}

/** Serves `GET|HEAD /healthz` and `/readyz` (JSON, 200 or 503) before yoga's own request handling. */
export function useHealthEndpoints(readiness: Readiness): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/healthz' && url.pathname !== '/readyz') return;
      const json = (status: number, body: unknown) =>
        new fetchAPI.Response(request.method === 'HEAD' ? null : JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        });
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      if (url.pathname === '/healthz') {
        endResponse(json(200, { status: 'ok' }));
        return;
      }
      return readiness.report().then((report) => {
        endResponse(json(report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'unready', checks: report.checks }));
      });
    },
  };
}
