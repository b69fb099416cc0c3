import { describe, expect, it } from 'vitest';
import { nextOccurrence } from '../../src/emulator/rrule';
import { parsePatterns, parseRrule, type Rrule } from '../../src/upstream/rrule';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function rules(...patterns: string[]): Rrule[] {
  const parsed = parsePatterns(patterns);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('parseRrule', () => {
  it('parses the seed examples', () => {
    expect(parseRrule('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=14;BYMINUTE=00')).toEqual({
      ok: true,
      value: { freq: 'WEEKLY', interval: 1, byDay: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], byHour: [14], byMinute: [0] },
    });
    expect(parseRrule('FREQ=DAILY;INTERVAL=1;BYHOUR=6;BYMINUTE=00')).toEqual({
      ok: true,
      value: { freq: 'DAILY', interval: 1, byDay: undefined, byHour: [6], byMinute: [0] },
    });
  });

  it('accepts lists of hours and days in any order, without duplicates', () => {
    expect(parseRrule('BYMINUTE=5;BYHOUR=22,2,2;FREQ=WEEKLY;BYDAY=SU,MO,SU;INTERVAL=3')).toEqual({
      ok: true,
      value: { freq: 'WEEKLY', interval: 3, byDay: ['SU', 'MO'], byHour: [2, 22], byMinute: [5] },
    });
  });

  it.each([
    ['', '"" is not KEY=VALUE'],
    ['FREQ=DAILY;;BYHOUR=1;BYMINUTE=0', '"" is not KEY=VALUE'],
    ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0;UNTIL=20250101', 'UNTIL is not supported (only FREQ, BYDAY, BYHOUR, BYMINUTE and INTERVAL)'],
    ['freq=DAILY;BYHOUR=1;BYMINUTE=0', 'freq is not supported (only FREQ, BYDAY, BYHOUR, BYMINUTE and INTERVAL)'],
    ['FREQ=DAILY;FREQ=DAILY;BYHOUR=1;BYMINUTE=0', 'FREQ is given twice'],
    ['FREQ=;BYHOUR=1;BYMINUTE=0', 'FREQ has no value'],
    ['BYHOUR=1;BYMINUTE=0', 'FREQ is mandatory'],
    ['FREQ=MONTHLY;BYHOUR=1;BYMINUTE=0', 'FREQ must be WEEKLY or DAILY'],
    ['FREQ=WEEKLY;BYHOUR=1;BYMINUTE=0', 'BYDAY is mandatory when FREQ is WEEKLY'],
    ['FREQ=WEEKLY;BYDAY=1MO;BYHOUR=1;BYMINUTE=0', 'BYDAY must list MO, TU, WE, TH, FR, SA or SU, got "1MO"'],
    ['FREQ=DAILY;BYMINUTE=0', 'BYHOUR is mandatory'],
    ['FREQ=DAILY;BYHOUR=1', 'BYMINUTE is mandatory'],
    ['FREQ=DAILY;BYHOUR=-1;BYMINUTE=0', 'BYHOUR values must be integers from 0 to 23, got "-1"'],
    ['FREQ=DAILY;BYHOUR=1.5;BYMINUTE=0', 'BYHOUR values must be integers from 0 to 23, got "1.5"'],
    ['FREQ=DAILY;BYHOUR=1;BYMINUTE=99', 'BYMINUTE values must be integers from 0 to 59, got "99"'],
    ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0;INTERVAL=x', 'INTERVAL must be a positive integer'],
  ])('rejects %j: %s', (text, error) => {
    expect(parseRrule(text)).toEqual({ ok: false, error });
  });
});

