/**
 * The per-request context: an upstream client bound to the caller's credentials and a fresh set of loaders.
 * Nothing user-specific outlives the request; only the Agent and the gateway's own credentials (created once in
 * yoga.ts) are shared.
 */
import type { Dispatcher } from 'undici';
import type { Breakers } from '../upstream/circuit-breaker';
import { createCbrClient, type CbrClient } from '../upstream/client';
import { tokenCredentials, validateProjectId, type Credentials } from '../upstream/credentials';
import { UpstreamRequestError } from '../upstream/errors';
import { coalesceGets, createInFlightCalls, type InFlightCalls } from '../upstream/coalesce';
import { createHttp, type CallBudget, type Http } from '../upstream/http';
import { callerIdentity } from './caller-identity';
import { createCallBudget, DEFAULT_MAX_UPSTREAM_CALLS } from './call-budget';
import { reportBatchSizes } from './loader-batches';
import { createLoaders, type Loaders } from './loaders';
import type { Watches } from './watches';
import { withTenantLimits, type TenantLimits } from './tenant-limits';
import { telemetryOf } from './request-telemetry';

/** What every resolver receives (besides yoga's own `request`, `params`, …). */
export interface GraphQLContext {
  /** The REST client, acting as the caller. Mutations call it; reads go through `loaders`. */
  client: CbrClient;
  /** Per-request DataLoaders over `client`. */
  loaders: Loaders;
  /** Who the request acts as (caller-identity.ts): the partition key of anything shared across requests. */
  identity: string;
  /** The poll loops of subscriptions, shared across requests (watches.ts). */
  watches: Watches;
  /**
   * A client acting as the caller whose calls `signal` aborts instead of the request's, with no per-request call
   * budget: for a subscription's poll loop, which serves every subscriber of the caller and stops with the last one.
   */
  openClient(signal: AbortSignal): CbrClient;
}

export interface UpstreamSettings {
  /** CBR origin, e.g. `https://cbr.eu-de.otc.t-systems.com`. */
  cbrEndpoint: string;
  /** VBS v2 origin; the CBR pipeline is reused when it is the same. */
  vbsEndpoint: string;
  /** Shared connection pool. */
  dispatcher?: Dispatcher;
  /** Deadline of each upstream attempt, ms. */
  timeoutMs?: number;
  /** The gateway's own credentials, for callers that send no X-Auth-Token. */
  credentials?: Credentials;
  /** Project of callers that send X-Auth-Token without X-Project-Id. */
  defaultProjectId?: string;
  /** Upstream calls one GraphQL request may make (call-budget.ts). Default `DEFAULT_MAX_UPSTREAM_CALLS`. */
  maxUpstreamCalls?: number;
  /** The gateway's poll loops of subscriptions (created once, in yoga.ts). */
  watches: Watches;
  /** Per-identity call budget and concurrency cap, shared across requests (tenant-limits.ts). Default: none. */
  tenantLimits?: TenantLimits;
  /** Circuit breakers shared by all requests, one per endpoint. Default: none. */
  breakers?: Breakers;
}

/** Builds yoga's `context` function: called once per GraphQL request. */
export function createContextFactory(settings: UpstreamSettings) {
  const inFlight = createInFlightCalls();
  return ({ request }: { request: Request }): GraphQLContext => {
    const credentials = callerCredentials(request.headers, settings);
    const identity = callerIdentity(request.headers);
    // One budget for the CBR and the VBS client: the limit is on the request, whichever service it calls.
    const callBudget = createCallBudget(settings.maxUpstreamCalls ?? DEFAULT_MAX_UPSTREAM_CALLS);
    // The request's id goes upstream with every call, and every attempt is counted for its log line, metrics and trace.
    const telemetry = telemetryOf(request);
    const upstream = {
      dispatcher: settings.dispatcher,
      timeoutMs: settings.timeoutMs,
      credentials,
      requestId: telemetry?.requestId,
      observer: telemetry?.observe,
    };
    // Shared calls count once against the caller's tenant budget (they are one upstream call) and once per joining
    // request against its own call budget.
    const limited = (http: Http) => (settings.tenantLimits ? withTenantLimits(http, settings.tenantLimits, identity) : http);
    const pipeline = (baseUrl: string) => limited(createHttp({ baseUrl, ...upstream, breaker: settings.breakers?.for(baseUrl) }));
    const endpoint = (baseUrl: string) => shareGets(pipeline(baseUrl), identity, inFlight, callBudget);
    const http = endpoint(settings.cbrEndpoint);
    const vbsHttp = settings.vbsEndpoint === settings.cbrEndpoint ? undefined : endpoint(settings.vbsEndpoint);
    // The request's signal aborts upstream calls still running when the client goes away.
    const client = createCbrClient({ http, vbsHttp, signal: request.signal });
    // A subscription's poll loop outlives this request: its own client, aborted by the loop (watches.ts).
    const openClient = (signal: AbortSignal) => createCbrClient({ http: pipeline(settings.cbrEndpoint), signal });
    const loaders = createLoaders(client);
    if (telemetry?.countsBatches) reportBatchSizes(loaders, telemetry.observeBatch);
    return { client, loaders, identity, watches: settings.watches, openClient };
  };
}

