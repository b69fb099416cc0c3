/**
 * When the schedule rules of a policy trigger fire (the emulator's scheduler). The rules themselves, as the API
 * accepts them, are parsed by src/upstream/rrule.ts.
 */
import { WEEKDAYS, type Rrule, type Weekday } from '../upstream/rrule';

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
