/**
 * Fills the examples' variables (examples.ts) from the caller's own account: one query (example-ids.graphql) sent
 * through the gateway with the caller's credentials when GraphiQL is opened. Backup ids change as backups come and go,
 * so no fixed id would work for long.
 */
import { readFileSync } from 'node:fs';
import type { ExampleIds } from './examples';

const EXAMPLE_IDS_QUERY = readFileSync(new URL('./example-ids.graphql', import.meta.url), 'utf8');

/** Sends one GraphQL query as the caller and answers its `data` (null when it failed as a whole). */
export type RunAsCaller = (query: string) => Promise<Record<string, any> | null | undefined>;

type Edges<T> = { edges: Array<{ node: T }> } | null | undefined;

const first = <T>(connection: Edges<T>): T | undefined => connection?.edges[0]?.node;

/** The API's id format (the rule the gateway's inputs enforce): anything else is not put into the page's script. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const id = (value: string | undefined): string | undefined => (value !== undefined && ID.test(value) ? value : undefined);

/**
 * The ids the examples need; whatever the account lacks, or a failed lookup, is left undefined (the example then
 * says what to put there). `shareProjectId` is given: no API call lists the account's other projects.
 */
export async function lookUpExampleIds(run: RunAsCaller, shareProjectId: string | undefined): Promise<ExampleIds> {
  const data = await run(EXAMPLE_IDS_QUERY).catch(() => undefined);
  const vaults = (data?.vaults as Edges<{ id: string; policy: { id: string } | null }>)?.edges.map((edge) => edge.node) ?? [];
  const diskBackup = first(data?.diskBackups as Edges<{ id: string; resourceId: string }>);
  return {
    vaultId: id((vaults.find((vault) => vault.policy === null) ?? vaults[0])?.id),
    policyId: id(first(data?.policies as Edges<{ id: string }>)?.id),
    diskBackupId: id(diskBackup?.id),
    volumeId: id(diskBackup?.resourceId),
    serverBackupId: id(first(data?.serverBackups as Edges<{ id: string }>)?.id),
    shareProjectId,
  };
}
