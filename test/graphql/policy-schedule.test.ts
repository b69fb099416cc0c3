/**
 * Readable policy schedules end to end: a policy created from a schedule in a time zone is stored as UTC RRULEs, reads
 * back in any time zone (split where times cross midnight), and tells its next run times, all without extra calls;
 * pattern and schedule are exclusive, and bad schedules are refused before any call, naming the field.
 */
import { describe, expect, it } from 'vitest';
import { T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { expectBadInput } from '../helpers/graphql';
import { useStack } from '../helpers/stack';

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

const CREATE = /* GraphQL */ `
  mutation ($input: CreatePolicyInput!) {
    createPolicy(input: $input) {
      policy {
        id
        trigger {
          pattern
          utc: schedule { frequency interval days times timeZone }
          berlin: schedule(timeZone: "UTC+02:00") { frequency interval days times timeZone }
          nextRunTimes(count: 4, after: "2024-03-04T00:00:00Z")
        }
      }
    }
  }
`;

const base = { name: 'readable', operationType: 'BACKUP', operationDefinition: { maxBackups: 5 } };

describe('policy schedules in readable form', () => {
  it('creates a policy from a schedule in UTC+02:00: UTC rules, read back in either zone, with the next run times', async () => {
    const res = await stack.execute(CREATE, {
      input: { ...base, schedule: [{ frequency: 'WEEKLY', days: ['MONDAY', 'FRIDAY'], times: ['01:00', '14:30'], timeZone: 'UTC+02:00' }] },
    });
    expect(res.errors).toBeUndefined();
    const trigger = res.data.createPolicy.policy.trigger;
    // 01:00 at UTC+2 is 23:00 UTC the day before; 14:30 is 12:30 UTC; one rule per (day shift, minute).
    expect(trigger.pattern).toEqual(['FREQ=WEEKLY;BYDAY=TH,SU;BYHOUR=23;BYMINUTE=00', 'FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=12;BYMINUTE=30']);
    expect(trigger.utc).toEqual([
      { frequency: 'WEEKLY', interval: 1, days: ['THURSDAY', 'SUNDAY'], times: ['23:00'], timeZone: 'UTC+00:00' },
      { frequency: 'WEEKLY', interval: 1, days: ['MONDAY', 'FRIDAY'], times: ['12:30'], timeZone: 'UTC+00:00' },
    ]);
    expect(trigger.berlin).toEqual([
      { frequency: 'WEEKLY', interval: 1, days: ['MONDAY', 'FRIDAY'], times: ['01:00'], timeZone: 'UTC+02:00' },
      { frequency: 'WEEKLY', interval: 1, days: ['MONDAY', 'FRIDAY'], times: ['14:30'], timeZone: 'UTC+02:00' },
    ]);
    // 2024-03-04 is a Monday.
    expect(trigger.nextRunTimes).toEqual(['2024-03-04T12:30:00.000Z', '2024-03-07T23:00:00.000Z', '2024-03-08T12:30:00.000Z', '2024-03-10T23:00:00.000Z']);
    expect(stack.calls()).toEqual([`POST /v3/${P}/policies`]);
  });

  it('reads a daily pattern with an interval and several times, and updates a schedule in place of the pattern', async () => {
    const res = await stack.execute(CREATE, { input: { ...base, pattern: ['FREQ=DAILY;INTERVAL=2;BYHOUR=02,14;BYMINUTE=00'] } });
    const { id, trigger } = res.data.createPolicy.policy;
    expect(trigger.berlin).toEqual([{ frequency: 'DAILY', interval: 2, days: null, times: ['04:00', '16:00'], timeZone: 'UTC+02:00' }]);
    const update = await stack.execute(`mutation ($input: UpdatePolicyInput!) { updatePolicy(input: $input) { policy { trigger { pattern } } } }`, {
      input: { id, schedule: [{ frequency: 'DAILY', times: ['03:15'] }] },
    });
    expect(update).toEqual({ data: { updatePolicy: { policy: { trigger: { pattern: ['FREQ=DAILY;BYHOUR=03;BYMINUTE=15'] } } } } });
  });

  it('refuses both or neither of pattern and schedule, bad times, zones and dense schedules, naming the field, without a call', async () => {
    const schedule = [{ frequency: 'DAILY', times: ['02:00'] }];
    expectBadInput(await stack.execute(CREATE, { input: { ...base, pattern: ['FREQ=DAILY;BYHOUR=1;BYMINUTE=0'], schedule } }), {
      field: 'input.schedule',
      message: 'input.schedule: give either pattern or schedule, not both',
    });
    expectBadInput(await stack.execute(CREATE, { input: base }), { field: 'input.pattern', message: 'input.pattern: give pattern or schedule' });
    expectBadInput(await stack.execute(CREATE, { input: { ...base, schedule: [{ frequency: 'DAILY', times: ['2:00'] }] } }), {
      field: 'input.schedule[0].times[0]',
      message: 'input.schedule[0].times[0]: must be HH:mm (00:00–23:59), got "2:00"',
    });
    const zone = await stack.execute(CREATE, { input: { ...base, schedule: [{ frequency: 'DAILY', times: ['02:00'], timeZone: 'CET' }] } });
    expect(zone.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.schedule[0].timeZone' });
    const weekly = await stack.execute(CREATE, { input: { ...base, schedule: [{ frequency: 'WEEKLY', times: ['02:00'] }] } });
    expect(weekly.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.schedule[0].days' });
    expectBadInput(await stack.execute(CREATE, { input: { ...base, schedule: [{ frequency: 'DAILY', times: ['02:00', '02:30'] }] } }), {
      field: 'input.schedule',
      message: 'input.schedule: the scheduling interval cannot be less than 1 hour',
    });
    expect(stack.calls()).toEqual([]);
  });

  it('refuses a bad time zone and count when reading, naming the argument', async () => {
    await stack.execute(CREATE, { input: { ...base, pattern: ['FREQ=DAILY;BYHOUR=02;BYMINUTE=00'] } });
    const res = await stack.execute(`{ policies { nodes { trigger { schedule(timeZone: "UTC+15:00") { times } nextRunTimes(count: 0) } } } }`);
    expect(res.errors?.map((e) => e.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', field: 'timeZone' },
      { code: 'BAD_USER_INPUT', field: 'count' },
    ]);
  });
});
