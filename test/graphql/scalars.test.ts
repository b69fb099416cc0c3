import { describe, expect, it } from 'vitest';
import { GraphQLError, isEnumType, isInputObjectType, isObjectType, isScalarType, Kind } from 'graphql';
import { addServer, addVault, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { expectBadInput } from '../helpers/graphql';
import { useStack } from '../helpers/stack';
import { DateTimeScalar, normalizeDateTime } from '../../src/gateway/resolvers/scalars';
import { vaultStatus } from '../../src/gateway/enums';
import { createGatewaySchema } from '../../src/gateway/schema';

describe('DateTime', () => {
  it('normalises the upstream timestamp formats to ISO-8601 UTC with milliseconds', () => {
    expect(normalizeDateTime('2020-02-05T10:38:34.209782')).toBe('2020-02-05T10:38:34.209Z'); // vault: no zone = UTC
    expect(normalizeDateTime('2019-05-10T07:59:12.733+00:00')).toBe('2019-05-10T07:59:12.733Z'); // checkpoint
    expect(normalizeDateTime('2020-02-23T01:00:32Z')).toBe('2020-02-23T01:00:32.000Z'); // operation log
    expect(normalizeDateTime('2020-01-08 09:59:49')).toBe('2020-01-08T09:59:49.000Z'); // policy trigger
    expect(normalizeDateTime('2016-12-02T09:06:46.706')).toBe('2016-12-02T09:06:46.706Z'); // VBS job
  });

  it('converts other zones to UTC, across a day boundary', () => {
    expect(normalizeDateTime('2024-01-01T01:30:00+05:30')).toBe('2023-12-31T20:00:00.000Z');
    expect(normalizeDateTime('2024-01-01T23:00:00-0200')).toBe('2024-01-02T01:00:00.000Z');
  });

  it('refuses what is not a timestamp, including impossible dates', () => {
    for (const value of ['', 'yesterday', '2020-02-30T00:00:00Z', '2020-13-01 00:00:00', '2020-01-01T24:00:00Z', '2020-01-01', '1580899114']) {
      expect([value, normalizeDateTime(value)]).toEqual([value, undefined]);
    }
  });

  it('answers the edge cases of the common UTC formats exactly as the general path does', () => {
    expect(normalizeDateTime('2000-02-29 23:59:59.9999999')).toBe('2000-02-29T23:59:59.999Z'); // leap day, fraction truncated
    expect(normalizeDateTime('2020-01-01T00:00:00.1+0000')).toBe('2020-01-01T00:00:00.100Z');
    expect(normalizeDateTime('2020-01-01T00:00:00-00:00')).toBe('2020-01-01T00:00:00.000Z');
    expect(normalizeDateTime(' 2020-01-01T00:00:00Z ')).toBe('2020-01-01T00:00:00.000Z'); // trimmed
    for (const value of ['1900-02-29T00:00:00Z', '2021-04-31T00:00:00Z', '2020-01-01T00:00:60Z', '2020-01-01T00:00:00.Z', '2020-01-01T00:00:00.1234567891Z', '0099-01-01T00:00:00Z', '2020-01-01T00:00:00z']) {
      expect([value, normalizeDateTime(value)]).toEqual([value, undefined]);
    }
  });

  it('parses inputs the same way and names the expected format when it cannot', () => {
    expect(DateTimeScalar.parseValue('2024-05-01 12:00:00')).toBe('2024-05-01T12:00:00.000Z');
    expect(DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: '2024-05-01T14:00:00+02:00' }, {})).toBe('2024-05-01T12:00:00.000Z');
    expect(() => DateTimeScalar.parseValue('soon')).toThrow('DateTime expects an ISO-8601 timestamp such as 2024-05-01T12:00:00Z, got "soon"');
    expect(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '5' }, {})).toThrow('DateTime expects an ISO-8601 timestamp string');
  });

  it("refuses a bad input value with a GraphQL error coded BAD_USER_INPUT, the caller's mistake, not a bug", () => {
    let thrown: unknown;
    try {
      DateTimeScalar.parseValue(12345);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect(thrown).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('refuses zone offsets beyond ±23:59 and keeps the widest real ones', () => {
    for (const value of ['2026-11-23T01:04:00+99:99', '2026-11-23T01:04:00+24:00', '2026-11-23T01:04:00-23:60', '2026-11-23T01:04:00+0099', '2026-11-23T01:04:00-9900']) {
      expect([value, normalizeDateTime(value)]).toEqual([value, undefined]);
    }
    expect(normalizeDateTime('2026-11-23T01:04:00+23:59')).toBe('2026-11-22T01:05:00.000Z');
    expect(normalizeDateTime('2026-11-23T01:04:00-2359')).toBe('2026-11-24T01:03:00.000Z');
  });
});

describe('DateTime variables, interpreted (first run) and compiled (later runs)', () => {
  const stack = useStack({ gateway: { compileAfterRuns: 1 } });

  it('refuses a bad DateTime variable as BAD_USER_INPUT naming the variable, unmasked and not logged as a bug', async () => {
    const cases: Array<[string, unknown]> = [
      ['backups', 'nope'],
      ['backups', 12345],
      ['tasks', '2026-02-30T00:00:00Z'],
      ['tasks', '2026-11-23T01:04:00+99:99'],
    ];
    for (const [index, [field, value]] of cases.entries()) {
      const query = `query A${index}($s: DateTime) { ${field}(filter: { startTime: $s }) { totalCount } }`;
      const shown = JSON.stringify(value);
      for (let run = 0; run < 2; run++) {
        const res = await stack.executeRaw(query, { s: value });
        expect({ run, status: res.status, body: await res.json() }).toEqual({
          run,
          status: 400,
          body: {
            errors: [
              {
                message: `Variable "$s" got invalid value ${shown}; DateTime expects an ISO-8601 timestamp such as 2024-05-01T12:00:00Z, got ${shown}`,
                locations: [{ line: 1, column: 10 }],
                extensions: { code: 'BAD_USER_INPUT' },
              },
            ],
          },
        });
      }
    }
    expect(stack.calls()).toEqual([]);
    expect(stack.logged.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('refuses an impossible zone offset written inline in validation', async () => {
    const res = await stack.execute(`{ backups(filter: { startTime: "2026-11-23T01:04:00+99:99" }) { totalCount } }`);
    expect(res).toEqual({
      errors: [
        {
          message: 'Expected value of type "DateTime", found "2026-11-23T01:04:00+99:99"; DateTime expects an ISO-8601 timestamp string such as 2024-05-01T12:00:00Z',
          locations: [{ line: 1, column: 32 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
    expect(stack.calls()).toEqual([]);
  });
});

describe('leaf values over the wire', () => {
  const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
  const P = PROJECT_A;

  it('serves a vault timestamp without zone as UTC', async () => {
    const vault = addVault(stack.emu.emulator, P);
    vault.created_at = '2020-02-05T10:38:34.209782';
    const res = await stack.execute(`query ($id: ID!) { vault(id: $id) { createdAt } }`, { id: vault.id });
    expect(res).toEqual({ data: { vault: { createdAt: '2020-02-05T10:38:34.209Z' } } });
  });

  it('fails only the timestamp field, masked, when the upstream sends something that is not one', async () => {
    const vault = addVault(stack.emu.emulator, P, { name: 'odd-date' });
    vault.created_at = 'last tuesday';
    const res = await stack.execute(`query ($id: ID!) { vault(id: $id) { name createdAt } }`, { id: vault.id });
    expect(res).toEqual({
      data: { vault: { name: 'odd-date', createdAt: null } },
      errors: [
        {
          message: 'Unexpected error.',
          locations: [{ line: 1, column: 42 }],
          path: ['vault', 'createdAt'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ],
    });
    // The broken value is in the server log, not in the answer.
    expect(String(stack.logged.find((l) => l.level === 'error')?.args[0])).toContain('DateTime cannot represent "last tuesday"');
  });

  it('reads enum values the gateway does not know as UNKNOWN instead of failing the query', async () => {
    const server = addServer(stack.emu.emulator, P, { name: 'bm' });
    const vault = addVault(stack.emu.emulator, P, { name: 'future', resources: [server] });
    Object.assign(vault.billing, {
      status: 'migrating',
      object_type: 'workspace',
      protect_type: 'hybrid',
      consistent_level: 'db_consistent',
      charging_mode: 'free_tier',
      cloud_type: 'edge',
    });
    Object.assign(vault.resources[0]!, { type: 'OS::Ironic::BareMetalServer', protect_status: 'hibernating' });
    const res = await stack.execute(
      `query ($id: ID!) { vault(id: $id) { name billing { status objectType protectType consistentLevel chargingMode cloudType } resources { name type protectStatus } } }`,
      { id: vault.id },
    );
    expect(res).toEqual({
      data: {
        vault: {
          name: 'future',
          billing: { status: 'UNKNOWN', objectType: 'UNKNOWN', protectType: 'UNKNOWN', consistentLevel: 'UNKNOWN', chargingMode: 'UNKNOWN', cloudType: 'UNKNOWN' },
          resources: [{ name: 'bm', type: 'UNKNOWN', protectStatus: 'UNKNOWN' }],
        },
      },
    });
  });

  it('reads an unknown policy operation type and trigger type as UNKNOWN', async () => {
    const created = await stack.execute(
      `mutation { createPolicy(input: { name: "p", operationType: BACKUP, operationDefinition: { maxBackups: 3 }, pattern: ["FREQ=DAILY;INTERVAL=1;BYHOUR=3;BYMINUTE=00"] }) { policy { id } } }`,
    );
    const id = created.data.createPolicy.policy.id;
    const stored = stack.emu.emulator.state.project(P).policies.get(id)!;
    stored.operation_type = 'archive';
    stored.trigger.type = 'cron';
    const res = await stack.execute(`query ($id: ID!) { policy(id: $id) { operationType trigger { type } } }`, { id });
    expect(res).toEqual({ data: { policy: { operationType: 'UNKNOWN', trigger: { type: 'UNKNOWN' } } } });
  });

  it('maps every known wire value both ways', () => {
    expect(['available', 'lock', 'frozen', 'deleting', 'error'].map((w) => vaultStatus.read(w))).toEqual(['AVAILABLE', 'LOCKED', 'FROZEN', 'DELETING', 'ERROR']);
    expect(vaultStatus.write('LOCKED', 'filter.status')).toBe('lock');
    expect(() => vaultStatus.write('UNKNOWN', 'filter.status')).toThrow('filter.status: UNKNOWN cannot be sent to the upstream');
  });

  it('rejects UNKNOWN in a filter as BAD_USER_INPUT before any call', async () => {
    const res = await stack.execute(`{ vaults(filter: { status: UNKNOWN }) { totalCount } }`);
    expectBadInput(res, { field: 'filter.status', message: 'filter.status: UNKNOWN cannot be sent to the upstream' });
    expect(stack.calls()).toEqual([]);
  });
});

describe('the SDL', () => {
  it('describes every type, field, argument and enum value', () => {
    const schema = createGatewaySchema();
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || (isScalarType(type) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))) continue;
      if (!type.description) undocumented.push(type.name);
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
          for (const arg of field.args) if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) if (!field.description) undocumented.push(`${type.name}.${field.name}`);
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) undocumented.push(`${type.name}.${value.name}`);
    }
    expect(undocumented).toEqual([]);
  });

  it('gives every enum the upstream sends an UNKNOWN value', () => {
    const schema = createGatewaySchema();
    const wireEnums = ['ProtectionType', 'ResourceType', 'VaultStatus', 'ConsistentLevel', 'ChargingMode', 'CloudType', 'ResourceProtectStatus', 'PolicyTriggerType', 'Weekday'];
    const missing = wireEnums.filter((name) => {
      const type = schema.getType(name);
      return !isEnumType(type) || !type.getValue('UNKNOWN');
    });
    expect(missing).toEqual([]);
  });
});
