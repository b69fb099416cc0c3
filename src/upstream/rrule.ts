/**
 * The subset of iCalendar RFC 2445 recurrence rules that CBR policy triggers accept (seed 003 Table 4-206):
 * FREQ (WEEKLY|DAILY), BYDAY (MO..SU), BYHOUR (0–23), BYMINUTE (0–59) and INTERVAL; at most 24 rules,
 * at most 24 time points a day, and no two time points closer than 1 hour. Times are UTC (the seed's
 * example turns "14:00 UTC+8" into BYHOUR=6).
 * Parsing answers a readable problem instead of throwing: the emulator turns it into BackupService.9900, the gateway
 * into BAD_USER_INPUT before the call. One copy for both, so the gateway refuses exactly what the upstream refuses.
 */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Rrule {
  freq: 'DAILY' | 'WEEKLY';
  /** Every `interval` days (DAILY) or weeks (WEEKLY), counted from the policy's start time. */
  interval: number;
  /** Days the rule fires on; `undefined` = every day (DAILY only; WEEKLY requires BYDAY). */
  byDay?: Weekday[];
  byHour: number[];
  byMinute: number[];
}

/** A parse outcome; a failure of one rule of a list names the rule's index. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string; index?: number };

const PARTS = new Set(['FREQ', 'BYDAY', 'BYHOUR', 'BYMINUTE', 'INTERVAL']);

/** Parses one rule such as `FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=14;BYMINUTE=00`. */
export function parseRrule(text: string): ParseResult<Rrule> {
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return fail(`"${part}" is not KEY=VALUE`);
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!PARTS.has(key)) return fail(`${key} is not supported (only FREQ, BYDAY, BYHOUR, BYMINUTE and INTERVAL)`);
    if (parts.has(key)) return fail(`${key} is given twice`);
    if (value === '') return fail(`${key} has no value`);
    parts.set(key, value);
  }

  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY') return fail(freq === undefined ? 'FREQ is mandatory' : 'FREQ must be WEEKLY or DAILY');

  let byDay: Weekday[] | undefined;
  const days = parts.get('BYDAY');
  if (days !== undefined) {
    byDay = [];
    for (const day of days.split(',')) {
      if (!(WEEKDAYS as readonly string[]).includes(day)) return fail(`BYDAY must list MO, TU, WE, TH, FR, SA or SU, got "${day}"`);
      if (!byDay.includes(day as Weekday)) byDay.push(day as Weekday);
    }
  } else if (freq === 'WEEKLY') {
    return fail('BYDAY is mandatory when FREQ is WEEKLY');
  }

  const byHour = numberList(parts.get('BYHOUR'), 'BYHOUR', 0, 23);
  if (!byHour.ok) return byHour;
  const byMinute = numberList(parts.get('BYMINUTE'), 'BYMINUTE', 0, 59);
  if (!byMinute.ok) return byMinute;

  let interval = 1;
  const intervalText = parts.get('INTERVAL');
  if (intervalText !== undefined) {
    if (!/^\d{1,4}$/.test(intervalText) || Number(intervalText) < 1) return fail('INTERVAL must be a positive integer');
    interval = Number(intervalText);
  }
  return { ok: true, value: { freq, interval, byDay, byHour: byHour.value, byMinute: byMinute.value } };
}

/**
 * Parses a trigger's pattern list and checks the limits that span rules: at most 24 time points a day
 * and at least 1 hour between consecutive time points (INTERVAL is ignored for this check, which can
 * only make it stricter). A failure of a single rule carries its index.
 */
export function parsePatterns(patterns: readonly string[]): ParseResult<Rrule[]> {
  if (patterns.length > 24) return fail('at most 24 rules are allowed');
  const rules: Rrule[] = [];
  for (const [i, pattern] of patterns.entries()) {
    const parsed = parseRrule(pattern);
    if (!parsed.ok) return { ok: false, error: parsed.error, index: i };
    rules.push(parsed.value);
  }

  // Minute-of-week of every time point (Monday 00:00 = 0).
  const points = new Set<number>();
  for (const rule of rules) {
    for (const [d, day] of WEEKDAYS.entries()) {
      if (rule.byDay && !rule.byDay.includes(day)) continue;
      for (const h of rule.byHour) for (const m of rule.byMinute) points.add(d * 1440 + h * 60 + m);
    }
  }
  const sorted = [...points].sort((a, b) => a - b);
  for (let d = 0; d < 7; d++) {
    if (sorted.filter((p) => Math.floor(p / 1440) === d).length > 24) return fail('at most 24 time points are allowed in a day');
  }
  if (sorted.length > 1) {
    for (const [i, point] of sorted.entries()) {
      const next = i + 1 < sorted.length ? sorted[i + 1]! : sorted[0]! + 7 * 1440;
      if (next - point < 60) return fail('the scheduling interval cannot be less than 1 hour');
    }
  }
  return { ok: true, value: rules };
}

function numberList(text: string | undefined, key: string, min: number, max: number): ParseResult<number[]> {
  if (text === undefined) return fail(`${key} is mandatory`);
  const values: number[] = [];
  for (const item of text.split(',')) {
    if (!/^\d{1,2}$/.test(item) || Number(item) < min || Number(item) > max) {
      return fail(`${key} values must be integers from ${min} to ${max}, got "${item}"`);
    }
    if (!values.includes(Number(item))) values.push(Number(item));
  }
  return { ok: true, value: values.sort((a, b) => a - b) };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
