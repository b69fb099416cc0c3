/**
 * The gateway's only error table: upstream failures and rejected inputs → GraphQL errors with `extensions.code`
 * (the values of `enum ErrorCode` in schema/base.graphql), applied to every error through yoga's `maskError`.
 * Anything not recognised here stays masked as "Unexpected error." (and is logged by yoga).
 */
import type { GraphQLError } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError } from 'graphql-yoga';
import {
  UpstreamError,
  UpstreamRequestError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../upstream/errors';
import type { ErrorCode } from './__generated__/resolvers-types';
import { TenantRateLimitError } from './tenant-limits';
import { outcomeUnknown } from './write-outcome';

/** What `extensions.upstream` carries: enough to find the call in the upstream's logs, never its raw body. */
export interface UpstreamErrorDetails {
  status: number;
  code: string;
  /** The upstream's own message for 4xx; left out for 5xx (it may describe internals). */
  message?: string;
  requestId: string | null;
}

/** A rejected input: `field` is the argument path, e.g. `input.billing.sizeGb` or `first`. */
export function badUserInput(message: string, field: string): GraphQLError {
  return createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' satisfies ErrorCode, field } });
}

/** Status → code. 4xx codes keep the upstream's message; everything else gets a message of ours. */
function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return 'BAD_USER_INPUT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMITED';
    case 408:
    case 504:
      return 'UPSTREAM_TIMEOUT';
    default:
      return 'UPSTREAM_ERROR';
  }
}

interface Mapped {
  message: string;
  extensions: { code: ErrorCode; upstream?: UpstreamErrorDetails; field?: string; retrySafe?: boolean; retryAfterSeconds?: number };
}

/** The GraphQL face of a known failure, or undefined for anything unexpected (which stays masked). */
export function describeError(error: unknown): Mapped | undefined {
  if (outcomeUnknown(error)) {
    const { method, path } = error as UpstreamTimeoutError | UpstreamUnavailableError;
    return {
      message: `${method} ${path.replace(/^\/v\d\/[^/]+/, '')} was sent but no answer came back: it may or may not have been carried out. Check (e.g. look the vault up by name) before retrying`,
      extensions: { code: 'UPSTREAM_OUTCOME_UNKNOWN', retrySafe: false },
    };
  }
  if (error instanceof UpstreamError) {
    const code = codeForStatus(error.status);
    const clientSide = error.status >= 400 && error.status < 500 && code !== 'UPSTREAM_TIMEOUT';
    const upstream: UpstreamErrorDetails = {
      status: error.status,
      code: error.code,
      requestId: error.requestId ?? null,
      ...(clientSide ? { message: error.message } : {}),
    };
    const message = clientSide
      ? error.message || `The upstream refused the request (HTTP ${error.status} ${error.code})`
      : `The upstream service failed (HTTP ${error.status})${error.requestId ? `; request id ${error.requestId}` : ''}`;
    // The upstream's own Retry-After (a 429 or 503), passed on: the caller should wait as long as it was told to.
    const retryAfterSeconds = error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
    return { message, extensions: { code, upstream, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) } };
  }
  if (error instanceof TenantRateLimitError) {
    return { message: error.message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) } };
  }
  if (error instanceof UpstreamTimeoutError) {
    return { message: `The upstream service did not answer within ${error.timeoutMs} ms`, extensions: { code: 'UPSTREAM_TIMEOUT' } };
  }
  if (error instanceof UpstreamUnavailableError) {
    // The socket error code says enough; the URL stays out of the message (it names internal hosts).
    if (error.reason === 'CIRCUIT_OPEN') {
      // The breaker (upstream/circuit-breaker.ts) answers for an upstream that keeps failing: say when to come back.
      return {
        message: 'The upstream service is failing; calls to it are paused (circuit breaker open)',
        extensions: { code: 'UPSTREAM_UNAVAILABLE', ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}) },
      };
    }
    return { message: `The upstream service could not be reached (${error.reason})`, extensions: { code: 'UPSTREAM_UNAVAILABLE' } };
  }
  if (error instanceof UpstreamRequestError) {
    switch (error.reason) {
      case 'invalid-token':
      case 'missing-project-id':
        return { message: error.message, extensions: { code: 'UNAUTHENTICATED' } };
      case 'invalid-path-segment':
      case 'invalid-query':
        return { message: error.message, extensions: { code: 'BAD_USER_INPUT' } };
      case 'call-limit':
        return { message: error.message, extensions: { code: 'TOO_MANY_UPSTREAM_CALLS' } };
    }
  }
  // UpstreamContractError (a body breaking the wire schema) is a bug to fix, ours or the upstream's: it stays
  // masked like any other unexpected error, and yoga logs it.
  return undefined;
}

