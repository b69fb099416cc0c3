/** Request validation: parses a body or query with a wire zod schema and turns the first failure into the API's own error. */
import { z } from 'zod';
import { copyRecord } from './copy';
import { ApiError, invalidParameter } from './errors';

/**
 * Parses `input` with `schema`; on failure throws 400 BackupService.9900 whose message names the field,
 * e.g. `Parameter verification failed: vault.billing.size must be at least 10`.
 * `toError` lets an API with another error shape (VBS v2) build its own error from the same detail.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  toError: (detail: string) => ApiError = invalidParameter,
): z.infer<S> {
  const empty = isEmptyObject(input);
  const cached = empty ? emptyInputResults.get(schema) : undefined;
  if (cached) return copyRecord(cached.data) as z.infer<S>;
  // reportInput: zod 4 leaves `issue.input` unset otherwise, and describeIssue would call every wrong type "mandatory".
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) {
    if (empty) emptyInputResults.set(schema, { data: copyRecord(result.data) });
    return result.data;
  }
  throw toError(describeIssue(result.error.issues[0]));
}

/**
 * What each schema made of `{}`, the input of every list request without query parameters (most reads). The wire
 * schemas' results depend on their input only (no time or randomness in defaults or transforms), so one parse stands
 * for all; callers get a copy, as they would get a fresh result.
 */
const emptyInputResults = new WeakMap<z.ZodType, { data: unknown }>();

/** A plain `{}` (not an array, not a class instance). */
function isEmptyObject(input: unknown): boolean {
  return typeof input === 'object' && input !== null && Object.getPrototypeOf(input) === Object.prototype && Object.keys(input).length === 0;
}

/** One zod issue as `path: what was expected` (unknown keys as `invalid key x`, like the real service). */
export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid request';
  const path = issue.path.map(String).join('.');
  const at = path ? `${path} ` : '';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `invalid key ${[path, issue.keys[0]].filter(Boolean).join('.')}`;
    case 'invalid_type':
      return issue.input === undefined ? `${path || 'body'} is mandatory` : `${at}must be ${article(issue.expected)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `${at}must be at least ${issue.minimum} characters long`
        : issue.origin === 'array'
          ? `${at}must contain at least ${issue.minimum} items`
          : `${at}must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `${at}must be at most ${issue.maximum} characters long`
        : issue.origin === 'array'
          ? `${at}must contain at most ${issue.maximum} items`
          : `${at}must be at most ${issue.maximum}`;
    case 'invalid_value':
      // a missing enum field is "mandatory" like any other missing field, not "must be one of"
      if (issue.input === undefined) return `${path || 'body'} is mandatory`;
      return `${at}must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${at}${issue.message}`.trim();
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
