/** The REST client's error classes: what can go wrong between us and CBR/VBS/IAM, as data with codes. */

/**
 * The upstream answered with a non-2xx status. `code` and `message` come from whichever documented error
 * body shape it used (CBR v3, VBS v2, API gateway, IAM, `{"unauthorized":{…}}`); a body in none of them
 * (HTML from a proxy, empty) gives `code: 'HTTP_<status>'` and a message describing what arrived, never the body itself.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** `X-Request-Id` of the response (or `request_id` of an API gateway body): what support asks for. */
    readonly requestId: string | undefined,
    readonly method: string,
    /** Path of the request, without query string. */
    readonly path: string,
    /** The answer's `Retry-After` in ms (429, 503), when it had a readable one: what the caller is told to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * A 2xx body that is not valid JSON or fails the wire schema. Keeps a summary of the zod issues
 * (paths and expectations) but never the raw body: it may carry another tenant's data or secrets into logs.
 */
export class UpstreamContractError extends Error {
  override readonly name = 'UpstreamContractError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /** e.g. `vault.billing.size: Invalid input: expected number, received string` (one line per issue, at most 5). */
    readonly issues: string,
    readonly requestId: string | undefined,
  ) {
    super(`${method} ${path} answered ${status} with a body that breaks the contract: ${issues}`);
  }
}

/** No answer in time: the per-attempt timeout or the caller's overall deadline ran out. */
export class UpstreamTimeoutError extends Error {
  override readonly name = 'UpstreamTimeoutError';
  constructor(
    readonly method: string,
    readonly path: string,
    /** The budget that ran out, in ms. */
    readonly timeoutMs: number,
    /** How many attempts were made. */
    readonly attempts: number,
  ) {
    super(`${method} ${path} got no answer within ${timeoutMs} ms (attempt ${attempts})`);
  }
}

/** The connection failed: refused, reset, dropped mid-response, or the circuit breaker is open. */
export class UpstreamUnavailableError extends Error {
  override readonly name = 'UpstreamUnavailableError';
  constructor(
    readonly method: string,
    readonly path: string,
    /** The socket error code (`ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, …) or `CIRCUIT_OPEN`. */
    readonly reason: string,
    readonly attempts: number,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(`${method} ${path} failed: upstream unavailable (${reason}) after ${attempts} attempt(s)`, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  /** With `CIRCUIT_OPEN`: seconds until the breaker lets a probe through. */
  readonly retryAfterSeconds: number | undefined;
}

/**
 * The request was refused before anything was sent because building it safely was impossible:
 * an id that would escape its path segment (SSRF), or a caller token that cannot be a header; or because the
 * caller's request has used up its calls (`CallBudget`).
 */
export class UpstreamRequestError extends Error {
  override readonly name = 'UpstreamRequestError';
  constructor(
    readonly reason: 'invalid-path-segment' | 'invalid-query' | 'invalid-token' | 'missing-project-id' | 'call-limit',
    message: string,
  ) {
    super(message);
  }
}

/** The documented error shapes, read without trusting them: each field is taken only if it is a string or number. */
export function parseErrorBody(
  text: string,
): { code: string; message: string; requestId?: string } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(body)) return undefined;
  // CBR v3 and API gateway: {"error_code","error_msg"[, "request_id"]}
  const code = str(body.error_code);
  if (code !== undefined) {
    return { code, message: str(body.error_msg) ?? '', requestId: str(body.request_id) };
  }
  // VBS v2 {"error":{code,message}}, IAM {"error":{code,message,title}}, and the odd {"unauthorized":{code,message}}:
  // like the Huawei SDK parser, accept {code,message} one level down under any key, `error` first.
  const nested = [body.error, ...Object.values(body)];
  for (const candidate of nested) {
    if (!isRecord(candidate)) continue;
    const nestedCode = str(candidate.code);
    if (nestedCode !== undefined) {
      return { code: nestedCode, message: str(candidate.message) ?? str(candidate.title) ?? '' };
    }
  }
  // {"code","message"} at the top level (the SDK parser accepts it too).
  const topCode = str(body.code);
  if (topCode !== undefined) return { code: topCode, message: str(body.message) ?? '' };
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
