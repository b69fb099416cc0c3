/** The DateTime scalar: every upstream timestamp format → ISO-8601 UTC (see `scalar DateTime` in schema/base.graphql). */
import { GraphQLScalarType, Kind } from 'graphql';
import type { Resolvers } from '../__generated__/resolvers-types';

/**
 * `2020-02-05T10:38:34.209782` (no zone = UTC), `2019-05-10T07:59:12.733+00:00`, `2020-02-23T01:00:32Z`,
 * `2020-01-08 09:59:49`: date, `T` or space, time, optional fraction, optional `Z` or ±hh:mm / ±hhmm.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** The timestamp as `YYYY-MM-DDTHH:mm:ss.sssZ`, or undefined when it is not one of the upstream's formats. */
export function normalizeDateTime(value: string): string | undefined {
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
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
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
    if (normalized === undefined) throw new TypeError(`DateTime expects an ISO-8601 timestamp such as 2024-05-01T12:00:00Z, got ${JSON.stringify(value)}`);
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
