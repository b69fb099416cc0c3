/**
 * GraphiQL's example operations (src/gateway/graphiql/examples/): each validates against the schema and, with the
 * variables GraphiQL opens with (filled from the caller's account), runs on the demo data as shipped without errors.
 */
import { parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { lookUpExampleIds } from '../../src/gateway/graphiql/example-ids';
import { exampleDocument, exampleTabs, type ExampleIds } from '../../src/gateway/graphiql/examples';
import { runAsCaller } from '../../src/gateway/graphiql/run-as-caller';
import { createGatewaySchema } from '../../src/gateway/schema';
import { PROJECT_B } from '../helpers/emulator';
import { useStack, type Stack } from '../helpers/stack';

const schema = createGatewaySchema();

/** The operation names of a document, in order: what GraphiQL offers to run in that tab. */
function operationNames(document: string): string[] {
  return parse(document)
    .definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition')
    .map((operation) => operation.name!.value);
}

/** The ids GraphiQL fills in for the stack's demo project, looked up as the page does. */
function idsOf(stack: Stack): Promise<ExampleIds> {
  const request = new Request('http://gateway.test/graphql', {
    headers: { accept: 'text/html', 'x-auth-token': stack.emu.project.token, 'x-project-id': stack.emu.project.id },
  });
  return lookUpExampleIds(runAsCaller(stack.gateway, request), PROJECT_B);
}

describe('GraphiQL examples', () => {
  it('validate against the schema, every operation named', () => {
    const tabs = exampleTabs({});
    expect(tabs.map((tab) => tab.name)).toEqual(['dashboard', 'back-up-now', 'restore-backup', 'share-backup', 'policy', 'page-through-backups']);
    for (const tab of [...tabs, { name: 'example-ids', query: exampleDocument('../example-ids') }]) {
      expect(validate(schema, parse(tab.query)).map((error) => error.message), tab.name).toEqual([]);
      expect(operationNames(tab.query).length, tab.name).toBeGreaterThan(0);
    }
  });

  describe('on the demo data', () => {
    const stack = useStack({ emulator: { demo: true, lifecycle: 'immediate' } });

    it('find every id they need in the caller\'s account', async () => {
      const ids = await idsOf(stack);
      const vaults = await stack.execute(`{ vaults(filter: { name: "vault-dev-servers" }) { edges { node { id policy { id } } } } }`);
      // The one demo vault without a backup policy: backing it up and applying a policy to it both work.
      expect(ids.vaultId).toBe(vaults.data.vaults.edges[0].node.id);
      expect(vaults.data.vaults.edges[0].node.policy).toBeNull();
      for (const key of ['policyId', 'diskBackupId', 'volumeId', 'serverBackupId'] as const) expect(ids[key], key).toMatch(/^[0-9a-f-]{36}$/);
      expect(ids.shareProjectId).toBe(PROJECT_B);
      const backup = await stack.execute(`query($id: ID!) { backup(id: $id) { status resourceType resourceId } }`, { id: ids.diskBackupId });
      expect(backup.data.backup).toEqual({ status: 'AVAILABLE', resourceType: 'DISK', resourceId: ids.volumeId });
    });

    it('run, every operation of every tab in order, without errors', async () => {
      const tabs = exampleTabs(await idsOf(stack));
      const ran: string[] = [];
      for (const tab of tabs) {
        for (const operationName of operationNames(tab.query)) {
          // As GraphiQL sends it: the whole document, the operation picked, the tab's variables.
          const res = await Promise.resolve(
            stack.gateway.fetch('http://gateway.test/graphql', {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-auth-token': stack.emu.project.token, 'x-project-id': stack.emu.project.id },
              body: JSON.stringify({ query: tab.query, operationName, variables: tab.variables }),
            }),
          );
          const body = await res.json();
          expect(body.errors, `${tab.name} ${operationName}`).toBeUndefined();
          expect(Object.values(body.data).every((value) => value !== null), `${tab.name} ${operationName}`).toBe(true);
          ran.push(operationName);
        }
      }
      expect(ran).toEqual([
        'Dashboard',
        'BackUpNow',
        'FollowBackup',
        'ListDiskBackups',
        'RestoreBackup',
        'FollowRestore',
        'ShareBackup',
        'ShareMembers',
        'CreatePolicy',
        'ApplyPolicy',
        'BackupPage',
      ]);
    });
  });
});

describe('lookUpExampleIds', () => {
  it('keeps only ids of the API\'s format (they go into the page\'s script) and leaves out what the account lacks', async () => {
    const ids = await lookUpExampleIds(
      async () => ({
        vaults: { edges: [{ node: { id: 'v-1', policy: { id: 'p' } } }, { node: { id: '</script><script>alert(1)//', policy: null } }] },
        policies: { edges: [] },
        diskBackups: { edges: [{ node: { id: 'b_2', resourceId: 'vol 3' } }] },
        serverBackups: null,
      }),
      undefined,
    );
    expect(ids).toEqual({ vaultId: undefined, policyId: undefined, diskBackupId: 'b_2', volumeId: undefined, serverBackupId: undefined, shareProjectId: undefined });
  });

  it('answers no ids when the lookup fails as a whole', async () => {
    const ids = await lookUpExampleIds(() => Promise.reject(new Error('connection refused')), 'p2');
    expect(ids).toEqual({ vaultId: undefined, policyId: undefined, diskBackupId: undefined, volumeId: undefined, serverBackupId: undefined, shareProjectId: 'p2' });
  });
});
