import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import {
  ListVbsBackupTasksResponse,
  ListVbsPoliciesResponse,
  VbsPolicyResourcesResponse,
} from '../../src/upstream/schemas/vbs-policy';
import type { CloudResource } from '../../src/emulator/state';

const VOL_A = '0f187b65-8d0e-4fc0-9096-3b55d330531e';
const VOL_B = '0f187b65-8d0e-4fc0-9096-3b55d330531d';
const VOL_C = 'bce8d47a-af17-4169-901f-4c7ae9f29c2c';
const SERVER = '5b5b6c37-8cb4-4b48-b3b3-0e9cd4a5c8a1';

const validPolicy = {
  backup_policy_name: 'policy_01',
  scheduled_policy: { remain_first_backup_of_curMonth: 'Y', rentention_num: 10, frequency: 1, start_time: '12:00', status: 'ON' },
};

let emu: TestEmulator;
let base: string;

function addResource(resource: CloudResource): void {
  emu.emulator.state.project(emu.project.id).cloudResources.set(resource.id, resource);
}

async function createPolicy(body: unknown = validPolicy): Promise<string> {
  const res = await emu.call('POST', `${base}/backuppolicy`, body);
  expect(res.status).toBe(200);
  return res.body.backup_policy_id;
}

async function listPolicies(): Promise<any[]> {
  const res = await emu.call('GET', `${base}/backuppolicy`);
  expect(res.status).toBe(200);
  return ListVbsPoliciesResponse.parse(res.body).backup_policies;
}

function vbsErr(code: string, message: string) {
  return { error: { code, message } };
}

beforeEach(async () => {
  emu = await startTestEmulator();
  base = `/v2/${emu.project.id}`;
  addResource({ id: VOL_A, type: 'OS::Cinder::Volume', name: 'data-a', sizeGb: 40, availabilityZone: 'eu-de-01' });
  addResource({ id: VOL_B, type: 'OS::Cinder::Volume', name: 'data-b', sizeGb: 100, availabilityZone: 'eu-de-02' });
  addResource({ id: VOL_C, type: 'OS::Cinder::Volume', name: 'data-c', sizeGb: 10, availabilityZone: 'eu-de-01' });
  addResource({
    id: SERVER,
    type: 'OS::Nova::Server',
    name: 'web-01',
    sizeGb: 40,
    availabilityZone: 'eu-de-01',
    disks: [{ id: 'disk-1', name: 'web-01-sys', sizeGb: 40, bootable: true }],
  });
});
afterEach(() => emu.close());