describe('parsePatterns', () => {
  it('names the failing rule', () => {
    expect(parsePatterns(['FREQ=DAILY;BYHOUR=1;BYMINUTE=0', 'FREQ=DAILY'])).toEqual({ ok: false, error: 'BYHOUR is mandatory', index: 1 });
  });

  it('allows time points exactly 1 hour apart, across rules and across midnight', () => {
    expect(parsePatterns(['FREQ=DAILY;BYHOUR=0,1,2;BYMINUTE=0', 'FREQ=DAILY;BYHOUR=23;BYMINUTE=0']).ok).toBe(true);
    expect(parsePatterns([`FREQ=DAILY;BYHOUR=${Array.from({ length: 24 }, (_, h) => h).join(',')};BYMINUTE=15`]).ok).toBe(true);
  });

  it.each([
    [['FREQ=DAILY;BYHOUR=1;BYMINUTE=0,30'], 'the scheduling interval cannot be less than 1 hour'],
    [['FREQ=DAILY;BYHOUR=1;BYMINUTE=0', 'FREQ=WEEKLY;BYDAY=TU;BYHOUR=1;BYMINUTE=59'], 'the scheduling interval cannot be less than 1 hour'],
    [['FREQ=WEEKLY;BYDAY=SU;BYHOUR=23;BYMINUTE=30', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=0;BYMINUTE=0'], 'the scheduling interval cannot be less than 1 hour'],
    [['FREQ=DAILY;BYHOUR=5;BYMINUTE=0', 'FREQ=DAILY;BYHOUR=5;BYMINUTE=0'], undefined],
    [Array.from({ length: 25 }, () => 'FREQ=DAILY;BYHOUR=1;BYMINUTE=0'), 'at most 24 rules are allowed'],
  ])('checks the limits across rules: %j', (patterns, error) => {
    const parsed = parsePatterns(patterns);
    if (error === undefined) expect(parsed.ok).toBe(true);
    else expect(parsed).toEqual({ ok: false, error });
  });
});

describe('nextOccurrence', () => {
  const anchor = at('2024-03-01T08:00:00Z'); // a Friday

  it('finds the next daily time, today or tomorrow', () => {
    const daily = rules('FREQ=DAILY;INTERVAL=1;BYHOUR=14;BYMINUTE=00');
    expect(iso(nextOccurrence(daily, at('2024-03-01T08:00:00Z'), anchor))).toBe('2024-03-01T14:00:00.000Z');
    expect(iso(nextOccurrence(daily, at('2024-03-01T14:00:00Z'), anchor))).toBe('2024-03-02T14:00:00.000Z');
  });

  it('finds the next of several hours and rules', () => {
    const twice = rules('FREQ=DAILY;BYHOUR=6,18;BYMINUTE=30', 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=12;BYMINUTE=0');
    expect(iso(nextOccurrence(twice, at('2024-03-01T07:00:00Z'), anchor))).toBe('2024-03-01T18:30:00.000Z');
    expect(iso(nextOccurrence(twice, at('2024-03-02T07:00:00Z'), anchor))).toBe('2024-03-02T12:00:00.000Z');
  });

  it('follows BYDAY for weekly rules', () => {
    const weekend = rules('FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=23;BYMINUTE=0');
    expect(iso(nextOccurrence(weekend, at('2024-03-01T08:00:00Z'), anchor))).toBe('2024-03-02T23:00:00.000Z');
    expect(iso(nextOccurrence(weekend, at('2024-03-03T23:00:00Z'), anchor))).toBe('2024-03-09T23:00:00.000Z');
  });

  it('counts INTERVAL in days or weeks from the start time', () => {
    const everyOtherDay = rules('FREQ=DAILY;INTERVAL=2;BYHOUR=1;BYMINUTE=0');
    expect(iso(nextOccurrence(everyOtherDay, at('2024-03-01T08:00:00Z'), anchor))).toBe('2024-03-03T01:00:00.000Z');
    expect(iso(nextOccurrence(everyOtherDay, at('2024-03-03T01:00:00Z'), anchor))).toBe('2024-03-05T01:00:00.000Z');
    // the anchor's week (Mon 26 Feb) counts as week 0
    const everyOtherMonday = rules('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=9;BYMINUTE=0');
    expect(iso(nextOccurrence(everyOtherMonday, at('2024-03-01T08:00:00Z'), anchor))).toBe('2024-03-11T09:00:00.000Z');
    expect(iso(nextOccurrence(everyOtherMonday, at('2024-03-11T09:00:00Z'), anchor))).toBe('2024-03-25T09:00:00.000Z');
  });

  it('finds a time point far ahead (every 30 weeks)', () => {
    const rare = rules('FREQ=WEEKLY;INTERVAL=30;BYDAY=MO;BYHOUR=0;BYMINUTE=0');
    expect(iso(nextOccurrence(rare, at('2024-03-01T08:00:00Z'), anchor))).toBe('2024-09-23T00:00:00.000Z');
  });

  it('answers undefined without rules', () => {
    expect(nextOccurrence([], anchor, anchor)).toBeUndefined();
  });
});
