/**
 * The gateway as a subgraph inside a real federation gateway: this subgraph (`cbr`, over the emulator) and a small
 * compute subgraph written here (`Server { id name flavor }`), both served over loopback HTTP, composed with
 * @theguild/federation-composition and run by the Hive Gateway runtime in-process. Queries cross both subgraphs in
 * both directions; results, this subgraph's upstream calls and the caller's credentials (X-Auth-Token and
 * X-Project-Id propagated by the router) are asserted.
 */
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudResource } from '../../src/emulator/state';
import { nodeListener } from '../../src/gateway/node-listener';
import { loadTypeDefs } from '../../src/gateway/schema';
import { addServer, addVault, createCheckpoint, T0 } from '../helpers/builders';
import { PROJECT_A } from '../helpers/emulator';
import { useStack } from '../helpers/stack';

/** The compute subgraph's own SDL: it owns servers; the cbr subgraph adds their backup data. */
const COMPUTE_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Server @key(fields: "id") {
    id: ID!
    name: String!
    flavor: String!
  }

  type Query {
    servers: [Server!]!
  }
`;

/** The federation definitions a subgraph library would add, written out for this test's tiny compute subgraph. */
const COMPUTE_ADDITIONS = /* GraphQL */ `
  directive @link(url: String!, import: [String]) repeatable on SCHEMA
  directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT
  scalar _Any
  type _Service { sdl: String }
  union _Entity = Server
  extend type Query {
    _entities(representations: [_Any!]!): [_Entity]!
    _service: _Service!
  }
