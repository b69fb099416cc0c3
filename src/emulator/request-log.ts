/** The emulator's request log: every request it answered, and counts per route, for tests and benchmarks. */

export interface LoggedRequest {
  method: string;
  /** Path with query string, as sent. */
  url: string;
  /** Matched route pattern, e.g. `GET /v3/:project_id/vaults`; `undefined` when nothing matched. */
  route: string | undefined;
  status: number;
}

export function createRequestLog() {
  let entries: LoggedRequest[] = [];
  return {
    record(entry: LoggedRequest): void {
      entries.push(entry);
    },
    /** Requests in arrival order. */
    entries: (): readonly LoggedRequest[] => entries,
    /** `METHOD url` lines of the CBR/VBS API calls (identity and admin calls left out), for exact call-log assertions. */
    calls: (): string[] =>
      entries.filter((e) => /^\/v[23]\/(?!auth\/)/.test(e.url)).map((e) => `${e.method} ${e.url}`),
    /** Number of requests per route pattern. */
    countsByRoute(): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const e of entries) {
        const key = e.route ?? `${e.method} (unmatched)`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    },
    clear(): void {
      entries = [];
    },
  };
}

export type RequestLog = ReturnType<typeof createRequestLog>;
