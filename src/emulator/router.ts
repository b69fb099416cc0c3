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
  /** The body's exact bytes (empty when none): AK/SK signatures are computed over them, on every API. */
  rawBody?: Uint8Array;
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

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/**
 * One segment position of the route table as a tree: a request walks it segment by segment instead of trying every
 * route (the table has dozens and every request is routed).
 */
interface TrieNode {
  literals: Map<string, TrieNode>;
  param: TrieNode | undefined;
  /** Routes whose pattern ends here, in table order, with the names of their parameters by position. */
  routes: Array<{ route: Route; names: string[] }>;
}

const trieNode = (): TrieNode => ({ literals: new Map(), param: undefined, routes: [] });

/**
 * Builds a matcher over a route table. Literal segments win over parameters (`vaults/summary` before `vaults/:id`),
 * position by position from the left: the search tries a node's literal child before its parameter child and
 * backtracks, so the first route found is the one with the most literal segments earliest in the path.
 */
export function createRouter(routes: readonly Route[]) {
  const root = trieNode();
  for (const route of routes) {
    let node = root;
    const names: string[] = [];
    for (const segment of split(route.pattern)) {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        node = node.param ??= trieNode();
      } else {
        let next = node.literals.get(segment);
        if (!next) node.literals.set(segment, (next = trieNode()));
        node = next;
      }
    }
    node.routes.push({ route, names });
  }

  return {
    /** The matching route, or which methods the path allows (for 405), or nothing (404). */
    match(method: string, path: string): RouteMatch | { allowed: HttpMethod[] } | undefined {
      const allowed: HttpMethod[] = [];
      const found = search(root, split(path), 0, [], method, allowed);
      if (found) return found;
      return allowed.length > 0 ? { allowed } : undefined;
    },
  };
}

/**
 * Depth-first search from `node` for `parts[depth..]`: the first route with `method` in literal-first order; the
 * methods of the other routes whose patterns match are collected in `allowed`. `values` holds the decoded parameter
 * values on the way down.
 */
function search(
  node: TrieNode,
  parts: readonly string[],
  depth: number,
  values: string[],
  method: string,
  allowed: HttpMethod[],
): RouteMatch | undefined {
  if (depth === parts.length) {
    for (const { route, names } of node.routes) {
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = values[i]!));
      return { route, params };
    }
    return undefined;
  }
  const part = parts[depth]!;
  const literal = node.literals.get(part);
  if (literal) {
    const found = search(literal, parts, depth + 1, values, method, allowed);
    if (found) return found;
  }
  if (!node.param) return undefined;
  let value: string;
  try {
    value = part.includes('%') ? decodeURIComponent(part) : part;
  } catch {
    return undefined; // a malformed escape matches no parameter
  }
  values.push(value);
  const found = search(node.param, parts, depth + 1, values, method, allowed);
  values.pop();
  return found;
}

/** The non-empty segments of a path (`//` and a trailing `/` add none). */
function split(path: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 47 /* '/' */) continue;
    if (i > start) parts.push(path.slice(start, i));
    start = i + 1;
  }
  return parts;
}
