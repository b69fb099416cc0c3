/**
 * Readable policy schedules ↔ the API's RRULEs (kept in UTC): the `UTC±HH:mm` time zone, the weekday names, and a
 * schedule input turned into rules. A rule has one BYMINUTE per distinct minute, since BYHOUR × BYMINUTE is a cross
 * product: `02:00` and `14:30` become two rules, as they must.
 */
import { WEEKDAYS, type Weekday as RruleDay } from '../../upstream/rrule';
import type { PolicyScheduleInput, Weekday } from '../__generated__/resolvers-types';
import { badUserInput } from '../errors';
import { offsetMinutes } from './vbs-policy';

export const DAY_NAMES: Record<RruleDay, Exclude<Weekday, 'UNKNOWN'>> = {
  MO: 'MONDAY',
  TU: 'TUESDAY',
  WE: 'WEDNESDAY',
  TH: 'THURSDAY',
  FR: 'FRIDAY',
  SA: 'SATURDAY',
  SU: 'SUNDAY',
};
const RRULE_DAY = new Map(Object.entries(DAY_NAMES).map(([rrule, name]) => [name as Weekday, rrule as RruleDay]));

/** Minutes east of UTC of `UTC±HH:mm` (the VBS form, parsed as VBS inputs parse it) within −12:00…+14:00, else undefined. */
export function timeZoneOffset(timeZone: string): number | undefined {
  const minutes = offsetMinutes(timeZone);
  return minutes !== undefined && Number(timeZone.slice(-2)) < 60 && minutes >= -12 * 60 && minutes <= 14 * 60 ? minutes : undefined;
}

/** `UTC±HH:mm` of an offset in minutes. */
export function timeZoneName(offset: number): string {
  const abs = Math.abs(offset);
  return `UTC${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The schedule input as RRULEs in UTC; BAD_USER_INPUT naming the entry's field (`input.schedule[0].times[1]`). */
export function schedulePatterns(schedule: readonly PolicyScheduleInput[], path: string): string[] {
  if (schedule.length === 0) throw badUserInput(`${path}: must list at least one rule`, path);
  const patterns: string[] = [];
  schedule.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    const timeZone = entry.timeZone ?? 'UTC+00:00';
    const offset = timeZoneOffset(timeZone);
    if (offset === undefined) throw badUserInput(`${at}.timeZone: must be UTC±HH:mm between UTC-12:00 and UTC+14:00, got "${timeZone}"`, `${at}.timeZone`);
    const interval = entry.interval ?? 1;
    if (!Number.isInteger(interval) || interval < 1 || interval > 9999) throw badUserInput(`${at}.interval: must be 1–9999, got ${interval}`, `${at}.interval`);
    if (entry.frequency === 'WEEKLY' && !entry.days?.length) throw badUserInput(`${at}.days: is mandatory for a WEEKLY rule`, `${at}.days`);
    const days = entry.days?.map((day, d) => {
      const rrule = RRULE_DAY.get(day);
      if (!rrule) throw badUserInput(`${at}.days[${d}]: ${day} cannot be sent to the upstream`, `${at}.days[${d}]`);
      return rrule;
    });
    if (entry.times.length < 1 || entry.times.length > 24) throw badUserInput(`${at}.times: must list 1–24 times`, `${at}.times`);
    // UTC minute of day and day shift of each local time, grouped by (shift, minute) into rules.
    const groups = new Map<string, { shift: number; minute: number; hours: number[] }>();
    entry.times.forEach((time, t) => {
      const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
      if (!match) throw badUserInput(`${at}.times[${t}]: must be HH:mm (00:00–23:59), got "${time}"`, `${at}.times[${t}]`);
      const utc = Number(match[1]) * 60 + Number(match[2]) - offset;
      const shift = Math.floor(utc / 1440);
      const minuteOfDay = utc - shift * 1440;
      const key = `${shift}:${minuteOfDay % 60}`;
      const group = groups.get(key) ?? { shift, minute: minuteOfDay % 60, hours: [] };
      group.hours.push(Math.floor(minuteOfDay / 60));
      groups.set(key, group);
    });
    for (const { shift, minute, hours } of groups.values()) {
      const byDay = days?.map((day) => WEEKDAYS[(WEEKDAYS.indexOf(day) + shift + 7) % 7]!);
      const parts = [
        `FREQ=${entry.frequency}`,
        ...(interval > 1 ? [`INTERVAL=${interval}`] : []),
        ...(byDay ? [`BYDAY=${[...new Set(byDay)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b)).join(',')}`] : []),
        `BYHOUR=${[...new Set(hours)].sort((a, b) => a - b).map((h) => String(h).padStart(2, '0')).join(',')}`,
        `BYMINUTE=${String(minute).padStart(2, '0')}`,
      ];
      patterns.push(parts.join(';'));
    }
  });
  return patterns;
}
