/**
 * When the schedule rules of a policy trigger fire, and the rules in readable form: the next time points (the
 * emulator's scheduler and the gateway's `nextRunTimes`) and the rules' time points in a time zone (`schedule`).
 * The rules themselves, as the API accepts them, are parsed by ./rrule.ts. Pure functions over epoch milliseconds.
 */
import { WEEKDAYS, type Rrule, type Weekday } from './rrule';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;

/**
 * The first time point strictly after `after` (epoch ms) of any of `rules`, or `undefined` if none
 * (cannot happen for parsed rules). `anchor` is the start time INTERVAL counts from.
 */
export function nextOccurrence(rules: readonly Rrule[], after: number, anchor: number): number | undefined {
  if (rules.length === 0) return undefined;
  const span = Math.max(...rules.map((rule) => (rule.freq === 'WEEKLY' ? 7 * rule.interval : rule.interval))) + 7;
  const firstDay = startOfDay(after);
  for (let i = 0; i <= span; i++) {
    const day = firstDay + i * DAY;
    let best: number | undefined;
    for (const rule of rules) {
      if (!firesOn(rule, day, anchor)) continue;
      for (const h of rule.byHour) {
        for (const m of rule.byMinute) {
          const t = day + (h * 60 + m) * MINUTE;
          if (t > after && (best === undefined || t < best)) best = t;
        }
      }
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

function firesOn(rule: Rrule, day: number, anchor: number): boolean {
  if (rule.byDay && !rule.byDay.includes(weekdayOf(day))) return false;
  if (rule.interval === 1) return true;
  const elapsed =
    rule.freq === 'DAILY' ? (day - startOfDay(anchor)) / DAY : (startOfWeek(day) - startOfWeek(anchor)) / WEEK;
  return elapsed >= 0 && elapsed % rule.interval === 0;
}

function weekdayOf(t: number): Weekday {
  return WEEKDAYS[(new Date(t).getUTCDay() + 6) % 7]!;
}

function startOfDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

/** Monday 00:00 UTC of the week containing `t` (RFC 2445 default WKST=MO). */
function startOfWeek(t: number): number {
  const day = startOfDay(t);
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
}

/** The first `count` time points strictly after `after` (in order, each once) of any of `rules`. */
export function nextOccurrences(rules: readonly Rrule[], after: number, anchor: number, count: number): number[] {
  const times: number[] = [];
  let from = after;
  while (times.length < count) {
    const next = nextOccurrence(rules, from, anchor);
    if (next === undefined) break;
    times.push(next);
    from = next;
  }
  return times;
}

/** One rule in a time zone: its days and `HH:mm` times there (a rule splits where the offset moves times across midnight). */
export interface LocalSchedule {
  freq: Rrule['freq'];
  interval: number;
  /** `undefined`: every day. */
  days?: Weekday[];
  times: string[];
}

/**
 * The rules' time points as seen `offsetMinutes` east of UTC (e.g. 120 for UTC+02:00): for each rule, its times shifted,
 * grouped by the day they move to (the previous, same or next day), days shifted alike.
 */
export function localSchedules(rules: readonly Rrule[], offsetMinutes: number): LocalSchedule[] {
  const out: LocalSchedule[] = [];
  for (const rule of rules) {
    const byShift = new Map<number, string[]>();
    for (const h of rule.byHour) {
      for (const m of rule.byMinute) {
        const local = h * 60 + m + offsetMinutes;
        const shift = Math.floor(local / 1440);
        const minute = local - shift * 1440;
        const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
        byShift.set(shift, [...(byShift.get(shift) ?? []), time]);
      }
    }
    for (const shift of [...byShift.keys()].sort((a, b) => a - b)) {
      const days = rule.byDay?.map((day) => WEEKDAYS[(WEEKDAYS.indexOf(day) + shift + 7) % 7]!);
      const times = [...new Set(byShift.get(shift))].sort();
      out.push({ freq: rule.freq, interval: rule.interval, ...(days ? { days: sortDays(days) } : {}), times });
    }
  }
  return out;
}

function sortDays(days: readonly Weekday[]): Weekday[] {
  return [...new Set(days)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
}