`;

interface ComputeServer {
  id: string;
  name: string;
  flavor: string;
}

/** A compute subgraph over a fixed list of servers; `requests` records what the router sent it. */
function computeSubgraph(servers: () => ComputeServer[]) {
  const requests: Array<{ query: string; headers: Headers }> = [];
  const yoga = createYoga({
    logging: false,
    schema: createSchema({
      typeDefs: [COMPUTE_SDL, COMPUTE_ADDITIONS],
      resolvers: {
        Query: {
          servers: () => servers(),
          _service: () => ({ sdl: COMPUTE_SDL }),
          _entities: (_: unknown, { representations }: { representations: Array<{ id: string }> }) =>
            representations.map((r) => servers().find((s) => s.id === r.id) ?? null),
        },
        _Entity: { __resolveType: () => 'Server' },
      },
    }),
    plugins: [
      {
        onParams({ params, request }) {
          requests.push({ query: params.query ?? '', headers: request.headers });
        },
      },
    ],
  });
  return { yoga, requests };
}

/** Listens on an ephemeral loopback port; returns the server and its /graphql URL. */
async function listen(server: HttpServer): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

const P = PROJECT_A;
const stack = useStack({ emulator: { clock: { start: T0, mode: 'frozen' } } });

let computeServers: ComputeServer[] = [];
const compute = computeSubgraph(() => computeServers);
const httpServers: HttpServer[] = [];
/** Requests the router sent this subgraph (one per subgraph fetch of a query plan). */
let cbrRequests = 0;
let router: GatewayRuntime;
let supergraphSdl: string;

beforeAll(async () => {
  const listener = nodeListener(stack.gateway);
  const cbrServer = createServer((req, res) => {
    cbrRequests++;
    listener(req, res);
  });
  const computeServer = createServer(compute.yoga);
  httpServers.push(cbrServer, computeServer);
  const [cbrUrl, computeUrl] = await Promise.all([listen(cbrServer), listen(computeServer)]);

  // Composition reads each subgraph's SDL as a router's tooling does: from `_service { sdl }` over HTTP.
  const sdlOf = async (url: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
    return ((await res.json()) as { data: { _service: { sdl: string } } }).data._service.sdl;
  };
  const composed = composeServices([
    { name: 'cbr', typeDefs: parse(await sdlOf(cbrUrl)), url: cbrUrl },
    { name: 'compute', typeDefs: parse(await sdlOf(computeUrl)), url: computeUrl },
  ]);
  if (compositionHasErrors(composed)) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
  supergraphSdl = composed.supergraphSdl;

  router = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: false,
    // What README "Use as a subgraph" tells routers to do: pass the caller's credentials to this subgraph only.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) => {
        if (subgraphName !== 'cbr') return {};
        const headers: Record<string, string> = {};
        for (const name of ['x-auth-token', 'x-project-id']) {
          const value = request.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        return headers;
      },
    },
  });
});

afterAll(async () => {
  await router?.dispose();
  for (const server of httpServers) {
    server.closeAllConnections();
    server.close();
  }
});

/** Sends `query` to the router as a client would, with project A's token unless `headers` say otherwise. */
async function ask(query: string, headers: Record<string, string> = { 'x-auth-token': stack.emu.project.token, 'x-project-id': P }) {
  const res = await router.fetch('http://router.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }> };
}

/** Servers in the emulator, protected by one vault with one backup each, and the compute subgraph's view of them. */
async function protectedServers(count: number): Promise<CloudResource[]> {
  const servers = Array.from({ length: count }, (_, i) => addServer(stack.emu.emulator, P, { name: `ecs-${i}` }));
  const vault = addVault(stack.emu.emulator, P, { name: 'servers', resources: servers, size: 2000 });
  await createCheckpoint(stack.emu, P, vault.id);
  computeServers = servers.map((s, i) => ({ id: s.id, name: `ecs-${i}`, flavor: i % 2 ? 's3.large.2' : 's3.medium.1' }));
  stack.clearCalls();
  return servers;
}

describe('inside a federation gateway (Hive Gateway runtime)', () => {
  it('composes with a compute subgraph: Server is one entity with the fields of both', () => {
    expect(supergraphSdl).toMatch(/type Server\s+@join__type\(graph: CBR, key: "id"\)\s+@join__type\(graph: COMPUTE, key: "id"\)/);
    expect(supergraphSdl).toContain('latestBackup: Backup @join__field(graph: CBR)');
    expect(supergraphSdl).toContain('flavor: String! @join__field(graph: COMPUTE)');
  });

  it('composes with a storage subgraph that has its own Volume fields, the Relay PageInfo and tags (marked @shareable there too)', () => {
    const storage = /* GraphQL */ `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
      type Volume @key(fields: "id") { id: ID! sizeGb: Int! tags: [Tag!]! }
      type Tag @shareable { key: String! value: String }
      type PageInfo @shareable { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
      type VolumeConnection { nodes: [Volume!]! pageInfo: PageInfo! }
      type Query { volumes(first: Int): VolumeConnection! }
    `;
    const composed = composeServices([
      { name: 'cbr', typeDefs: parse(loadTypeDefs().join('\n')), url: 'http://cbr/graphql' },
      { name: 'storage', typeDefs: parse(storage), url: 'http://storage/graphql' },
    ]);
    expect(compositionHasErrors(composed) ? composed.errors.map((e) => e.message) : []).toEqual([]);
  });

  it('answers servers of the compute subgraph with their vault and latest backup: 1 + 1 per server upstream calls, one _entities request', async () => {
    const servers = await protectedServers(20);
    cbrRequests = 0;

    const res = await ask('{ servers { name flavor vault { name } latestBackup { resourceName status } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.servers).toEqual(
      servers.map((s, i) => ({
        name: `ecs-${i}`,
        flavor: i % 2 ? 's3.large.2' : 's3.medium.1',
        vault: { name: 'servers' },
        latestBackup: { resourceName: s.name, status: 'AVAILABLE' },
      })),
    );
    // The API filters backups by one resource at a time: 20 backup lists; the vaults of all 20 in one call.
    const calls = stack.calls();
    expect(calls.filter((c) => c.startsWith(`GET /v3/${P}/vaults?resource_ids=`))).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith(`GET /v3/${P}/backups?`))).toHaveLength(20);
    expect(calls).toHaveLength(21);
    expect(cbrRequests).toBe(1);
  });

  it('answers vaults of this subgraph with the compute fields of their servers, through the compute _entities', async () => {
    await protectedServers(3);
    compute.requests.length = 0;

    const res = await ask('{ vaults { nodes { name resources { server { name flavor } } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.vaults.nodes).toEqual([
      {
        name: 'servers',
        resources: [
          { server: { name: 'ecs-0', flavor: 's3.medium.1' } },
          { server: { name: 'ecs-1', flavor: 's3.large.2' } },
          { server: { name: 'ecs-2', flavor: 's3.medium.1' } },
        ],
      },
    ]);
    expect(stack.calls()).toEqual([`GET /v3/${P}/vaults?limit=20`]);
    // One entity request for the three servers, and the caller's token never went to the compute subgraph.
    expect(compute.requests.filter((r) => r.query.includes('_entities'))).toHaveLength(1);
    expect(compute.requests.every((r) => r.headers.get('x-auth-token') === null)).toBe(true);
  });

  it("acts with the caller's X-Auth-Token and X-Project-Id: another project's token sees that project's vaults", async () => {
    await protectedServers(1);
    const other = stack.emu.otherProject;
    addVault(stack.emu.emulator, other.id, { name: 'theirs' });

    const mine = await ask('{ vaults { nodes { name } } }');
    const theirs = await ask('{ vaults { nodes { name } } }', { 'x-auth-token': other.token, 'x-project-id': other.id });
    expect(mine.data.vaults.nodes).toEqual([{ name: 'servers' }]);
    expect(theirs.data.vaults.nodes).toEqual([{ name: 'theirs' }]);
  });

  it('without a token (and no gateway credentials here) the backup fields are UNAUTHENTICATED; the compute fields stand', async () => {
    await protectedServers(1);
    const res = await ask('{ servers { name vault { name } } }', {});
    expect(res.data.servers).toEqual([{ name: 'ecs-0', vault: null }]);
    expect(res.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    expect(stack.calls()).toEqual([]);
  });
});
