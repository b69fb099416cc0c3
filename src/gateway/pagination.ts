/**
 * Relay cursor connections over the upstream's offset/limit paging. A cursor is the opaque encoding of one
 * item's absolute offset in the filtered list (`base64url("offset:<n>")`); `after: cursor` continues at n + 1.
 * Offsets are what the upstream pages by, so a page costs one upstream call whatever the cursor; the price is that
 * a list changing between two pages may shift items (the upstream offers nothing more stable).
 */
import { badUserInput } from './errors';

const PREFIX = 'offset:';
/** The upstream's largest page (`limit` of the vault list is 1–1000). */
export const MAX_PAGE_SIZE = 1000;

export function encodeCursor(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`, 'utf8').toString('base64url');
}

/** The offset encoded in `cursor`; BAD_USER_INPUT on anything this gateway did not hand out. */
export function decodeCursor(cursor: string, field = 'after'): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^offset:(0|[1-9]\d{0,8})$/.exec(text);
  if (!match || encodeCursor(Number(match[1])) !== cursor) {
    throw badUserInput(`${field} is not a cursor of this API; pass an endCursor or an edge cursor you received`, field);
  }
  return Number(match[1]);
}

/** Where a page starts and how long it is. */
export interface PageWindow {
  offset: number;
  limit: number;
}

/** `first`/`after` arguments → the upstream's `offset`/`limit`, validated (BAD_USER_INPUT naming the argument). */
export function pageWindow(args: { first?: number | null; after?: string | null }, maxPageSize = MAX_PAGE_SIZE): PageWindow {
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
    throw badUserInput(`first must be between 1 and ${maxPageSize}, got ${first}`, 'first');
  }
  const offset = args.after === undefined || args.after === null ? 0 : decodeCursor(args.after) + 1;
  return { offset, limit: first };
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** A connection from one page of items that starts at `offset` of a list of `totalCount` items. */
export function toConnection<T>(items: readonly T[], offset: number, totalCount: number): Connection<T> {
  let edges: Connection<T>['edges'] | undefined;
  return {
    // Built only when the query asks for edges: a page read through `nodes` needs no cursor per item.
    get edges() {
      return (edges ??= items.map((node, i) => ({ cursor: encodeCursor(offset + i), node })));
    },
    nodes: [...items],
    pageInfo: {
      hasNextPage: offset + items.length < totalCount,
      hasPreviousPage: offset > 0,
      startCursor: items.length > 0 ? encodeCursor(offset) : null,
      endCursor: items.length > 0 ? encodeCursor(offset + items.length - 1) : null,
    },
    totalCount,
  };
}

/** A connection over a list the upstream returns whole (policies, VBS policies): the gateway cuts the page. */
export function sliceConnection<T>(all: readonly T[], window: PageWindow): Connection<T> {
  return toConnection(all.slice(window.offset, window.offset + window.limit), window.offset, all.length);
}
