/**
 * The policy schedule rules the upstream enforces (seed 003 Table 4-206), checked by the gateway before the call:
 * the iCalendar RFC 2445 subset FREQ (WEEKLY|DAILY), BYDAY (MO..SU), BYHOUR (0–23), BYMINUTE (0–59) and INTERVAL;
 * at most 24 time points a day and none closer than 1 hour to the next. The same rules, and the same words, as the
 * emulator's src/emulator/rrule.ts, which the gateway may not import (gateway → upstream ← emulator); neither is
 * stricter than the other, so a schedule the gateway passes is one the emulator accepts. The list length (1–24
 * rules) is the wire schema's.
 */

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const PARTS = new Set(['FREQ', 'BYDAY', 'BYHOUR', 'BYMINUTE', 'INTERVAL']);

interface Rule {
  /** Days the rule fires on; `undefined` = every day (DAILY without BYDAY). */
  byDay?: string[];
  byHour: number[];
  byMinute: number[];
}

/** What is wrong with a schedule; `index` names the rule when one rule alone is wrong. */
export interface PatternProblem {
  message: string;
  index?: number;
}

/** The first problem of a pattern list, or undefined when the upstream would accept it. */
export function patternProblem(patterns: readonly string[]): PatternProblem | undefined {
  const rules: Rule[] = [];
  for (const [index, pattern] of patterns.entries()) {
    const parsed = parseRule(pattern);
    if (typeof parsed === 'string') return { message: parsed, index };
    rules.push(parsed);
  }
  // Minute of the week of every time point (Monday 00:00 = 0). INTERVAL is left out, as the upstream leaves it out
  // of this check: every day a rule may fire on counts.
  const points = new Set<number>();
  for (const rule of rules) {
    for (const [d, day] of WEEKDAYS.entries()) {
      if (rule.byDay && !rule.byDay.includes(day)) continue;
      for (const h of rule.byHour) for (const m of rule.byMinute) points.add(d * 1440 + h * 60 + m);
    }
  }
  const sorted = [...points].sort((a, b) => a - b);
  for (let d = 0; d < 7; d++) {
    if (sorted.filter((p) => Math.floor(p / 1440) === d).length > 24) return { message: 'at most 24 time points are allowed in a day' };
  }
  if (sorted.length > 1) {
    for (const [i, point] of sorted.entries()) {
      // The week wraps: Sunday's last point is followed by Monday's first.
      const next = i + 1 < sorted.length ? sorted[i + 1]! : sorted[0]! + 7 * 1440;
      if (next - point < 60) return { message: 'the scheduling interval cannot be less than 1 hour' };
    }
  }
  return undefined;
}

/** One rule such as `FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=14;BYMINUTE=00`, or what is wrong with it. */
function parseRule(text: string): Rule | string {
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return `"${part}" is not KEY=VALUE`;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (!PARTS.has(key)) return `${key} is not supported (only FREQ, BYDAY, BYHOUR, BYMINUTE and INTERVAL)`;
    if (parts.has(key)) return `${key} is given twice`;
    if (value === '') return `${key} has no value`;
    parts.set(key, value);
  }

  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY') return freq === undefined ? 'FREQ is mandatory' : 'FREQ must be WEEKLY or DAILY';

  let byDay: string[] | undefined;
  const days = parts.get('BYDAY');
  if (days !== undefined) {
    byDay = days.split(',');
    const wrong = byDay.find((day) => !(WEEKDAYS as readonly string[]).includes(day));
    if (wrong !== undefined) return `BYDAY must list MO, TU, WE, TH, FR, SA or SU, got "${wrong}"`;
  } else if (freq === 'WEEKLY') {
    return 'BYDAY is mandatory when FREQ is WEEKLY';
  }

  const byHour = numberList(parts.get('BYHOUR'), 'BYHOUR', 23);
  if (typeof byHour === 'string') return byHour;
  const byMinute = numberList(parts.get('BYMINUTE'), 'BYMINUTE', 59);
  if (typeof byMinute === 'string') return byMinute;

  const interval = parts.get('INTERVAL');
  if (interval !== undefined && (!/^\d{1,4}$/.test(interval) || Number(interval) < 1)) return 'INTERVAL must be a positive integer';
  return { byDay, byHour, byMinute };
}

function numberList(text: string | undefined, key: string, max: number): number[] | string {
  if (text === undefined) return `${key} is mandatory`;
  const values: number[] = [];
  for (const item of text.split(',')) {
    if (!/^\d{1,2}$/.test(item) || Number(item) > max) return `${key} values must be integers from 0 to ${max}, got "${item}"`;
    values.push(Number(item));
  }
  return values;
}
