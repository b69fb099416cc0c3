/**
 * Protectable resources end to end: "what can I add to this vault" with every field, the filters and paging (the API
 * does not count), the vault edge of a protected resource without an extra call, the lookup, and input errors.
 */
import { describe, expect, it } from 'vitest';
import { addServer, addVault, addVolume, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { expectBadInput } from '../helpers/graphql';
import { useStack } from '../helpers/stack';

const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });
const P = PROJECT_A;

/** Every field of ProtectableResource (the "all fields" query of the type). */
const FIELDS = /* GraphQL */ `
  fragment ProtectableFields on ProtectableResource {
    id
    name
    type
    status
    sizeGb
    protectable
    reason
    reasonCode
    children { id name type sizeGb protectable reason children { id } }
    vault { id name }
  }
`;

function setup() {
  const emu = stack.emu.emulator;
  const web = addServer(emu, P, { name: 'web-1', disks: [{ name: 'sys', sizeGb: 40 }, { name: 'data', sizeGb: 60, bootable: false }] });
  const db = addServer(emu, P, { name: 'db-1' });
  const vault = addVault(emu, P, { resources: [db], name: 'vault-db' });
  return { web, db, vault };
}

describe('protectableResources', () => {
  it('lists servers with every field: the free one is protectable, the protected one names its vault; one call', async () => {
    const { web, db, vault } = setup();
    const res = await stack.execute(`{ protectableResources(type: SERVER) { totalCount pageInfo { hasNextPage } nodes { ...ProtectableFields } } } ${FIELDS}`);
    expect(res).toEqual({
      data: {
        protectableResources: {
          totalCount: 2,
          pageInfo: { hasNextPage: false },
          nodes: [
            {
              id: web.id,
              name: 'web-1',
              type: 'SERVER',
              status: 'ACTIVE',
              sizeGb: 100,
              protectable: true,
              reason: null,
              reasonCode: null,
              children: [
                { id: web.disks![0]!.id, name: 'sys', type: 'DISK', sizeGb: 40, protectable: false, reason: expect.stringMatching(/attached to a server/), children: [] },
                { id: web.disks![1]!.id, name: 'data', type: 'DISK', sizeGb: 60, protectable: false, reason: expect.stringMatching(/attached to a server/), children: [] },
              ],
              vault: null,
            },
            {
              id: db.id,
              name: 'db-1',
              type: 'SERVER',
              status: 'ACTIVE',
              sizeGb: 40,
              protectable: false,
              reason: 'The resource has been associated with a vault.',
              reasonCode: 'BackupService.6103',
              children: [expect.objectContaining({ id: db.disks![0]!.id })],
              vault: { id: vault.id, name: 'vault-db' },
            },
          ],
        },
      },
    });
    // The vault comes with the protectable answer: no vault GET.
    expect(stack.calls()).toEqual([`GET /v3/${P}/protectables/server/instances?limit=20`]);
  });

  it('sends every filter as its query parameter and pages without a count: a full page has a next one', async () => {
    const { web } = setup();
    addVolume(stack.emu.emulator, P, { name: 'vol-a' });
    addVolume(stack.emu.emulator, P, { name: 'vol-b' });
    stack.clearCalls();
    const filtered = await stack.execute(
      `query ($f: ProtectableResourceFilter) { protectableResources(type: DISK, filter: $f, first: 5) { totalCount nodes { name } } }`,
      { f: { name: 'da', status: 'ACTIVE', serverId: web.id } },
    );
    expect(filtered).toEqual({ data: { protectableResources: { totalCount: 1, nodes: [{ name: 'data' }] } } });

    const PAGE = `query ($after: String) { protectableResources(type: DISK, first: 1, after: $after) { totalCount nodes { name } pageInfo { hasNextPage endCursor } } }`;
    const first = (await stack.execute(PAGE, { after: null })).data.protectableResources;
    const second = (await stack.execute(PAGE, { after: first.pageInfo.endCursor })).data.protectableResources;
    const third = (await stack.execute(PAGE, { after: second.pageInfo.endCursor })).data.protectableResources;
    expect([first, second, third].map((p) => [p.nodes.map((n: any) => n.name), p.pageInfo.hasNextPage, p.totalCount])).toEqual([
      [['vol-a'], true, null],
      [['vol-b'], true, null],
      [[], false, 2],
    ]);
    expect(stack.calls()).toEqual([
      `GET /v3/${P}/protectables/disk/instances?name=da&status=active&server_id=${web.id}&limit=5`,
      `GET /v3/${P}/protectables/disk/instances?limit=1`,
      `GET /v3/${P}/protectables/disk/instances?limit=1&offset=1`,
      `GET /v3/${P}/protectables/disk/instances?limit=1&offset=2`,
    ]);
  });

  it('refuses a page above 50, an empty name and UNKNOWN status, naming the argument, without a call', async () => {
    const big = await stack.execute(`{ protectableResources(type: SERVER, first: 51) { totalCount } }`);
    expectBadInput(big, { field: 'first', message: 'first must be between 1 and 50, got 51' });
    const name = await stack.execute(`{ protectableResources(type: SERVER, filter: { name: "" }) { totalCount } }`);
    expect(name.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.name' });
    const status = await stack.execute(`{ protectableResources(type: SERVER, filter: { status: UNKNOWN }) { totalCount } }`);
    expect(status.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.status' });
    expect(stack.calls()).toEqual([]);
  });
});

describe('protectableResource', () => {
  it('answers one resource by id, and null for an id of another kind, one call each', async () => {
    const { web, db, vault } = setup();
    const res = await stack.execute(
      `query ($a: ID!, $b: ID!) { a: protectableResource(type: SERVER, id: $a) { name protectable vault { id } } b: protectableResource(type: DISK, id: $b) { id } }`,
      { a: db.id, b: web.id },
    );
    expect(res).toEqual({ data: { a: { name: 'db-1', protectable: false, vault: { id: vault.id } }, b: null } });
    expect([...stack.calls()].sort()).toEqual([`GET /v3/${P}/protectables/disk/instances/${web.id}`, `GET /v3/${P}/protectables/server/instances/${db.id}`]);
  });
});
