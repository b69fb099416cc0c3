/** The DateTime scalar: every upstream timestamp format → ISO-8601 UTC (see `scalar DateTime` in schema/base.graphql). */
import { GraphQLScalarType, Kind } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { ErrorCode, Resolvers } from '../__generated__/resolvers-types';

/**
 * `2020-02-05T10:38:34.209782` (no zone = UTC), `2019-05-10T07:59:12.733+00:00`, `2020-02-23T01:00:32Z`,
 * `2020-01-08 09:59:49`: date, `T` or space, time, optional fraction, optional `Z` or ±hh:mm / ±hhmm.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** The timestamp as `YYYY-MM-DDTHH:mm:ss.sssZ`, or undefined when it is not one of the upstream's formats. */
export function normalizeDateTime(value: string): string | undefined {
  // Every timestamp of every list passes through here (200 per page of 100 backups): the formats the upstream
  // really sends are answered by slicing; anything else takes the general path below, which decides alone.
  return utcFastPath(value) ?? normalizeGeneral(value);
}

const ZERO = 48;
const NINE = 57;

/** Two or four digits at `at` as a number, or -1. */
function digits(value: string, at: number, count: 2 | 4): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = value.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
    n = n * 10 + (c - ZERO);
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `YYYY-MM-DD[T ]HH:mm:ss[.f…][Z|±00:00|±0000]` with a four-digit year from 1000 — UTC already — built by slicing.
 * Undefined for anything else (other offsets, whitespace, out-of-range fields, years below 1000), which then gets
 * the general path's answer: this path only ever answers what that path would answer.
 */
function utcFastPath(value: string): string | undefined {
  const length = value.length;
  if (length < 19 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) {
    return undefined;
  }
  const separator = value.charCodeAt(10);
  if (separator !== 84 && separator !== 32) return undefined; // 'T' or ' '
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  let i = 19;
  let ms = '000';
  if (i < length && value.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < length && i - start < 9) {
      const c = value.charCodeAt(i);
      if (c < ZERO || c > NINE) break;
      i++;
    }
    if (i === start) return undefined;
    ms = value.slice(start, Math.min(i, start + 3)).padEnd(3, '0');
  }
  const zone = value.slice(i);
  if (zone !== '' && zone !== 'Z' && zone !== '+00:00' && zone !== '-00:00' && zone !== '+0000' && zone !== '-0000') return undefined;
  return `${value.slice(0, 10)}T${value.slice(11, 19)}.${ms}Z`;
}

function normalizeGeneral(value: string): string | undefined {
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(local);
  // Date.UTC rolls 2020-02-31 over to March: a field out of range is a malformed value, not a date.
  const fields = [check.getUTCFullYear(), check.getUTCMonth() + 1, check.getUTCDate(), check.getUTCHours(), check.getUTCMinutes(), check.getUTCSeconds()];
  if (fields.some((value, i) => value !== Number([y, mo, d, h, mi, s][i]))) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2));
    // ±hh:mm is a time of day: +99:99 is no offset (it would move the instant by four days), nor is +24:00.
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = sign * (hours * 60 + minutes);
  }
  return new Date(local - offsetMinutes * 60_000).toISOString();
}

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'ISO-8601 UTC timestamp with millisecond precision.',
  serialize(value) {
    const normalized = typeof value === 'string' ? normalizeDateTime(value) : undefined;
    // Throwing fails this field only (DateTime fields are nullable), never the whole query; the error is masked
    // like any other broken upstream value, and logged.
    if (normalized === undefined) throw new TypeError(`DateTime cannot represent ${JSON.stringify(value)}: not a timestamp`);
    return normalized;
  },
  parseValue(value) {
    const normalized = typeof value === 'string' ? normalizeDateTime(value) : undefined;
    // A variable's value is the caller's input: a GraphQLError (not a TypeError, which graphql-js would keep as the
    // cause, so the mask would hide it as a bug) tells them what is wrong; graphql-js prefixes the variable's name.
    if (normalized === undefined) {
      throw createGraphQLError(`DateTime expects an ISO-8601 timestamp such as 2024-05-01T12:00:00Z, got ${JSON.stringify(value)}`, {
        extensions: { code: 'BAD_USER_INPUT' satisfies ErrorCode },
      });
    }
    return normalized;
  },
  parseLiteral(ast) {
    const normalized = ast.kind === Kind.STRING ? normalizeDateTime(ast.value) : undefined;
    if (normalized === undefined) throw new TypeError('DateTime expects an ISO-8601 timestamp string such as 2024-05-01T12:00:00Z');
    return normalized;
  },
});

export const scalarResolvers: Resolvers = {
  DateTime: DateTimeScalar,
};