describe('VBS v2 create and list policies', () => {
  it('creates a policy and lists it with the service spelling rentention_* and a zero resource count', async () => {
    const id = await createPolicy();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await listPolicies()).toEqual([
      {
        backup_policy_id: id,
        backup_policy_name: 'policy_01',
        scheduled_policy: { remain_first_backup_of_curMonth: 'Y', rentention_num: 10, frequency: 1, start_time: '12:00', status: 'ON' },
        policy_resource_count: 0,
      },
    ]);
  });

  it('answers exactly {"backup_policy_id"} on create', async () => {
    const res = await emu.call('POST', `${base}/backuppolicy`, validPolicy);
    expect(res.body).toEqual({ backup_policy_id: expect.any(String) });
  });

  it('keeps frequency and rentention_num when both alternatives are given, floors rentention_day, keeps time_zone at top level', async () => {
    const both = await createPolicy({
      backup_policy_name: 'both',
      scheduled_policy: { start_time: '01:00', frequency: 3, week_frequency: ['MON'], rentention_num: 5, rentention_day: 30, status: 'OFF' },
    });
    const weekly = await createPolicy({
      backup_policy_name: 'weekly-01',
      scheduled_policy: { start_time: '22:00,00:00,02:00', week_frequency: ['SUN', 'WED'], rentention_day: 30.9, status: 'ON' },
      tags: [{ key: 'env', value: 'prod' }],
      time_zone: 'UTC+02:00',
    });
    expect(await listPolicies()).toEqual([
      {
        backup_policy_id: both,
        backup_policy_name: 'both',
        scheduled_policy: { start_time: '01:00', frequency: 3, rentention_num: 5, remain_first_backup_of_curMonth: 'N', status: 'OFF' },
        policy_resource_count: 0,
      },
      {
        backup_policy_id: weekly,
        backup_policy_name: 'weekly-01',
        scheduled_policy: { start_time: '22:00,00:00,02:00', week_frequency: ['SUN', 'WED'], rentention_day: 30, remain_first_backup_of_curMonth: 'N', status: 'ON' },
        policy_resource_count: 0,
        time_zone: 'UTC+02:00',
      },
    ]);
  });

  it('refuses the 11th policy of a tenant with AutoBackup.0203', async () => {
    for (let i = 0; i < 10; i++) await createPolicy({ ...validPolicy, backup_policy_name: `p${i}` });
    const res = await emu.call('POST', `${base}/backuppolicy`, { ...validPolicy, backup_policy_name: 'p10' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(
      vbsErr('AutoBackup.0203', 'The number of existing backup policies has reached the upper limit: a tenant can create at most 10 backup policies'),
    );
    expect(await listPolicies()).toHaveLength(10);
  });

  it('keeps policies of one project invisible to another', async () => {
    await createPolicy();
    const res = await emu.call('GET', `/v2/${emu.otherProject.id}/backuppolicy`, undefined, { token: emu.otherProject.token });
    expect(res).toMatchObject({ status: 200, body: { backup_policies: [] } });
  });

  it('requires a token scoped to the project (API gateway error shape)', async () => {
    const res = await emu.call('GET', `${base}/backuppolicy`, undefined, { token: null });
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('APIGW.0301');
  });
});

describe('VBS v2 create validation', () => {
  const sched = validPolicy.scheduled_policy;
  const cases: Array<[string, unknown, string, string]> = [
    ['an empty object', {}, 'AutoBackup.0001', 'The object contained in the request is empty.'],
    ['a missing name', { scheduled_policy: sched }, 'AutoBackup.0101', 'The length of the backup policy name is invalid: backup_policy_name is mandatory'],
    ['an empty name', { ...validPolicy, backup_policy_name: '' }, 'AutoBackup.0101', 'The length of the backup policy name is invalid: backup_policy_name must be at least 1 characters long'],
    ['a 65-character name', { ...validPolicy, backup_policy_name: 'a'.repeat(65) }, 'AutoBackup.0101', 'The length of the backup policy name is invalid: backup_policy_name must be at most 64 characters long'],
    ['a name with a space', { ...validPolicy, backup_policy_name: 'my policy' }, 'AutoBackup.0102', 'The parameter of the backup policy name is invalid: backup_policy_name must contain only letters, digits, underscores and hyphens'],
    ['a name starting with default', { ...validPolicy, backup_policy_name: 'default_daily' }, 'AutoBackup.0102', 'The parameter of the backup policy name is invalid: backup_policy_name must not start with "default"'],
    ['a missing scheduled_policy', { backup_policy_name: 'x' }, 'AutoBackup.0001', 'The object contained in the request is empty: scheduled_policy is mandatory'],
    ['a start time off the full hour', { ...validPolicy, scheduled_policy: { ...sched, start_time: '12:30' } }, 'AutoBackup.0103', 'The parameter of the backup job start time is invalid: scheduled_policy.start_time must be HH:mm on full hours, comma-separated (e.g. "12:00" or "22:00,02:00")'],
    ['a start time of 24:00', { ...validPolicy, scheduled_policy: { ...sched, start_time: '24:00' } }, 'AutoBackup.0103', 'The parameter of the backup job start time is invalid: scheduled_policy.start_time must be HH:mm on full hours, comma-separated (e.g. "12:00" or "22:00,02:00")'],
    ['start times not ascending by local time', { ...validPolicy, scheduled_policy: { ...sched, start_time: '22:00,00:00' } }, 'AutoBackup.0103', 'The parameter of the backup job start time is invalid: scheduled_policy.start_time 22:00,00:00 must be in ascending order by local time (UTC+00:00) without repeats'],
    ['a frequency of 15 days', { ...validPolicy, scheduled_policy: { ...sched, frequency: 15 } }, 'AutoBackup.0106', 'The parameter of the backup job interval is invalid: scheduled_policy.frequency must be at most 14'],
    ['a frequency given as a string', { ...validPolicy, scheduled_policy: { ...sched, frequency: '1' } }, 'AutoBackup.0106', 'The parameter of the backup job interval is invalid: scheduled_policy.frequency must be a number'],
    ['a frequency of 0 days', { ...validPolicy, scheduled_policy: { ...sched, frequency: 0 } }, 'AutoBackup.0106', 'The parameter of the backup job interval is invalid: scheduled_policy.frequency must be at least 1'],
    ['an unknown week day', { ...validPolicy, scheduled_policy: { ...sched, frequency: undefined, week_frequency: ['SUNDAY'] } }, 'AutoBackup.0106', 'The parameter of the backup job interval is invalid: scheduled_policy.week_frequency.0 must be one of "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"'],
    ['neither frequency nor week_frequency', { ...validPolicy, scheduled_policy: { ...sched, frequency: undefined } }, 'AutoBackup.0106', 'The parameter of the backup job interval is invalid: scheduled_policy.frequency or week_frequency is mandatory'],
    ['a rentention_num of 1', { ...validPolicy, scheduled_policy: { ...sched, rentention_num: 1 } }, 'AutoBackup.0107', 'The parameter of the number of retained backups is invalid: scheduled_policy.rentention_num must be at least 2'],
    ['a rentention_num of 100', { ...validPolicy, scheduled_policy: { ...sched, rentention_num: 100 } }, 'AutoBackup.0107', 'The parameter of the number of retained backups is invalid: scheduled_policy.rentention_num must be at most 99'],
    ['a rentention_day of 100000', { ...validPolicy, scheduled_policy: { ...sched, rentention_num: undefined, rentention_day: 100000 } }, 'AutoBackup.0107', 'The parameter of the number of retained backups is invalid: scheduled_policy.rentention_day must be at most 99999'],
    ['neither rentention_num nor rentention_day', { ...validPolicy, scheduled_policy: { ...sched, rentention_num: undefined } }, 'AutoBackup.0107', 'The parameter of the number of retained backups is invalid: scheduled_policy.rentention_num or rentention_day is mandatory'],
    ['the correctly spelled retention_num', { ...validPolicy, scheduled_policy: { ...sched, retention_num: 3 } }, 'AutoBackup.0008', 'Failed to convert the request into a JSON object: invalid key scheduled_policy.retention_num'],
    ['remain_first_backup_of_curMonth of "yes"', { ...validPolicy, scheduled_policy: { ...sched, remain_first_backup_of_curMonth: 'yes' } }, 'AutoBackup.0105', 'The parameter of whether to retain the first backup in the current month is invalid: scheduled_policy.remain_first_backup_of_curMonth must be one of "Y", "N"'],
    ['a missing status', { ...validPolicy, scheduled_policy: { ...sched, status: undefined } }, 'AutoBackup.0104', 'The parameter of the backup policy status is invalid: scheduled_policy.status is mandatory'],
    ['a status of "on"', { ...validPolicy, scheduled_policy: { ...sched, status: 'on' } }, 'AutoBackup.0104', 'The parameter of the backup policy status is invalid: scheduled_policy.status must be one of "ON", "OFF"'],
    ['eleven tags', { ...validPolicy, tags: Array.from({ length: 11 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }, 'AutoBackup.0215', 'The number of tags has reached the upper limit: tags must contain at most 10 items'],
    ['a 37-character tag key', { ...validPolicy, tags: [{ key: 'k'.repeat(37), value: 'v' }] }, 'AutoBackup.0214', 'The tag parameter is invalid: tags.0.key must be at most 36 characters long'],
    ['a 44-character tag value', { ...validPolicy, tags: [{ key: 'k', value: 'v'.repeat(44) }] }, 'AutoBackup.0214', 'The tag parameter is invalid: tags.0.value must be at most 43 characters long'],
    ['a tag value with a dot', { ...validPolicy, tags: [{ key: 'k', value: 'v1.0' }] }, 'AutoBackup.0214', 'The tag parameter is invalid: tags.0.value must contain only letters, digits, underscores and hyphens'],
    ['a repeated tag key', { ...validPolicy, tags: [{ key: 'k', value: 'a' }, { key: 'k', value: 'b' }] }, 'AutoBackup.0214', 'The tag parameter is invalid: tags must not repeat a key'],
    ['a time zone without UTC prefix', { ...validPolicy, time_zone: '+08:00' }, 'AutoBackup.0226', 'The time zone parameter is invalid: time_zone must be UTC+HH:mm or UTC-HH:mm'],
    ['time_zone inside scheduled_policy', { ...validPolicy, scheduled_policy: { ...sched, time_zone: 'UTC+01:00' } }, 'AutoBackup.0008', 'Failed to convert the request into a JSON object: invalid key scheduled_policy.time_zone'],
    ['an unknown top-level key', { ...validPolicy, description: 'x' }, 'AutoBackup.0008', 'Failed to convert the request into a JSON object: invalid key description'],
  ];

  it.each(cases)('rejects %s', async (_, body, code, message) => {
    const res = await emu.call('POST', `${base}/backuppolicy`, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(vbsErr(code, message));
    expect(await listPolicies()).toEqual([]);
  });

  it('rejects a request without a body with AutoBackup.0000', async () => {
    const res = await emu.call('POST', `${base}/backuppolicy`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(vbsErr('AutoBackup.0000', 'The request is empty.'));
  });

  it('rejects a body that is not JSON with AutoBackup.0008', async () => {
    const res = await emu.call('POST', `${base}/backuppolicy`, '{"backup_policy_name":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(vbsErr('AutoBackup.0008', 'Invalid JSON format of the request body.'));
  });

  it('accepts start times that ascend by local time once time_zone is given', async () => {
    await createPolicy({ ...validPolicy, scheduled_policy: { ...validPolicy.scheduled_policy, start_time: '22:00,00:00' }, time_zone: 'UTC+02:00' });
    expect((await listPolicies())[0].scheduled_policy.start_time).toBe('22:00,00:00');
  });
});

describe('VBS v2 modify and delete policies', () => {
  it('renames, switches to weekly, disables and answers the whole policy', async () => {
    const id = await createPolicy();
    const res = await emu.call('PUT', `${base}/backuppolicy/${id}`, {
      backup_policy_name: 'Test_02',
      scheduled_policy: { week_frequency: ['MON', 'FRI'], rentention_day: 14, start_time: '10:00', status: 'OFF' },
    });
    const expected = {
      backup_policy_id: id,
      backup_policy_name: 'Test_02',
      scheduled_policy: { remain_first_backup_of_curMonth: 'Y', week_frequency: ['MON', 'FRI'], rentention_day: 14, start_time: '10:00', status: 'OFF' },
      policy_resource_count: 0,
    };
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expected);
    expect(await listPolicies()).toEqual([expected]);
  });

  it('enables or disables with only scheduled_policy.status and leaves everything else alone', async () => {
    const id = await createPolicy();
    const res = await emu.call('PUT', `${base}/backuppolicy/${id}`, { scheduled_policy: { status: 'OFF' } });
    expect(res.status).toBe(200);
    expect(res.body.scheduled_policy).toEqual({ ...validPolicy.scheduled_policy, status: 'OFF' });
  });

  it('checks the local-time order of start times against the stored time zone', async () => {
    const id = await createPolicy({ ...validPolicy, time_zone: 'UTC-03:00' });
    const res = await emu.call('PUT', `${base}/backuppolicy/${id}`, { scheduled_policy: { start_time: '02:00,04:00' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(
      vbsErr(
        'AutoBackup.0103',
        'The parameter of the backup job start time is invalid: scheduled_policy.start_time 02:00,04:00 must be in ascending order by local time (UTC-03:00) without repeats',
      ),
    );
    const fixed = await emu.call('PUT', `${base}/backuppolicy/${id}`, { scheduled_policy: { start_time: '04:00,02:00' }, time_zone: 'UTC+01:00' });
    expect(fixed.status).toBe(400);
    const ok = await emu.call('PUT', `${base}/backuppolicy/${id}`, { scheduled_policy: { start_time: '02:00,04:00' }, time_zone: 'UTC+01:00' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ time_zone: 'UTC+01:00', scheduled_policy: { start_time: '02:00,04:00' } });
  });

  it('rejects invalid modify values with the field code', async () => {
    const id = await createPolicy();
    const res = await emu.call('PUT', `${base}/backuppolicy/${id}`, { scheduled_policy: { frequency: 30 } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(vbsErr('AutoBackup.0106', 'The parameter of the backup job interval is invalid: scheduled_policy.frequency must be at most 14'));
  });

  it('does not accept tags on modify', async () => {
    const id = await createPolicy();
    const res = await emu.call('PUT', `${base}/backuppolicy/${id}`, { tags: [{ key: 'k', value: 'v' }] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(vbsErr('AutoBackup.0008', 'Failed to convert the request into a JSON object: invalid key tags'));
  });

  it('answers 404 AutoBackup.0205 for an unknown policy on modify, delete and execute', async () => {
    const missing = '11111111-2222-4333-a444-555555555555';
    const message = `The policy does not exist: backup policy ${missing} does not exist`;
    for (const [method, path, body] of [
      ['PUT', `${base}/backuppolicy/${missing}`, { backup_policy_name: 'x' }],
      ['DELETE', `${base}/backuppolicy/${missing}`, undefined],
      ['POST', `${base}/backuppolicy/${missing}/action`, undefined],
      ['GET', `${base}/backuppolicy/${missing}/backuptasks`, undefined],
    ] as const) {
      const res = await emu.call(method, path, body);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(vbsErr('AutoBackup.0205', message));
    }
  });

  it('deletes a policy with 204 and frees its volumes for another policy', async () => {
    const id = await createPolicy();
    await emu.call('POST', `${base}/backuppolicyresources`, { backup_policy_id: id, resources: [{ resource_id: VOL_A, resource_type: 'volume' }] });
    const res = await emu.call('DELETE', `${base}/backuppolicy/${id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(await listPolicies()).toEqual([]);
    const project = emu.emulator.state.project(emu.project.id);
    expect([...project.vbsPolicyResources.keys()]).toEqual([]);
  });
});

describe('VBS v2 associate resources', () => {
  it('answers per resource: success with AZ and POD, failures with code and message', async () => {
    const id = await createPolicy();
    const res = await emu.call('POST', `${base}/backuppolicyresources`, {
      backup_policy_id: id,
      resources: [
        { resource_id: VOL_A, resource_type: 'volume' },
        { resource_id: VOL_B, resource_type: 'volume' },
        { resource_id: 'no-such-volume', resource_type: 'volume' },
        { resource_id: SERVER, resource_type: 'volume' },
        { resource_id: VOL_C, resource_type: 'server' },
        { resource_id: VOL_A, resource_type: 'volume' },
      ],
    });
    expect(res.status).toBe(200);
    expect(VbsPolicyResourcesResponse.parse(res.body)).toEqual(res.body);
    expect(res.body).toEqual({
      success_resources: [
        { resource_id: VOL_A, resource_type: 'volume', availability_zone: 'eu-de-01', os_vol_host_attr: 'pod01.eu-de-01' },
        { resource_id: VOL_B, resource_type: 'volume', availability_zone: 'eu-de-02', os_vol_host_attr: 'pod01.eu-de-02' },
      ],
      fail_resources: [
        { resource_id: 'no-such-volume', resource_type: 'volume', code: 'AutoBackup.1400', message: 'The resource to be associated is invalid: volume no-such-volume does not exist' },
        { resource_id: SERVER, resource_type: 'volume', code: 'AutoBackup.1400', message: `The resource to be associated is invalid: resource ${SERVER} is not an EVS disk` },
        {
          resource_id: VOL_C,
          resource_type: 'server',
          availability_zone: 'eu-de-01',
          os_vol_host_attr: 'pod01.eu-de-01',
          code: 'AutoBackup.0211',
          message: 'The resource type is invalid: resource_type "server" must be "volume"',
        },
        {
          resource_id: VOL_A,
          resource_type: 'volume',
          availability_zone: 'eu-de-01',
          os_vol_host_attr: 'pod01.eu-de-01',
          code: 'AutoBackup.1400',
          message: `The resource to be associated is invalid: volume ${VOL_A} is already associated with backup policy ${id}`,
        },
      ],
    });
    expect((await listPolicies())[0].policy_resource_count).toBe(2);
  });

  it('moves a volume from its previous policy (a disk belongs to one policy at most)', async () => {
    const first = await createPolicy({ ...validPolicy, backup_policy_name: 'first' });
    const second = await createPolicy({ ...validPolicy, backup_policy_name: 'second' });
    await emu.call('POST', `${base}/backuppolicyresources`, {
      backup_policy_id: first,
      resources: [{ resource_id: VOL_A, resource_type: 'volume' }, { resource_id: VOL_B, resource_type: 'volume' }],
    });
    const res = await emu.call('POST', `${base}/backuppolicyresources`, { backup_policy_id: second, resources: [{ resource_id: VOL_A, resource_type: 'volume' }] });
    expect(res.body.success_resources).toEqual([{ resource_id: VOL_A, resource_type: 'volume', availability_zone: 'eu-de-01', os_vol_host_attr: 'pod01.eu-de-01' }]);
    expect((await listPolicies()).map((p) => [p.backup_policy_name, p.policy_resource_count])).toEqual([['first', 1], ['second', 1]]);
  });

  it('answers 404 AutoBackup.0205 for an unknown policy', async () => {
    const res = await emu.call('POST', `${base}/backuppolicyresources`, { backup_policy_id: 'nope', resources: [{ resource_id: VOL_A, resource_type: 'volume' }] });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(vbsErr('AutoBackup.0205', 'The policy does not exist: backup policy nope does not exist'));
  });

  const cases: Array<[string, unknown, string, string]> = [
    ['a missing policy id', { resources: [{ resource_id: VOL_A, resource_type: 'volume' }] }, 'AutoBackup.0006', 'The policy ID contained in the request is empty: backup_policy_id is mandatory'],
    ['an empty resource list', { backup_policy_id: 'p', resources: [] }, 'AutoBackup.0207', 'The resource to be associated is empty: resources must contain at least 1 items'],
    ['a missing resource list', { backup_policy_id: 'p' }, 'AutoBackup.0207', 'The resource to be associated is empty: resources is mandatory'],
    ['an empty resource id', { backup_policy_id: 'p', resources: [{ resource_id: '', resource_type: 'volume' }] }, 'AutoBackup.0209', 'The resource ID or name is empty: resources.0.resource_id must be at least 1 characters long'],
    ['a missing resource type', { backup_policy_id: 'p', resources: [{ resource_id: VOL_A }] }, 'AutoBackup.0211', 'The resource type is invalid: resources.0.resource_type is mandatory'],
  ];
  it.each(cases)('rejects %s', async (_, body, code, message) => {
    const res = await emu.call('POST', `${base}/backuppolicyresources`, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(vbsErr(code, message));
  });
});

describe('VBS v2 disassociate resources', () => {
  it('answers per resource and updates policy_resource_count', async () => {
    const id = await createPolicy();
    await emu.call('POST', `${base}/backuppolicyresources`, {
      backup_policy_id: id,
      resources: [{ resource_id: VOL_A, resource_type: 'volume' }, { resource_id: VOL_B, resource_type: 'volume' }],
    });
    const res = await emu.call('POST', `${base}/backuppolicyresources/${id}/deleted_resources`, {
      resources: [{ resource_id: VOL_A }, { resource_id: VOL_C }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success_resources: [{ resource_id: VOL_A }],
      fail_resources: [
        { resource_id: VOL_C, code: 'AutoBackup.1400', message: `The resource to be associated is invalid: resource ${VOL_C} is not associated with backup policy ${id}` },
      ],
    });
    expect((await listPolicies())[0].policy_resource_count).toBe(1);
  });

  it('answers 404 AutoBackup.0205 for an unknown policy', async () => {
    const res = await emu.call('POST', `${base}/backuppolicyresources/nope/deleted_resources`, { resources: [{ resource_id: VOL_A }] });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(vbsErr('AutoBackup.0205', 'The policy does not exist: backup policy nope does not exist'));
  });

  it('rejects an empty resource list with AutoBackup.0207 and a resource_type key with AutoBackup.0008', async () => {
    const id = await createPolicy();
    const empty = await emu.call('POST', `${base}/backuppolicyresources/${id}/deleted_resources`, { resources: [] });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual(vbsErr('AutoBackup.0207', 'The resource to be associated is empty: resources must contain at least 1 items'));
    const extra = await emu.call('POST', `${base}/backuppolicyresources/${id}/deleted_resources`, { resources: [{ resource_id: VOL_A, resource_type: 'volume' }] });
    expect(extra.status).toBe(400);
    expect(extra.body).toEqual(vbsErr('AutoBackup.0008', 'Failed to convert the request into a JSON object: invalid key resources.0.resource_type'));
  });
});

describe('VBS v2 execute at once and backup jobs', () => {
  async function policyWith(volumes: string[]): Promise<string> {
    const id = await createPolicy();
    await emu.call('POST', `${base}/backuppolicyresources`, {
      backup_policy_id: id,
      resources: volumes.map((resource_id) => ({ resource_id, resource_type: 'volume' })),
    });
    return id;
  }

  it('answers 204 and records one finished backup job per associated volume', async () => {
    const id = await policyWith([VOL_A, VOL_B]);
    const res = await emu.call('POST', `${base}/backuppolicy/${id}/action`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    const jobs = await emu.call('GET', `${base}/backuppolicy/${id}/backuptasks`);
    expect(jobs.status).toBe(200);
    const now = new Date(emu.emulator.clock.now()).toISOString().slice(0, 10);
    expect(ListVbsBackupTasksResponse.parse(jobs.body)).toEqual(jobs.body);
    expect(jobs.body.count).toBe(2);
    for (const task of jobs.body.tasks) {
      expect(task).toEqual({
        job_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'EXECUTE_SUCCESS',
        created_at: expect.stringMatching(new RegExp(`^${now}T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$`)),
        finished_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/),
        backup_name: expect.stringMatching(/^autobk_[0-9a-f]{4}$/),
        resource_id: expect.any(String),
        resource_type: 'volume',
        vbs_job_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    }
    expect(jobs.body.tasks.map((t: { resource_id: string }) => t.resource_id).sort()).toEqual([VOL_A, VOL_B].sort());
  });

  it('keeps jobs RUNNING until the lifecycle step, refuses a second execution meanwhile, and fails a vanished volume', async () => {
    await emu.close();
    emu = await startTestEmulator({ lifecycle: 'manual' });
    base = `/v2/${emu.project.id}`;
    addResource({ id: VOL_A, type: 'OS::Cinder::Volume', name: 'data-a', sizeGb: 40, availabilityZone: 'eu-de-01' });
    addResource({ id: VOL_B, type: 'OS::Cinder::Volume', name: 'data-b', sizeGb: 40, availabilityZone: 'eu-de-01' });
    const id = await policyWith([VOL_A, VOL_B]);
    expect((await emu.call('POST', `${base}/backuppolicy/${id}/action`)).status).toBe(204);

    const running = await emu.call('GET', `${base}/backuppolicy/${id}/backuptasks?status=RUNNING`);
    expect(running.body.count).toBe(2);
    expect(running.body.tasks.every((t: { finished_at?: string }) => t.finished_at === undefined)).toBe(true);

    const again = await emu.call('POST', `${base}/backuppolicy/${id}/action`);
    expect(again.status).toBe(400);
    expect(again.body).toEqual(vbsErr('AutoBackup.0225', `The policy is being executed: backup policy ${id} still has running backup jobs`));

    emu.emulator.state.project(emu.project.id).cloudResources.delete(VOL_B);
    emu.emulator.clock.advance(1_000);
    const done = await emu.call('GET', `${base}/backuppolicy/${id}/backuptasks?sort_dir=asc`);
    expect(done.body.tasks.map((t: { resource_id: string; status: string }) => [t.resource_id, t.status])).toEqual([
      [VOL_A, 'EXECUTE_SUCCESS'],
      [VOL_B, 'EXECUTE_FAIL'],
    ]);
  });

  it('pages jobs with limit, offset and marker and filters by job_id; count is the total', async () => {
    const id = await policyWith([VOL_A, VOL_B, VOL_C]);
    await emu.call('POST', `${base}/backuppolicy/${id}/action`);
    const all = (await emu.call('GET', `${base}/backuppolicy/${id}/backuptasks?sort_dir=asc&sort_key=created_at`)).body.tasks;
    expect(all).toHaveLength(3);
    const page = await emu.call('GET', `${base}/backuppolicy/${id}/backuptasks?sort_dir=asc&limit=1&offset=1`);
    expect(page.body).toEqual({ tasks: [all[1]], count: 3 });
    const afterMarker = await emu.call('GET', `${base}/backuppolicy/${id}/backuptasks?sort_dir=asc&marker=${all[0].job_id}`);
    expect(afterMarker.body).toEqual({ tasks: [all[1], all[2]], count: 3 });
    const byId = await emu.call('GET', `${base}/backuppolicy/${id}/backuptasks?job_id=${all[2].job_id}`);
    expect(byId.body).toEqual({ tasks: [all[2]], count: 1 });
  });

  it('rejects an undocumented sort key', async () => {
    const id = await createPolicy();
    const res = await emu.call('GET', `${base}/backuppolicy/${id}/backuptasks?sort_key=name`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(vbsErr('VolumeBackup.0002', 'The request format is incorrect: sort_key must be one of "created_at"'));
  });

  it('executes a policy without volumes as a no-op', async () => {
    const id = await createPolicy();
    expect((await emu.call('POST', `${base}/backuppolicy/${id}/action`)).status).toBe(204);
    expect((await emu.call('GET', `${base}/backuppolicy/${id}/backuptasks`)).body).toEqual({ tasks: [], count: 0 });
  });
});
