/**
 * Fault and latency knobs: added latency, injected error answers (5xx, 429) and dropped connections, per route.
 * Decisions come from a seeded PRNG so a test that sets the same seed sees the same sequence of faults.
 * The server asks `decide()` after routing and before authentication and the handler; admin routes are never faulted
 * (otherwise a fault on `*` would lock the knobs themselves).
 */
import { z } from 'zod';
import { ApiError, vbsError } from './errors';
import type { Api } from './router';

const latencySchema = z.strictObject({
  /** Added delay in ms; with `maxMs`, a uniform random delay in [minMs, maxMs]. */
  minMs: z.number().int().min(0).max(600_000),
  maxMs: z.number().int().min(0).max(600_000).optional(),
});

const ruleSchema = z.strictObject({
  /**
   * Which requests the rule applies to: a glob (`*` = any characters) over `METHOD /route/pattern` or
   * `METHOD /actual/path`, e.g. `GET /v3/:project_id/vaults`, `/v3/:project_id/vaults*` (vaults and below), `POST *`.
   * Without a method part it matches any method. Default `*` (every non-admin request).
   */
  route: z.string().min(1).default('*'),
  latency: latencySchema.optional(),
  /**
   * Delay after the handler ran and before the answer is sent: the service committed the write, and a client whose
   * deadline is shorter gives up without an answer, though the write is there when it looks again. (`latency` delays
   * before the handler instead; the handler still runs if the client left meanwhile, so the write lands after the
   * client gave up.)
   */
  latencyAfterCommit: latencySchema.optional(),
  /** Probability (0–1) of answering an error instead of calling the handler. */
  errorRate: z.number().min(0).max(1).optional(),
  /** Status of the injected error. Default 503. */
  status: z.number().int().min(400).max(599).optional(),
  /** Override the error code / message of the injected error body. */
  code: z.string().min(1).optional(),
  message: z.string().min(1).optional(),
  /** Adds `Retry-After: <seconds>` to the injected error (e.g. with 429). */
  retryAfterSeconds: z.number().int().min(0).optional(),
  /** Probability (0–1) of destroying the socket without answering. Checked before `errorRate`. */
  dropRate: z.number().min(0).max(1).optional(),
  /**
   * The rule applies to its first `times` matching requests only (e.g. "fail once, then succeed"). Rules are consulted
   * in order and the first one that fails a request ends the search, so a later rule's `times` is not used up by it.
   */
  times: z.number().int().min(1).optional(),
  /** "Commit, then reset": the handler runs and the connection is destroyed instead of answering. */
  dropAfterHandler: z.boolean().optional(),
});

export const faultSettingsSchema = z.strictObject({
  /** PRNG seed; the same seed and the same request sequence give the same faults. Default 1. */
  seed: z.number().int().optional(),
  /** Latency added to every non-admin request. */
  latency: latencySchema.optional(),
  rules: z.array(ruleSchema).max(100).optional(),
});

export type FaultSettings = z.input<typeof faultSettingsSchema>;
export type FaultRule = z.input<typeof ruleSchema>;
type ParsedRule = z.output<typeof ruleSchema>;

/** What the server must do with one request. */
export interface FaultDecision {
  delayMs: number;
  /** Delay between the handler's result and sending it (`latencyAfterCommit`). */
  afterCommitMs: number;
  /** Destroy the socket instead of answering (after the delay). */
  drop: boolean;
  /** Answer this error instead of calling the handler (after the delay). */
  error: ApiError | undefined;
  headers: Record<string, string>;
  /** Destroy the socket after the handler ran instead of answering (`dropAfterHandler`). */
  dropAfterHandler: boolean;
}

interface CompiledRule {
  rule: ParsedRule;
  matcher: RegExp;
  hits: number;
}

/**
 * Realistic bodies per status: 429 and 502/503/504 come from the API gateway (codes from its error table), a 500 from
 * the service itself (CBR's "Unknown error." or the VBS v2 shape).
 */
