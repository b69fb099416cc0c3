/** Safe URL building for upstream requests: encoded path segments and typed query strings (SSRF / path injection guard). */
import { UpstreamRequestError } from './errors';

const MAX_SEGMENT_LENGTH = 255;
// Characters that never occur in a CBR/VBS/IAM id. Encoding would make them harmless, but an id carrying
// them is an attack or a bug, and refusing it keeps the request log free of surprises.
const FORBIDDEN_IN_SEGMENT = /[/\\?#%\u0000-\u001f\u007f]/;

/**
 * Tagged template for request paths: every interpolated value is validated as one path segment and
 * `encodeURIComponent`-ed, the literal parts are taken as written.
 * `path\`/v3/${projectId}/vaults/${vaultId}\`` → `/v3/p1/vaults/v1`; `vaultId = '../x'` throws `UpstreamRequestError`.
 */
export function path(literals: TemplateStringsArray, ...segments: readonly (string | number)[]): string {
  let out = literals[0] ?? '';
  segments.forEach((segment, i) => {
    out += encodeSegment(segment) + (literals[i + 1] ?? '');
  });
  return out;
}

/** One path segment, checked and encoded. Exported for callers that build paths in a loop. */
export function encodeSegment(segment: string | number): string {
  const value = typeof segment === 'number' ? String(segment) : segment;
  if (typeof value !== 'string' || value.length === 0) {
    throw new UpstreamRequestError('invalid-path-segment', 'A path segment (id) must be a non-empty string');
  }
  if (value.length > MAX_SEGMENT_LENGTH) {
    throw new UpstreamRequestError('invalid-path-segment', `A path segment (id) must be at most ${MAX_SEGMENT_LENGTH} characters, got ${value.length}`);
  }
  if (value === '.' || value === '..' || FORBIDDEN_IN_SEGMENT.test(value)) {
    // The value itself is not echoed: it is caller input and may be crafted for log injection.
    throw new UpstreamRequestError('invalid-path-segment', 'A path segment (id) must not be "." or ".." nor contain / \\ ? # % or control characters');
  }
  return encodeURIComponent(value);
}

/**
 * Checks a finished path before it is joined to the base URL: absolute, one origin (no `//`),
 * no dot segments, no query or fragment (those come from `query`). Catches paths built without `path`.
 */
export function assertSafePath(value: string): void {
  const ok =
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !/[?#\\]/.test(value) &&
    !value.split('/').some(isDotSegment);
  if (!ok) throw new UpstreamRequestError('invalid-path-segment', 'The request path must be absolute, without dot segments, query or fragment');
}

function isDotSegment(segment: string): boolean {
  // `%2e%2e` is a dot segment too once a server or proxy decodes it.
  const decoded = segment.replace(/%2e/gi, '.');
  return decoded === '.' || decoded === '..';
}

export type QueryValue = string | number | boolean;
/** Query parameters as a typed object; `undefined`/`null` are left out, arrays become repeated keys. */
export type Query = Readonly<Record<string, QueryValue | readonly QueryValue[] | null | undefined>>;

/**
 * `{ status: ['a', 'b'], limit: 20, name: undefined }` → `?status=a&status=b&limit=20`; `''` when empty.
 * Encodes with `encodeURIComponent` (space → `%20`, not `+`) so the string is also the AK/SK canonical form's input.
 */
export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const pairs: string[] = [];
  for (const [key, raw] of Object.entries(query)) {
    if (raw === undefined || raw === null) continue;
    const values: readonly QueryValue[] = Array.isArray(raw) ? raw : [raw as QueryValue];
    for (const value of values) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new UpstreamRequestError('invalid-query', `Query parameter ${key} must be a finite number`);
      }
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new UpstreamRequestError('invalid-query', `Query parameter ${key} must be a string, number or boolean`);
      }
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
    }
  }
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}
