/**
 * The emulator's request log: the requests it answered (admin calls left out) and counts per route, for tests,
 * benchmarks and `GET /__admin/requests`. Bounded, so a long-running CLI emulator does not grow without end.
 */

export interface LoggedRequest {
  method: string;
  /** Path with query string, as sent. */
  url: string;
  /** Matched route pattern, e.g. `GET /v3/:project_id/vaults`; `undefined` when nothing matched. */
  route: string | undefined;
  /** Status answered; 0 when a fault dropped the connection, 499 when the client left before its body arrived. */
  status: number;
  /** Set only when a fault knob answered instead of the handler. */
  fault?: 'error' | 'drop';
  /**
   * Set when the client went away before the answer: `status` is then 499 if no handler ran (the body never arrived
   * whole), or the handler's status (the work was done; only the answer was lost).
   */
  clientClosed?: true;
}

/** Entries kept by default; counts keep growing past it. */
export const DEFAULT_LOG_LIMIT = 10_000;

export function createRequestLog(options: { limit?: number } = {}) {
  const limit = options.limit ?? DEFAULT_LOG_LIMIT;
  let entries: LoggedRequest[] = [];
  let counts = new Map<string, number>();
  let total = 0;
  return {
    record(entry: LoggedRequest): void {
      entries.push(entry);
      // Trim in batches so recording stays O(1) amortised.
      if (entries.length > limit + Math.ceil(limit / 10)) entries = entries.slice(-limit);
      const key = entry.route ?? `${entry.method} (unmatched)`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      total++;
    },
    /** Requests in arrival order (the most recent `limit` of them). */
    entries: (): readonly LoggedRequest[] => (entries.length > limit ? entries.slice(-limit) : entries),
    /** `METHOD url` lines of the CBR/VBS API calls (identity and admin calls left out), for exact call-log assertions. */
    calls: (): string[] =>
      entries
        .slice(-limit)
        .filter((e) => /^\/v[23]\/(?!auth\/|projects(?:[/?]|$))/.test(e.url))
        .map((e) => `${e.method} ${e.url}`),
    /** Number of requests per route pattern (`METHOD (unmatched)` for paths no route matched), since the last clear. */
    countsByRoute(): Record<string, number> {
      return Object.fromEntries(counts);
    },
    /** Number of requests recorded since the last clear. */
    total: (): number => total,
    clear(): void {
      entries = [];
      counts = new Map();
      total = 0;
    },
  };
}

export type RequestLog = ReturnType<typeof createRequestLog>;
