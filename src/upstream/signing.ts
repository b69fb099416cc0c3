/**
 * AK/SK request signing (`SDK-HMAC-SHA256`) in its two wire variants, as pure functions: the gateway's REST client
 * signs with them and the emulator verifies with the same code, so both ends agree byte for byte.
 *
 * - Variant A (`Access=`): Huawei Cloud v3 SDKs and the API gateway's own signing guide. HMAC keyed with the SK itself.
 * - Variant B (`Credential=`): gophertelekomcloud / older OTC docs. HMAC keyed with a key derived from the SK and a scope.
 *
 * Variant C (`V11-HMAC-SHA256`, derived key, opt-in in the Huawei SDKs) is not implemented: no client we serve uses it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
/** SHA-256 of the empty body, the payload hash of every GET. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Header values as node:http delivers them (lower-case names) or as a caller builds them (any case). */
export type HeaderBag = Record<string, string | string[] | number | undefined>;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * Percent-encodes everything except the RFC 3986 unreserved set `A–Z a–z 0–9 - _ . ~` (upper-case hex), the rule of
 * the Go SDK, the Node SDK's query encoder and gophertelekomcloud. `encodeURIComponent` alone would leave `!'()*`.
 */
export function percentEncode(value: string, keepSlash = false): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    // A lone surrogate cannot be UTF-8 encoded; sign what Buffer makes of it rather than throw inside a request.
    encoded = [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  encoded = encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `YYYYMMDD'T'HHMMSS'Z'` (UTC), the `X-Sdk-Date` format. */
export function formatSdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Epoch ms of an `X-Sdk-Date` value, or `undefined` when it is not in the `20060102T150405Z` format. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}

function headerValue(headers: HeaderBag, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lower || value === undefined) continue;
    return Array.isArray(value) ? value.join(',') : String(value);
  }
  return undefined;
}

function queryPairs(query: URLSearchParams | string): Array<[string, string]> {
  const params = typeof query === 'string' ? new URLSearchParams(query) : query;
  return [...params.entries()];
}

// ---------------------------------------------------------------------------------------------------------------
// Variant A: `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>`

/**
 * The canonical URI of variant A: each path segment decoded, then percent-encoded, and a trailing `/` appended
 * ("the URI must end with / for signing; the request itself need not").
 */
export function canonicalUriA(path: string): string {
  const uri = path
    .split('/')
    .map((segment) => percentEncode(safeDecode(segment)))
    .join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** The canonical query of variant A: keys sorted, repeated keys one pair per value with the values sorted. */
export function canonicalQueryA(query: URLSearchParams | string): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of queryPairs(query)) {
    const values = byKey.get(key);
    if (values) values.push(value);
    else byKey.set(key, [value]);
  }
  return [...byKey.keys()]
    .sort()
    .flatMap((key) => byKey.get(key)!.sort().map((value) => `${percentEncode(key)}=${percentEncode(value)}`))
    .join('&');
}

/** `name:value\n` for each signed header, in the given order; the block therefore ends with a newline. */
export function canonicalHeaders(headers: HeaderBag, signedHeaders: readonly string[], normalise: (value: string) => string): string {
  return signedHeaders.map((name) => `${name}:${normalise(headerValue(headers, name) ?? '')}\n`).join('');
}

export interface CanonicalRequestInput {
  method: string;
  /** Request path as sent (may be percent-encoded), without the query string. */
  path: string;
  query: URLSearchParams | string;
  headers: HeaderBag;
  /** Lower-case header names in the order the client declared them. */
  signedHeaders: readonly string[];
  /** Lower-case hex SHA-256 of the body (or the value of `X-Sdk-Content-Sha256`). */
  payloadHash: string;
}

export function canonicalRequestA(input: CanonicalRequestInput): string {
  return [
    input.method.toUpperCase(),
    canonicalUriA(input.path),
    canonicalQueryA(input.query),
    canonicalHeaders(input.headers, input.signedHeaders, (v) => v.trim()),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function stringToSignA(sdkDate: string, canonicalRequest: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
}

export function signatureA(secretKey: string, stringToSign: string): string {
  return hmac(secretKey, stringToSign).toString('hex');
}

// ---------------------------------------------------------------------------------------------------------------
// Variant B: `SDK-HMAC-SHA256 Credential=<AK>/<yyyymmdd>/<region>/<service>/sdk_request, SignedHeaders=…, Signature=…`

/** Path decoded, leading and trailing `/` ensured, then percent-encoded keeping `/` (gophertelekomcloud). */
export function canonicalUriB(path: string): string {
  let uri = safeDecode(path);
  if (!uri.startsWith('/')) uri = `/${uri}`;
  if (!uri.endsWith('/')) uri = `${uri}/`;
  return percentEncode(uri, true);
}

/** Keys encoded and sorted case-insensitively; only the first value of a repeated key counts (Go `url.Values.Get`). */
export function canonicalQueryB(query: URLSearchParams | string): string {
  const first = new Map<string, string>();
  for (const [key, value] of queryPairs(query)) if (!first.has(key)) first.set(key, value);
  return [...first.entries()]
    .map(([key, value]) => [percentEncode(key), percentEncode(value)] as const)
    .sort(([a], [b]) => compareStrings(a.toLowerCase(), b.toLowerCase()))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Go's `url.Values.Encode()`: keys sorted, `QueryEscape` (space as `+`). gophertelekomcloud hashes this instead of the
 * body for a POST without a body, and then signs an empty canonical query.
 */
export function goQueryEncode(query: URLSearchParams | string): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of queryPairs(query)) {
    const values = byKey.get(key);
    if (values) values.push(value);
    else byKey.set(key, [value]);
  }
  const escape = (s: string) => percentEncode(s).replace(/%20/g, '+');
  return [...byKey.keys()]
    .sort()
    .flatMap((key) => byKey.get(key)!.map((value) => `${escape(key)}=${escape(value)}`))
    .join('&');
}

export function canonicalRequestB(input: CanonicalRequestInput): string {
  return [
    input.method.toUpperCase(),
    canonicalUriB(input.path),
    canonicalQueryB(input.query),
    canonicalHeaders(input.headers, input.signedHeaders, (v) => v.replace(/\s+/g, ' ')),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

/** `yyyymmdd/<region>/<service>/sdk_request`; gophertelekomcloud leaves region and service empty. */
export function scopeB(sdkDate: string, region = '', service = ''): string {
  return `${sdkDate.slice(0, 8)}/${region}/${service}/sdk_request`;
}

/** kDate = HMAC("SDK"+SK, yyyymmdd) → kRegion → kService → HMAC(kService, "sdk_request"). */
export function signingKeyB(secretKey: string, date8: string, region = '', service = ''): Buffer {
  const kDate = hmac(`SDK${secretKey}`, date8);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'sdk_request');
}

export function stringToSignB(sdkDate: string, scope: string, canonicalRequest: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Client side

export interface SignRequestInput {
  method: string;
  /** Absolute URL of the request; its host is signed as `host` unless `headers` carries one. */
  url: string | URL;
  /** Headers that will be sent. Every one is signed unless `signedHeaders` says otherwise. */
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  accessKey: string;
  secretKey: string;
  /** Signing time. Default: now. An `X-Sdk-Date` already in `headers` wins (as in both Huawei SDKs). */
  date?: Date;
  /**
   * Names of the headers to sign (case-insensitive). Default: every header in `headers` plus `host` and `x-sdk-date`,
   * like the Node SDK. `x-sdk-date` is always added: the gateway rejects a signature that does not cover it.
   */
  signedHeaders?: readonly string[];
}

export interface SignedHeaders {
  authorization: string;
  'x-sdk-date': string;
}

interface PreparedSigning {
  sdkDate: string;
  url: URL;
  headers: Record<string, string>;
  signed: string[];
  payloadHash: string;
}

function prepare(input: SignRequestInput, payloadHash: (url: URL) => string): PreparedSigning {
  const url = typeof input.url === 'string' ? new URL(input.url) : input.url;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  const sdkDate = headers['x-sdk-date'] ?? formatSdkDate(input.date ?? new Date());
  headers['x-sdk-date'] = sdkDate;
  headers.host ??= url.host;
  const names = input.signedHeaders ? input.signedHeaders.map((h) => h.toLowerCase()) : Object.keys(headers);
  const signed = [...new Set([...names, 'x-sdk-date'])].sort();
  return { sdkDate, url, headers, signed, payloadHash: headers['x-sdk-content-sha256'] ?? payloadHash(url) };
}

/**
 * Signs a request with variant A (Huawei v3 SDK / API gateway): returns the two headers to add.
 * The caller must send every signed header with exactly the value it signed (including `host`).
 */
export function signRequest(input: SignRequestInput): SignedHeaders {
  const p = prepare(input, () => sha256Hex(input.body ?? ''));
  const canonical = canonicalRequestA({
    method: input.method,
    path: p.url.pathname,
    query: p.url.searchParams,
    headers: p.headers,
    signedHeaders: p.signed,
    payloadHash: p.payloadHash,
  });
  const signature = signatureA(input.secretKey, stringToSignA(p.sdkDate, canonical));
  return {
    authorization: `${SIGNING_ALGORITHM} Access=${input.accessKey}, SignedHeaders=${p.signed.join(';')}, Signature=${signature}`,
    'x-sdk-date': p.sdkDate,
  };
}

/**
 * Signs a request with variant B (gophertelekomcloud). `region`/`service` default to empty, as gophertelekomcloud
 * sends them. A POST without a body hashes the encoded query string instead, as that client does.
 */
export function signRequestB(input: SignRequestInput & { region?: string; service?: string }): SignedHeaders {
  const noBody = input.method.toUpperCase() === 'POST' && input.body === undefined;
  const p = prepare(input, (url) => sha256Hex(noBody ? goQueryEncode(url.searchParams) : (input.body ?? '')));
  const canonical = canonicalRequestB({
    method: input.method,
    path: p.url.pathname,
    query: noBody ? '' : p.url.searchParams,
    headers: p.headers,
    signedHeaders: p.signed,
    payloadHash: p.payloadHash,
  });
  const scope = scopeB(p.sdkDate, input.region, input.service);
  const key = signingKeyB(input.secretKey, p.sdkDate.slice(0, 8), input.region, input.service);
  const signature = hmac(key, stringToSignB(p.sdkDate, scope, canonical)).toString('hex');
  return {
    authorization: `${SIGNING_ALGORITHM} Credential=${input.accessKey}/${scope}, SignedHeaders=${p.signed.join(';')}, Signature=${signature}`,
    'x-sdk-date': p.sdkDate,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Server side

export interface ParsedAuthorization {
  variant: 'A' | 'B';
  accessKey: string;
  /** Variant B only: the credential scope (`yyyymmdd/region/service/sdk_request`). */
  scope?: { value: string; date: string; region: string; service: string };
  /** Lower-case header names as declared by the client. */
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION = /^SDK-HMAC-SHA256\s+(Access|Credential)=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/;

/** Parses an `Authorization: SDK-HMAC-SHA256 …` header; `undefined` when it is not one of the two variants. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const m = AUTHORIZATION.exec(header);
  if (!m) return undefined;
  const [, kind, credential, signedHeaders, signature] = m as unknown as [string, string, string, string, string];
  const headers = signedHeaders.toLowerCase().split(';').filter(Boolean);
  if (kind === 'Access') return { variant: 'A', accessKey: credential, signedHeaders: headers, signature: signature.toLowerCase() };
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'sdk_request') return undefined;
  const [accessKey, date, region, service] = parts as [string, string, string, string, string];
  return {
    variant: 'B',
    accessKey,
    scope: { value: parts.slice(1).join('/'), date, region, service },
    signedHeaders: headers,
    signature: signature.toLowerCase(),
  };
}

export interface VerifyInput {
  method: string;
  /** Raw request path (as received, percent-encoding intact), without the query string. */
  path: string;
  /** Raw query string without `?`, or parsed parameters. */
  query: URLSearchParams | string;
  headers: HeaderBag;
  /** Exact body bytes received. */
  body: string | Uint8Array;
  authorization: ParsedAuthorization;
  secretKey: string;
}

export interface VerifyResult {
  ok: boolean;
  /** What the server signed; echoed by the API gateway (newlines as `|`) when app signatures mismatch. */
  canonicalRequest: string;
  expected: string;
}

/**
 * Recomputes the signature from the request as received, over the headers the client declared in `SignedHeaders`
 * (the SDKs sign different header sets, so a fixed list would reject valid requests). Time checks are the caller's.
 */
export function verifySignature(input: VerifyInput): VerifyResult {
  const auth = input.authorization;
  const sdkDate = headerValue(input.headers, 'x-sdk-date') ?? '';
  const declaredHash = headerValue(input.headers, 'x-sdk-content-sha256');
  const bodyLength = typeof input.body === 'string' ? input.body.length : input.body.byteLength;
  const base = { method: input.method, path: input.path, headers: input.headers, signedHeaders: auth.signedHeaders };
  let canonicalRequest: string;
  let expected: string;
  if (auth.variant === 'A') {
    canonicalRequest = canonicalRequestA({ ...base, query: input.query, payloadHash: declaredHash ?? sha256Hex(input.body) });
    expected = signatureA(input.secretKey, stringToSignA(sdkDate, canonicalRequest));
  } else {
    const scope = auth.scope!;
    // gophertelekomcloud signs a bodiless POST over its query string; an empty body on the wire is that case.
    const noBody = input.method.toUpperCase() === 'POST' && bodyLength === 0;
    const payloadHash = declaredHash ?? sha256Hex(noBody ? goQueryEncode(input.query) : input.body);
    canonicalRequest = canonicalRequestB({ ...base, query: noBody ? '' : input.query, payloadHash });
    const key = signingKeyB(input.secretKey, scope.date, scope.region, scope.service);
    expected = hmac(key, stringToSignB(sdkDate, scope.value, canonicalRequest)).toString('hex');
  }
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(auth.signature, 'utf8');
  return { ok: a.length === b.length && timingSafeEqual(a, b), canonicalRequest, expected };
}
