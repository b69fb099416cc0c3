import { describe, expect, it } from 'vitest';
import { addServer, addVolume, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { badInput, expectBadInput, upstreamRefusal } from '../helpers/graphql';
import { useStack } from '../helpers/stack';

/** Every field of VbsPolicy and VbsPolicySchedule (the "all fields" query). */
const VBS_FIELDS = /* GraphQL */ `
  fragment VbsFields on VbsPolicy {
    id
    name
    resourceCount
    timeZone
    schedule { enabled startTimes frequencyDays weekDays retentionCount retentionDays keepFirstBackupOfMonth }
  }
`;

const CREATE = /* GraphQL */ `
  mutation ($input: CreateVbsPolicyInput!) { createVbsPolicy(input: $input) { policyId policy { ...VbsFields } } }
  ${VBS_FIELDS}
`;

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

async function createVbsPolicy(name: string, schedule: Record<string, unknown> = { startTimes: ['02:00'], frequencyDays: 1, retentionCount: 7 }): Promise<string> {
  const res = await stack.execute(`mutation ($input: CreateVbsPolicyInput!) { createVbsPolicy(input: $input) { policyId } }`, { input: { name, schedule } });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.createVbsPolicy.policyId;
}

describe('createVbsPolicy / updateVbsPolicy / deleteVbsPolicy / executeVbsPolicy', () => {
  it('creates a policy and answers every field, re-read from the policy list', async () => {
    const res = await stack.execute(CREATE, {
      input: {
        name: 'weekly_disks',
        schedule: { startTimes: ['01:00', '02:00'], weekDays: ['MONDAY', 'FRIDAY'], retentionDays: 30, keepFirstBackupOfMonth: true },
        tags: [{ key: 'team', value: 'storage' }],
        timeZone: 'UTC+01:00',
      },
    });
    expect(res).toEqual({
      data: {
        createVbsPolicy: {
          policyId: expect.any(String),
          policy: {
            id: res.data.createVbsPolicy.policyId,
            name: 'weekly_disks',
            resourceCount: 0,
            timeZone: 'UTC+01:00',
            schedule: {
              enabled: true,
              startTimes: ['01:00', '02:00'],
              frequencyDays: null,
              weekDays: ['MONDAY', 'FRIDAY'],
              retentionCount: null,
              retentionDays: 30,
              keepFirstBackupOfMonth: true,
            },
          },
        },
      },
    });
    expect(stack.calls()).toEqual([`POST /v2/${P}/backuppolicy`, `GET /v2/${P}/backuppolicy`]);
  });

  it('rejects a start time off the full hour naming input.schedule.startTimes[1], before any upstream call', async () => {
    const res = await stack.execute(CREATE, { input: { name: 'p', schedule: { startTimes: ['02:00', '12:30'], frequencyDays: 1, retentionCount: 3 } } });
    expectBadInput(res, { field: 'input.schedule.startTimes[1]', message: 'input.schedule.startTimes[1]: must be a full hour as HH:00, e.g. "02:00"' });
    expect(stack.calls()).toEqual([]);
  });

  it.each([
    [['12:00,13:00'], undefined, 'input.schedule.startTimes[0]', 'must be a full hour as HH:00, e.g. "02:00"'],
    [[], undefined, 'input.schedule.startTimes', 'must list at least one time'],
    // The schema's old example: in UTC, 02:00 comes before 22:00.
    [['22:00', '02:00'], undefined, 'input.schedule.startTimes', 'must be in ascending order of local time (UTC+00:00) without repeats: 22:00 is followed by 02:00'],
    [['02:00', '02:00'], undefined, 'input.schedule.startTimes', 'must be in ascending order of local time (UTC+00:00) without repeats: 02:00 is followed by 02:00'],
    // UTC 01:00 and 02:00 are 23:00 and 00:00 at UTC-02:00.
    [['01:00', '02:00'], 'UTC-02:00', 'input.schedule.startTimes', 'must be in ascending order of local time (UTC-02:00) without repeats: 01:00 is followed by 02:00'],
  ])('refuses the start times %j (time zone %s) at %s, before any upstream call', async (startTimes, timeZone, field, message) => {
    const res = await stack.execute(CREATE, { input: { name: 'p', timeZone, schedule: { startTimes, frequencyDays: 1, retentionCount: 3 } } });
    expect(res.data).toEqual({ createVbsPolicy: null });
    expectBadInput(res, { field, message: `${field}: ${message}` });
    expect(stack.calls()).toEqual([]);
  });

  it('accepts start times ascending in local time though not in UTC (22:00, 00:00, 02:00 at UTC+02:00), and the schema example', async () => {
    const local = await stack.execute(CREATE, {
      input: { name: 'p', timeZone: 'UTC+02:00', schedule: { startTimes: ['22:00', '00:00', '02:00'], frequencyDays: 1, retentionCount: 3 } },
    });
    expect(local.errors).toBeUndefined();
    expect(local.data.createVbsPolicy.policy.schedule.startTimes).toEqual(['22:00', '00:00', '02:00']);
    const example = await stack.execute(CREATE, { input: { name: 'q', schedule: { startTimes: ['02:00', '22:00'], frequencyDays: 1, retentionCount: 3 } } });
    expect(example.errors).toBeUndefined();
  });

  it('rejects a schedule with neither frequency nor week days, and a retention count out of range', async () => {
    const noFrequency = await stack.execute(CREATE, { input: { name: 'p', schedule: { startTimes: ['12:00'], retentionCount: 3 } } });
    expect(noFrequency.errors?.[0]).toEqual(badInput({ field: 'input.schedule.frequencyDays', message: 'input.schedule.frequencyDays: or week_frequency is mandatory' }));
    const count = await stack.execute(CREATE, { input: { name: 'p', schedule: { startTimes: ['12:00'], frequencyDays: 1, retentionCount: 1 } } });
    expect(count.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.schedule.retentionCount' });
    const day = await stack.execute(CREATE, { input: { name: 'p', schedule: { startTimes: ['12:00'], weekDays: ['UNKNOWN'], retentionCount: 3 } } });
    expect(day.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.schedule.weekDays[0]' });
    expect(stack.calls()).toEqual([]);
  });

  it('turns a policy off and changes its schedule', async () => {
    const id = await createVbsPolicy('p1');
    stack.clearCalls();
    const res = await stack.execute(
      `mutation ($input: UpdateVbsPolicyInput!) { updateVbsPolicy(input: $input) { policyId policy { name schedule { enabled startTimes frequencyDays retentionCount retentionDays } } } }`,
      { input: { id, name: 'p1_renamed', schedule: { enabled: false, startTimes: ['04:00'], retentionDays: 14 } } },
    );
    expect(res).toEqual({
      data: {
        updateVbsPolicy: {
          policyId: id,
          policy: { name: 'p1_renamed', schedule: { enabled: false, startTimes: ['04:00'], frequencyDays: 1, retentionCount: null, retentionDays: 14 } },
        },
      },
    });
    expect(stack.calls()).toEqual([`PUT /v2/${P}/backuppolicy/${id}`, `GET /v2/${P}/backuppolicy`]);
  });

  it.each([
    [{}, 'input', 'must change at least one of name, schedule or timeZone'],
    [{ schedule: {} }, 'input.schedule', 'must change at least one setting'],
    [{ schedule: { startTimes: ['04:00', '04:00'] } }, 'input.schedule.startTimes', 'must not repeat a time: 04:00'],
    [{ timeZone: 'UTC+00:00', schedule: { startTimes: ['22:00', '02:00'] } }, 'input.schedule.startTimes', 'must be in ascending order of local time (UTC+00:00) without repeats: 22:00 is followed by 02:00'],
  ])('refuses the update %j at %s, before any upstream call (the upstream answers AutoBackup.0001 / .0103)', async (change, field, message) => {
    const res = await stack.execute(`mutation ($input: UpdateVbsPolicyInput!) { updateVbsPolicy(input: $input) { policyId } }`, { input: { id: 'p', ...change } });
    expect(res.data).toEqual({ updateVbsPolicy: null });
    expectBadInput(res, { field, message: `${field}: ${message}` });
    expect(stack.calls()).toEqual([]);
  });

  it('leaves the order of new start times without a new time zone to the upstream, which knows the stored one', async () => {
    const create = await stack.execute(CREATE, {
      input: { name: 'p', timeZone: 'UTC+05:00', schedule: { startTimes: ['02:00'], frequencyDays: 1, retentionCount: 3 } },
    });
    const id = create.data.createVbsPolicy.policyId;
    // 22:00 and 02:00 UTC are 03:00 and 07:00 at UTC+05:00: ascending there.
    const res = await stack.execute(`mutation ($id: ID!) { updateVbsPolicy(input: { id: $id, schedule: { startTimes: ["22:00", "02:00"] } }) { policy { schedule { startTimes } } } }`, { id });
    expect(res).toEqual({ data: { updateVbsPolicy: { policy: { schedule: { startTimes: ['22:00', '02:00'] } } } } });
  });

  it('fails to change a policy that does not exist with NOT_FOUND carrying the VBS error', async () => {
    const res = await stack.execute(`mutation { updateVbsPolicy(input: { id: "nope", name: "x" }) { policyId } }`);
    expect(res.data).toEqual({ updateVbsPolicy: null });
    expect(res.errors).toEqual([
      upstreamRefusal({ code: 'NOT_FOUND', status: 404, upstreamCode: 'AutoBackup.0205', message: 'The policy does not exist: backup policy nope does not exist' }),
    ]);
  });

  it('deletes a policy; it is gone from the list', async () => {
    const id = await createVbsPolicy('p1');
    stack.clearCalls();
    const res = await stack.execute(`mutation ($id: ID!) { deleteVbsPolicy(input: { id: $id }) { deletedVbsPolicyId } }`, { id });
    expect(res).toEqual({ data: { deleteVbsPolicy: { deletedVbsPolicyId: id } } });
    expect(await stack.execute(`query ($id: ID!) { vbsPolicy(id: $id) { id } }`, { id })).toEqual({ data: { vbsPolicy: null } });
    expect(stack.calls()).toEqual([`DELETE /v2/${P}/backuppolicy/${id}`, `GET /v2/${P}/backuppolicy`]);
  });

  it('runs a policy at once', async () => {
    const id = await createVbsPolicy('p1');
    stack.clearCalls();
    const res = await stack.execute(`mutation ($id: ID!) { executeVbsPolicy(input: { id: $id }) { policyId } }`, { id });
    expect(res).toEqual({ data: { executeVbsPolicy: { policyId: id } } });
    expect(stack.calls()).toEqual([`POST /v2/${P}/backuppolicy/${id}/action`]);
  });
});

describe('VBS policy queries', () => {
  it('derives the lookup by id from ONE list call, however many ids are asked', async () => {
    const a = await createVbsPolicy('a');
    const b = await createVbsPolicy('b');
    stack.clearCalls();
    const res = await stack.execute(`query ($a: ID!, $b: ID!) { a: vbsPolicy(id: $a) { name } b: vbsPolicy(id: $b) { name } c: vbsPolicy(id: "nope") { name } all: vbsPolicies { totalCount } }`, { a, b });
    expect(res).toEqual({ data: { a: { name: 'a' }, b: { name: 'b' }, c: null, all: { totalCount: 2 } } });
    expect(stack.calls()).toEqual([`GET /v2/${P}/backuppolicy`]);
  });

  it('pages forwards over the list to the end', async () => {
    for (const name of ['p1', 'p2', 'p3']) await createVbsPolicy(name);
    stack.clearCalls();
    const PAGE = `query ($after: String) { vbsPolicies(first: 2, after: $after) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } totalCount } }`;
    const first = await stack.execute(PAGE, { after: null });
    const second = await stack.execute(PAGE, { after: first.data.vbsPolicies.pageInfo.endCursor });
    expect([...first.data.vbsPolicies.edges, ...second.data.vbsPolicies.edges].map((e: { node: { name: string } }) => e.node.name)).toEqual(['p1', 'p2', 'p3']);
    expect(first.data.vbsPolicies.pageInfo.hasNextPage).toBe(true);
    expect(second.data.vbsPolicies.pageInfo).toEqual({ hasNextPage: false, endCursor: second.data.vbsPolicies.edges[0].cursor });
    expect(second.data.vbsPolicies.totalCount).toBe(3);
    expect(stack.calls()).toEqual([`GET /v2/${P}/backuppolicy`, `GET /v2/${P}/backuppolicy`]);
  });
});

describe('associateVbsPolicyResources / disassociateVbsPolicyResources', () => {
  it('answers the outcome per disk: successes with placement, failures with code and message', async () => {
    const id = await createVbsPolicy('p1');
    const volume = addVolume(stack.emu.emulator, P, { name: 'data', az: 'eu-de-02' });
    const server = addServer(stack.emu.emulator, P);
    stack.clearCalls();
    const res = await stack.execute(
      `mutation ($input: AssociateVbsPolicyResourcesInput!) { associateVbsPolicyResources(input: $input) {
        succeeded { resourceId resourceType availabilityZone pod errorCode errorMessage }
        failed { resourceId resourceType availabilityZone pod errorCode errorMessage }
        policy { resourceCount } } }`,
      { input: { policyId: id, resourceIds: [volume.id, server.id] } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.associateVbsPolicyResources).toEqual({
      succeeded: [{ resourceId: volume.id, resourceType: 'volume', availabilityZone: 'eu-de-02', pod: expect.any(String), errorCode: null, errorMessage: null }],
      failed: [
        {
          resourceId: server.id,
          resourceType: 'volume',
          availabilityZone: null,
          pod: null,
          errorCode: 'AutoBackup.1400',
          errorMessage: `The resource to be associated is invalid: resource ${server.id} is not an EVS disk`,
        },
      ],
      policy: { resourceCount: 1 },
    });
    expect(stack.calls()).toEqual([`POST /v2/${P}/backuppolicyresources`, `GET /v2/${P}/backuppolicy`]);
  });

  it('disassociates per disk', async () => {
    const id = await createVbsPolicy('p1');
    const volume = addVolume(stack.emu.emulator, P);
    await stack.execute(`mutation ($p: ID!, $v: ID!) { associateVbsPolicyResources(input: { policyId: $p, resourceIds: [$v] }) { succeeded { resourceId } } }`, { p: id, v: volume.id });
    stack.clearCalls();
    const res = await stack.execute(
      `mutation ($p: ID!, $v: ID!) { disassociateVbsPolicyResources(input: { policyId: $p, resourceIds: [$v, "other"] }) { succeeded { resourceId } failed { resourceId errorCode } policy { resourceCount } } }`,
      { p: id, v: volume.id },
    );
    expect(res).toEqual({
      data: {
        disassociateVbsPolicyResources: {
          succeeded: [{ resourceId: volume.id }],
          failed: [{ resourceId: 'other', errorCode: 'AutoBackup.1400' }],
          policy: { resourceCount: 0 },
        },
      },
    });
    expect(stack.calls()).toEqual([`POST /v2/${P}/backuppolicyresources/${id}/deleted_resources`, `GET /v2/${P}/backuppolicy`]);
  });

  it('rejects an empty id list naming input.resourceIds and an empty id naming its index', async () => {
    const empty = await stack.execute(`mutation { associateVbsPolicyResources(input: { policyId: "p", resourceIds: [] }) { policy { id } } }`);
    expect(empty.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.resourceIds' });
    const blank = await stack.execute(`mutation { disassociateVbsPolicyResources(input: { policyId: "p", resourceIds: ["a", ""] }) { policy { id } } }`);
    expect(blank.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.resourceIds[1]' });
    expect(stack.calls()).toEqual([]);
  });
});