/**
 * Identical GETs running at the same time under the same identity share one upstream call (upstream/coalesce.ts).
 * The wrapper takes the request's call budget for every call, shared or not, so `http` is created without one.
 */
function shareGets(http: Http, identity: string, inFlight: InFlightCalls, callBudget: CallBudget): Http {
  return coalesceGets(http, { identity, inFlight, callBudget });
}

/**
 * Auth passthrough: the caller's X-Auth-Token (and X-Project-Id) when sent, else the gateway's credentials.
 * Only these two headers are forwarded. A token that cannot be sent safely fails every upstream call of the request
 * with UNAUTHENTICATED instead of failing the context (which would bypass the error mapping).
 */
export function callerCredentials(headers: Headers, settings: UpstreamSettings): Credentials {
  const token = headers.get('x-auth-token');
  if (token === null) {
    const projectId = headers.get('x-project-id');
    if (projectId !== null) {
      try {
        validateProjectId(projectId);
      } catch (error) {
        return failing(error);
      }
    }
    const own = settings.credentials;
    if (!own) {
      return failing(new UpstreamRequestError('invalid-token', 'Send an X-Auth-Token header: this gateway has no credentials of its own configured'));
    }
    return projectId === null ? own : inProject(own, projectId);
  }
  const projectId = headers.get('x-project-id') ?? settings.defaultProjectId;
  let credentials: Credentials;
  try {
    credentials = tokenCredentials({ token, projectId: projectId ?? undefined });
  } catch (error) {
    return failing(error);
  }
  if (projectId !== undefined) return credentials;
  const fallback = settings.credentials;
  return {
    ...credentials,
    // Same deployment, same project: the project the gateway's own credentials act in.
    projectId: fallback
      ? () => fallback.projectId()
      : () => Promise.reject(new UpstreamRequestError('missing-project-id', 'Send an X-Project-Id header with X-Auth-Token: this gateway has no default project')),
  };
}

/**
 * The gateway's own credentials for a caller who names a project in X-Project-Id but sends no token: they act only in
 * their own project, so naming another one fails every upstream call of the request before it is sent (only IAM may
 * be asked for the gateway's own token, to learn its project) instead of silently answering from the gateway's project.
 */
function inProject(own: Credentials, asked: string): Credentials {
  const checked = async (): Promise<string> => {
    const projectId = await own.projectId();
    if (projectId !== asked) {
      throw new UpstreamRequestError(
        'invalid-token',
        `X-Project-Id names project ${asked}, which the gateway's own credentials do not act in: send an X-Auth-Token for that project`,
      );
    }
    return projectId;
  };
  return {
    kind: own.kind,
    projectId: checked,
    async authorize(request) {
      await checked();
      return own.authorize(request);
    },
    ...(own.onUnauthorized ? { onUnauthorized: (used: Readonly<Record<string, string>>) => own.onUnauthorized!(used) } : {}),
  };
}

function failing(error: unknown): Credentials {
  return {
    kind: 'token',
    projectId: () => Promise.reject(error),
    authorize: () => Promise.reject(error),
  };
}
