/**
 * The GraphiQL page (src/gateway/graphiql/page.ts): everything inline, a CSP allowing only its own script, examples
 * filled with the caller's ids; when off, a note saying how to turn it on.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_USER } from '../../src/emulator/demo-identity';
import { PROJECT_B } from '../helpers/emulator';
import { useStack, type Stack } from '../helpers/stack';

const ENDPOINT = 'http://127.0.0.1/graphql';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function open(stack: Stack, headers: Record<string, string> = {}, url = ENDPOINT): Promise<Response> {
  return Promise.resolve(stack.gateway.fetch(url, { headers: { accept: BROWSER_ACCEPT, ...headers } }));
}

/** The options the page hands to GraphiQL (the JSON argument of renderYogaGraphiQL). */
function graphiqlOptions(html: string): { title: string; defaultTabs: Array<{ query: string; variables: string }> } {
  const json = html.match(/renderYogaGraphiQL\(\s*window\.document\.querySelector\('#root'\),\s*(\{[\s\S]*\}),\s*\);/)![1]!;
  return JSON.parse(json);
}

const withDemoCredentials = {
  emulator: { demo: true, lifecycle: 'immediate' as const },
  gateway: (url: string) => ({
    graphiql: true,
    graphiqlShareProjectId: PROJECT_B,
    credentials: { kind: 'password' as const, authUrl: `${url}/v3`, username: DEMO_USER.name, password: DEMO_USER.password, userDomainName: DEMO_DOMAIN.name, projectId: DEMO_PROJECT.id },
  }),
};

describe('GraphiQL on', () => {
  const stack = useStack(withDemoCredentials);

  it('serves one self-contained page: no script, style, worker or icon from anywhere else', async () => {
    const res = await open(stack);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    // Every resource is inline: outside the one inline script (whose bundle holds markup templates), no element
    // names a URL other than data:, and the script makes its workers from blob: URLs.
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
    expect(markup.length).toBeLessThan(2_000_000);
    expect(markup.match(/\b(src|href)=["'](?!data:)/gi)).toBeNull();
    expect(html).toContain("getWorkerUrl: function (moduleId, label) {\n            return workers[label];");
    expect(html).toMatch(/<link rel="icon" href="data:image\//);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs/);
    expect(graphiqlOptions(html).title).toBe('CBR GraphQL');
  });

  it('sends a CSP that allows its inline script by hash and nothing from other origins', async () => {
    const res = await open(stack);
    const html = await res.text();
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    expect(res.headers.get('content-security-policy')).toBe(
      `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; ` +
        "connect-src 'self'; worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it("opens on the examples, with ids of the caller's account in their variables", async () => {
    const options = graphiqlOptions(await (await open(stack)).text());
    expect(options.defaultTabs.map((tab) => tab.query.match(/(query|mutation) (\w+)/)![2])).toEqual([
      'Dashboard',
      'BackUpNow',
      'ListDiskBackups',
      'ShareBackup',
      'CreatePolicy',
      'BackupPage',
    ]);
    const devVault = await stack.execute(`{ vaults(filter: { name: "vault-dev-servers" }) { edges { node { id } } } }`);
    expect(JSON.parse(options.defaultTabs[1]!.variables)).toEqual({ vaultId: devVault.data.vaults.edges[0].node.id });
    expect(JSON.parse(options.defaultTabs[3]!.variables)).toEqual({ backupId: expect.stringMatching(/^[0-9a-f-]{36}$/), projectId: PROJECT_B });
  });

  it('fills no ids for a host that may not use the gateway\'s credentials (DNS rebinding): the variables say what to put', async () => {
    const options = graphiqlOptions(await (await open(stack, { host: 'evil.example' }, 'http://evil.example/graphql')).text());
    expect(JSON.parse(options.defaultTabs[1]!.variables)).toEqual({ vaultId: 'replace with a vault id (Dashboard tab)' });
  });

  it('leaves a GET of a query with a browser\'s Accept to GraphiQL too, and JSON requests to GraphQL', async () => {
    const json = await stack.gateway.fetch(`${ENDPOINT}?query=%7B__typename%7D`, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
    expect(await json.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('GraphiQL off', () => {
  const stack = useStack({ gateway: { graphiql: false } });

  it('answers a browser with a short page saying how to turn it on, not an empty 406', async () => {
    const res = await open(stack);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<h1>GraphiQL is off</h1>');
    expect(html).toContain('<code>GRAPHIQL=true</code>');
    expect(html.length).toBeLessThan(1000);
  });

  it('still answers GraphQL to a browser\'s GET with a query, and to POSTs', async () => {
    const get = await open(stack, { 'x-graphql-yoga-csrf': '1' }, `${ENDPOINT}?query=%7B__typename%7D`);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
    expect(await stack.execute('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
  });
});
