/**
 * A policy trigger's schedule in readable form and its next run times, both computed from the RRULEs of the trigger
 * (upstream/rrule.ts parses them, upstream/rrule-times.ts places them in time): no upstream call.
 */
import { parsePatterns } from '../../upstream/rrule';
import { localSchedules, nextOccurrences } from '../../upstream/rrule-times';
import type { Resolvers } from '../__generated__/resolvers-types';
import { badUserInput } from '../errors';
import { DAY_NAMES, timeZoneName, timeZoneOffset } from '../inputs/policy-schedule';
import { normalizeDateTime } from './scalars';

export const policyScheduleResolvers: Resolvers = {
  PolicyTrigger: {
    schedule: (t, { timeZone }) => {
      const zone = timeZone ?? 'UTC+00:00';
      const offset = timeZoneOffset(zone);
      if (offset === undefined) throw badUserInput(`timeZone: must be UTC±HH:mm between UTC-12:00 and UTC+14:00, got "${zone}"`, 'timeZone');
      const parsed = parsePatterns(t.properties.pattern);
      if (!parsed.ok) return null;
      return localSchedules(parsed.value, offset).map((s) => ({
        frequency: s.freq,
        interval: s.interval,
        days: s.days?.map((day) => DAY_NAMES[day]) ?? null,
        times: s.times,
        timeZone: timeZoneName(offset),
      }));
    },
    nextRunTimes: (t, { count, after }) => {
      const n = count ?? 5;
      if (!Number.isInteger(n) || n < 1 || n > 100) throw badUserInput(`count must be between 1 and 100, got ${n}`, 'count');
      const parsed = parsePatterns(t.properties.pattern);
      if (!parsed.ok) return null;
      const from = after ? Date.parse(after) : Date.now();
      const start = t.properties.start_time ? normalizeDateTime(t.properties.start_time) : undefined;
      // Without a start time INTERVAL counts from the Unix epoch's week, a stable if arbitrary anchor.
      const anchor = start ? Date.parse(start) : 0;
      return nextOccurrences(parsed.value, from, anchor, n).map((ms) => new Date(ms).toISOString());
    },
  },
};