function injectedError(rule: ParsedRule, api: Api): ApiError {
  const status = rule.status ?? 503;
  const custom = (code: string, message: string, shape: 'v3' | 'apig') => new ApiError(status, rule.code ?? code, rule.message ?? message, shape);
  switch (status) {
    case 429:
      return custom('APIGW.0308', 'The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute', 'apig');
    case 502:
    case 503:
      return custom('APIGW.0202', 'Backend unavailable.', 'apig');
    case 504:
      return custom('APIGW.0203', 'Backend timeout.', 'apig');
    default:
      if (api === 'vbs') return vbsError(status, rule.code ?? 'VBS.0500', rule.message ?? 'Internal server error');
      return custom('BackupService.9910', 'Unknown error.', 'v3');
  }
}

/** mulberry32: tiny, fast, good enough to spread faults; deterministic for a seed. */
function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function globToRegExp(glob: string): RegExp {
  const withMethod = /^[A-Za-z*]+ /.test(glob) || glob === '*' ? glob : `* ${glob}`;
  const [method, ...rest] = withMethod.split(' ');
  const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escape(method!.toUpperCase())}${rest.length ? ` ${escape(rest.join(' '))}` : ''}$`);
}

export class FaultSettingsError extends Error {
  override name = 'FaultSettingsError';
}

export function createFaults() {
  let settings: z.output<typeof faultSettingsSchema> = {};
  let rules: CompiledRule[] = [];
  let random = createRandom(1);
  let active = false;

  function pickDelay(latency: z.output<typeof latencySchema> | undefined): number {
    if (!latency) return 0;
    const max = latency.maxMs ?? latency.minMs;
    if (max <= latency.minMs) return latency.minMs;
    return latency.minMs + Math.floor(random() * (max - latency.minMs + 1));
  }

  return {
    /** Replaces all fault settings and reseeds the PRNG. Throws `FaultSettingsError` naming the invalid field. */
    set(input: FaultSettings): void {
      const parsed = faultSettingsSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new FaultSettingsError(`invalid fault settings: ${issue.path.join('.') || 'body'}: ${issue.message}`);
      }
      settings = parsed.data;
      rules = (settings.rules ?? []).map((rule) => ({ rule, matcher: globToRegExp(rule.route), hits: 0 }));
      random = createRandom(settings.seed ?? 1);
      active = settings.latency !== undefined || rules.length > 0;
    },

    /** The current settings, each rule with `hits` (how many requests it applied to so far). */
    get(): FaultSettings & { rules: Array<FaultRule & { hits: number }> } {
      return { ...settings, rules: rules.map(({ rule, hits }) => ({ ...rule, hits })) };
    },

    /** Removes every fault. */
    clear(): void {
      settings = {};
      rules = [];
      random = createRandom(1);
      active = false;
    },

    /**
     * The faults for one request. `routeKey` is `METHOD /pattern` of the matched route (or `METHOD /path` when no
     * route matched), `path` the actual path. Returns `undefined` when nothing applies (the fast path).
     */
    decide(method: string, routeKey: string, path: string, api: Api | undefined): FaultDecision | undefined {
      if (!active || api === 'admin') return undefined;
      const decision: FaultDecision = {
        delayMs: pickDelay(settings.latency),
        afterCommitMs: 0,
        drop: false,
        error: undefined,
        headers: {},
        dropAfterHandler: false,
      };
      const actual = `${method} ${path}`;
      for (const compiled of rules) {
        const { rule } = compiled;
        if (rule.times !== undefined && compiled.hits >= rule.times) continue;
        if (!compiled.matcher.test(routeKey) && !compiled.matcher.test(actual)) continue;
        compiled.hits++;
        decision.delayMs += pickDelay(rule.latency);
        if (rule.dropAfterHandler) decision.dropAfterHandler = true;
        decision.afterCommitMs += pickDelay(rule.latencyAfterCommit);
        if (rule.dropRate !== undefined && random() < rule.dropRate) {
          decision.drop = true;
        } else if (rule.errorRate !== undefined && random() < rule.errorRate) {
          decision.error = injectedError(rule, api ?? 'cbr');
          if (rule.retryAfterSeconds !== undefined) decision.headers['retry-after'] = String(rule.retryAfterSeconds);
        }
        // The first rule that fails the request decides; later rules are not consulted (nor is their `times` used up).
        if (decision.drop || decision.error) break;
      }
      const idle = decision.delayMs === 0 && decision.afterCommitMs === 0 && !decision.drop && !decision.error && !decision.dropAfterHandler;
      return idle ? undefined : decision;
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;
