/** The emulator's route table type and its matcher: `/v3/:project_id/vaults/:vault_id` style patterns. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Emulator } from './context';
import type { Principal } from './identity';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';

/** What a handler sees: the parsed request plus the emulator it runs in. */
export interface RequestContext {
  method: HttpMethod;
  /** Path without query string, e.g. `/v3/p1/vaults/v1`. */
  path: string;
  /** Named path segments of the matched pattern (`project_id`, `vault_id`, ...). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; `undefined` when the request had none. */
  body: unknown;
  /** The request id echoed in `X-Request-Id` and in APIG error bodies. */
  requestId: string;
  emulator: Emulator;
  /** The authenticated caller of a `cbr`/`vbs` route (set by the server before the handler runs). */
  principal?: Principal;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;

/** Which API a route belongs to: decides auth and the error body shape. */
export type Api = 'cbr' | 'vbs' | 'iam' | 'admin' | 'meta';

export interface Route {
  method: HttpMethod;
  /** Pattern with `:name` segments, e.g. `/v3/:project_id/vaults/:vault_id`. */
  pattern: string;
  api: Api;
  handler: Handler;
}

interface CompiledRoute extends Route {
  segments: string[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Builds a matcher over a route table. Literal segments win over parameters (`vaults/summary` before `vaults/:id`). */
export function createRouter(routes: readonly Route[]) {
  const compiled: CompiledRoute[] = routes
    .map((route) => ({ ...route, segments: split(route.pattern) }))
    // literal segments first so that e.g. `/backuppolicy/tags` is not taken for `/backuppolicy/:id`
    .sort((a, b) => specificity(b.segments) - specificity(a.segments));

  return {
    /** The matching route, or which methods the path allows (for 405), or nothing (404). */
    match(method: string, path: string): RouteMatch | { allowed: HttpMethod[] } | undefined {
      const parts = split(path);
      const allowed: HttpMethod[] = [];
      for (const route of compiled) {
        const params = matchSegments(route.segments, parts);
        if (!params) continue;
        if (route.method === method) return { route, params };
        allowed.push(route.method);
      }
      return allowed.length > 0 ? { allowed } : undefined;
    },
  };
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function specificity(segments: string[]): number {
  // Each literal segment counts more than any number of parameters after it.
  return segments.reduce((score, segment, i) => score + (segment.startsWith(':') ? 0 : 2 ** (16 - i)), 0);
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = parts[i]!;
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}
