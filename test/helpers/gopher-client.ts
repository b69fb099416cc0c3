/**
 * Test helper: requests as gophertelekomcloud (and Terraform for OTC) sends them with AK/SK, signed with its
 * `Credential=` variant of SDK-HMAC-SHA256. Written from that client's documented rules (shared reference
 * cbr-api-notes §4.2, from gophertelekomcloud's signer_helper.go and provider_client.go), deliberately NOT with
 * src/upstream/signing.ts: a misreading shared by our signer and the emulator's verifier would pass unnoticed.
 *
 * What the client does: adds `Host` and `X-Sdk-Date`, signs every header present at that moment (accept,
 * content-type, host, user-agent, x-sdk-date), then adds `X-Project-Id` unsigned; the canonical query keeps the
 * first value of each key, sorted case-insensitively; a POST without a body signs an empty query and hashes the
 * encoded query string instead of a body; header values have whitespace runs collapsed.
 */
import { createHash, createHmac } from 'node:crypto';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** Go's `url.PathEscape`-like escaping of the signer: everything but `A-Z a-z 0-9 - _ . ~` as upper-case `%XX`. */
function escape(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** `YYYYMMDDTHHMMSSZ` */
function sdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export interface GopherSignInput {
  method: string;
  url: URL;
  /** Headers set before signing (all are signed); names in any case. */
  headers: Record<string, string>;
  body?: string;
  accessKey: string;
  secretKey: string;
  date?: Date;
}

/** The `Authorization` and `X-Sdk-Date` headers gophertelekomcloud adds (plus `Host`, which it signs). */
export function gopherSign(input: GopherSignInput): Record<string, string> {
  const date = input.headers['X-Sdk-Date'] ?? sdkDate(input.date ?? new Date());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
  headers.host = input.url.host;
  headers['x-sdk-date'] = date;
  const signed = Object.keys(headers).sort();
  const noBody = input.method === 'POST' && input.body === undefined;
  const pairs: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [key, value] of input.url.searchParams) {
    if (seen.has(key)) continue; // url.Values.Get: the first value only
    seen.add(key);
    pairs.push([escape(key), escape(value)]);
  }
  pairs.sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  let path = decodeURIComponent(input.url.pathname);
  if (!path.endsWith('/')) path += '/';
  const canonicalUri = escape(path).replace(/%2F/g, '/');
  // Go's url.Values.Encode(): sorted keys, every value, QueryEscape (space as '+').
  const encodedQuery = [...input.url.searchParams]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${escape(k).replace(/%20/g, '+')}=${escape(v).replace(/%20/g, '+')}`)
    .join('&');
  const canonical = [
    input.method,
    canonicalUri,
    noBody ? '' : pairs.map(([k, v]) => `${k}=${v}`).join('&'),
    signed.map((name) => `${name}:${headers[name]!.replace(/\s+/g, ' ')}\n`).join(''),
    signed.join(';'),
    sha256(noBody ? encodedQuery : (input.body ?? '')),
  ].join('\n');
  const scope = `${date.slice(0, 8)}///sdk_request`;
  const stringToSign = `SDK-HMAC-SHA256\n${date}\n${scope}\n${sha256(canonical)}`;
  let key = hmac(`SDK${input.secretKey}`, date.slice(0, 8));
  key = hmac(key, ''); // region: gophertelekomcloud leaves it empty
  key = hmac(key, ''); // service: likewise
  key = hmac(key, 'sdk_request');
  const signature = hmac(key, stringToSign).toString('hex');
  return {
    Host: input.url.host,
    'X-Sdk-Date': date,
    Authorization: `SDK-HMAC-SHA256 Credential=${input.accessKey}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`,
  };
}

export interface GopherResponse {
  status: number;
  body: any;
}

/**
 * A client that sends requests as gophertelekomcloud does: JSON body marshalled without a trailing newline, list
 * query parameters as repeated keys, the project id in the path and in an unsigned `X-Project-Id`.
 */
export function gopherClient(baseUrl: string, credentials: { accessKey: string; secretKey: string; projectId: string }) {
  return {
    async request(method: string, path: string, options: { query?: Record<string, string | number | string[]>; body?: unknown } = {}): Promise<GopherResponse> {
      const url = new URL(baseUrl + path.replace('{project_id}', credentials.projectId));
      for (const [key, value] of Object.entries(options.query ?? {})) {
        for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
      }
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'golangsdk' };
      const signedHeaders = gopherSign({ method, url, headers, body, ...credentials });
      // Host is what fetch sends anyway; it may not be set by hand.
      const { Host: _host, ...sent } = signedHeaders;
      const res = await fetch(url, { method, headers: { ...headers, ...sent, 'X-Project-Id': credentials.projectId }, body });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}
