/**
 * The representative operations: what a console's pages ask the gateway for. Each one is a GraphQL document (written
 * against schema/*.graphql) plus the fewest upstream calls the CBR API allows for the same data, with the reason.
 */
import { PROJECT_PAGE_MAX_BACKUPS } from '../src/gateway/loaders/backup-plan';

/** Sends one GraphQL request; resolves with the response text, rejects on a non-200 answer or GraphQL `errors`. */
export type GraphQLCaller = (query: string, variables?: Record<string, unknown>) => Promise<string>;

/** What the operations need to know about the dataset (read once through the gateway before measuring). */
export interface Dataset {
  /** Vaults the dashboard lists. */
  vaultCount: number;
  /** A vault with a policy and resources, for the single-vault page. */
  vaultId: string;
  /** Backups of the project (the backup list's `count`): whether one project page could hold every vault's. */
  projectBackups: number;
}

export interface Operation {
  name: string;
  /** One line on what the operation reads or changes. */
  summary: string;
  /** Runs the operation once through the gateway. */
  run(gql: GraphQLCaller, dataset: Dataset): Promise<void>;
  /** The fewest upstream calls the REST API needs for the same data, and why. */
  minimumCalls(dataset: Dataset): { calls: number; why: string };
  /**
   * The fewest sequential rounds of calls a client could need: a call waits only for calls whose answers it must
   * read (ids it cannot know before). The REST baseline replays the gateway's own waves, so a gateway that needs more
   * rounds than this pays an extra upstream latency per round that the baseline pays too: this column shows it.
   */
  minimumWaves: number;
}

export const DASHBOARD = /* GraphQL */ `
  query Dashboard {
    vaults(first: 100) {
      totalCount
      nodes {
        id
        name
        billing { objectType sizeGb usedMb status }
        policy { id name enabled trigger { pattern } }
        resources { id name type protectStatus backupCount }
        backups(first: 3) { nodes { id name status resourceName createdAt } }
        tasks(first: 1) { nodes { id operationType status progressPercent createdAt } }
      }
    }
  }
`;

export const SINGLE_VAULT = /* GraphQL */ `
  query Vault($id: ID!) {
    vault(id: $id) {
      id
      name
      description
      createdAt
      billing { objectType sizeGb usedMb status specCode }
      policy { id name enabled operationType trigger { pattern } operationDefinition { maxBackups retentionDurationDays } }
      resources { id name type protectStatus sizeGb backupCount }
    }
  }
`;

export const BACKUP_LIST = /* GraphQL */ `
  query Backups {
    backups(first: 100) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id name status imageType resourceId resourceName resourceType vaultId createdAt protectedAt }
    }
  }
`;

export const CREATE_VAULT = /* GraphQL */ `
  mutation CreateVault($input: CreateVaultInput!) {
    createVault(input: $input) { vault { id name billing { sizeGb status } } }
  }
`;

export const DELETE_VAULT = /* GraphQL */ `
  mutation DeleteVault($input: DeleteVaultInput!) {
    deleteVault(input: $input) { deletedVaultId }
  }
`;

/** Picks the dataset facts out of this query's answer (`datasetFrom`). */
export const DATASET = /* GraphQL */ `
  query Dataset {
    vaults(first: 100) { totalCount nodes { id policy { id } resources { id } } }
    backups(first: 1) { totalCount }
  }
`;

export function datasetFrom(text: string): Dataset {
  const { data } = JSON.parse(text) as {
    data: {
      vaults: { totalCount: number; nodes: Array<{ id: string; policy: { id: string } | null; resources: unknown[] }> };
      backups: { totalCount: number };
    };
  };
  const nodes = data.vaults.nodes;
  const rich = nodes.find((v) => v.policy !== null && v.resources.length > 0) ?? nodes[0];
  if (!rich) throw new Error('the emulator has no vaults: is the demo dataset loaded?');
  return { vaultCount: nodes.length, vaultId: rich.id, projectBackups: data.backups.totalCount };
}

export const OPERATIONS: readonly Operation[] = [
  {
    name: 'dashboard',
    summary: 'vaults + policy, resources, 3 latest backups, last task each',
    run: async (gql) => void (await gql(DASHBOARD)),
    minimumCalls: ({ vaultCount, projectBackups }) => {
      // One project page (limit ≤ 1000) holds every vault's backups when the project has at most 1000: the API's
      // minimum. The gateway takes it up to PROJECT_PAGE_MAX_BACKUPS only (a larger page costs more CPU and latency
      // than the calls it saves: README, Performance), so above that it stays at one list per vault by choice.
      const onePage = vaultCount >= 2 && projectBackups <= 1000;
      const backups = onePage
        ? `1 project-wide backup list split by vault (${projectBackups} backups in the project; the gateway sends it up to ` +
          `${PROJECT_PAGE_MAX_BACKUPS}, above that ${vaultCount} vault_id lists by choice)`
        : `${vaultCount} backup lists (vault_id takes one vault)`;
      return {
        calls: 2 + vaultCount + (onePage ? 1 : vaultCount),
        why:
          `1 vault list + 1 policy list (a vault names no policy; the list holds every binding) + ${backups} ` +
          `+ ${vaultCount} operation-log lists (their vault_id filter takes one vault each)`,
      };
    },
    minimumWaves: 2,
  },
  {
    name: 'single vault',
    summary: 'vault by id + policy + resources',
    run: async (gql, { vaultId }) => void (await gql(SINGLE_VAULT, { id: vaultId })),
    minimumCalls: () => ({ calls: 2, why: '1 vault GET (resources are embedded) + 1 policy list (the vault names no policy)' }),
    // The policy list needs only the vault id, which the query gives: both calls can go out together.
    minimumWaves: 1,
  },
  {
    name: '100 backups',
    summary: 'one page of 100 backups',
    run: async (gql) => void (await gql(BACKUP_LIST)),
    minimumCalls: () => ({ calls: 1, why: '1 backup list with limit=100' }),
    minimumWaves: 1,
  },
  {
    name: 'create+delete vault',
    summary: 'createVault, then deleteVault of it (2 requests)',
    run: async (gql) => {
      const created = JSON.parse(
        await gql(CREATE_VAULT, { input: { name: 'bench-vault', billing: { objectType: 'DISK', sizeGb: 10 } } }),
      ) as { data: { createVault: { vault: { id: string } } } };
      await gql(DELETE_VAULT, { input: { id: created.data.createVault.vault.id } });
    },
    minimumCalls: () => ({ calls: 2, why: '1 POST (the answer is the vault) + 1 DELETE' }),
    minimumWaves: 2,
  },
];