/**
 * How loud a masked error should be in the log: a 4xx the caller caused is routine (`debug`), a failing or slow
 * upstream is an operations matter (`warn`), anything unrecognised is a bug (`error`).
 */
export function logLevelOf(error: unknown): 'debug' | 'warn' | 'error' {
  const root = rootCause(error);
  // The client went away: every field still waiting on the upstream fails with its request's abort reason. Routine,
  // and one line per field (about 50 on a dashboard) at `error` drowned everything else.
  if (root instanceof Error && root.name === 'AbortError') return 'debug';
  // An open circuit breaker logs its opening once (yoga.ts); the fields it fails fast are not news.
  if (root instanceof UpstreamUnavailableError && root.reason === 'CIRCUIT_OPEN') return 'debug';
  const mapped = describeError(root);
  if (!mapped) return isRequestError(root) ? 'debug' : 'error';
  const status = mapped.extensions.upstream?.status;
  const clientSide = ['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'TOO_MANY_UPSTREAM_CALLS'].includes(
    mapped.extensions.code,
  );
  return clientSide && (status === undefined || status < 500) ? 'debug' : 'warn';
}

/** yoga's own error for an HTTP request it cannot read (a body that is not JSON): a 4xx status, no cause behind it. */
function isRequestError(error: unknown): boolean {
  const status = (error as { extensions?: { http?: { status?: unknown } } } | null)?.extensions?.http?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The innermost error: graphql-js wraps what a resolver throws, possibly more than once. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const inner = (current as { originalError?: unknown } | null)?.originalError;
    if (inner === undefined || inner === null) return current;
    current = inner;
  }
  return current;
}

/**
 * yoga's `maskedErrors.maskError`. Checks our own error classes (not `instanceof GraphQLError`, which two copies of
 * graphql would break) and builds the result with yoga's `createGraphQLError`, keeping the location and path.
 */
export function maskGatewayError(error: unknown, message: string, isDev?: boolean): Error {
  const mapped = describeError(rootCause(error));
  if (!mapped) {
    const masked = yogaMaskError(error, message, isDev);
    return masked === error ? withoutParserError(masked) : masked;
  }
  const located = error as Partial<Pick<GraphQLError, 'nodes' | 'source' | 'positions' | 'path'>>;
  return createGraphQLError(mapped.message, {
    nodes: located.nodes,
    source: located.source,
    positions: located.positions,
    path: located.path,
    extensions: mapped.extensions,
  });
}

/**
 * An error yoga lets through, without the `extensions.originalError` its JSON body parser adds to BAD_REQUEST (the
 * SyntaxError, quoting the body): the caller gets the code and message, not our parser's internals. Its status stays
 * 400 for either Accept header (yoga answers an `http.spec` status with 200 to `application/json` once no
 * `originalError` is left, so that flag goes too).
 */
function withoutParserError(error: Error): Error {
  const { extensions } = error as Partial<GraphQLError>;
  if (extensions?.originalError === undefined) return error;
  const { originalError: _parserError, http, ...rest } = extensions as { originalError: unknown; http?: { status?: number; headers?: unknown } };
  const { nodes, source, positions, path } = error as GraphQLError;
  return createGraphQLError(error.message, {
    nodes,
    source,
    positions,
    path,
    extensions: { ...rest, ...(http ? { http: { status: http.status, headers: http.headers } } : {}) },
  });
}

/** A lookup's 404 as `null`: nullable by-id fields and loaders answer "does not exist" with null, not an error. */
export async function nullIfNotFound<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof UpstreamError && error.status === 404) return null;
    throw error;
  }
}
