/**
 * The plan for the `Vault.backups` pages of one batch (loaders/backup-plan.ts), as a table: which keys share a
 * project-wide page, and which keep their own `GET /backups?vault_id=` call.
 */
import { describe, expect, it } from 'vitest';
import { backupsOfVaults, planVaultBackupPages, PROJECT_PAGE_MAX_BACKUPS } from '../../src/gateway/loaders/backup-plan';
import type { BackupListQuery } from '../../src/upstream/schemas/backup';
import type { Vault } from '../../src/upstream/schemas/vault';

const SORT = 'created_at:desc,id:desc';
const page = (vault_id: string, more: BackupListQuery = {}): BackupListQuery => ({ vault_id, sort: SORT, limit: 3, ...more });

describe('planVaultBackupPages', () => {
  it.each<[string, BackupListQuery[], number | undefined, { projectPages: Array<{ query: BackupListQuery; keys: number[] }>; ownCalls: number[] }]>([
    ['two vaults of a small project: one project page', [page('a'), page('b')], 10, { projectPages: [{ query: { sort: SORT, limit: 100 }, keys: [0, 1] }], ownCalls: [] }],
    ['a project of exactly the threshold still qualifies', [page('a'), page('b')], 100, { projectPages: [{ query: { sort: SORT, limit: 100 }, keys: [0, 1] }], ownCalls: [] }],
    ['an empty project too', [page('a'), page('b')], 0, { projectPages: [{ query: { sort: SORT, limit: 100 }, keys: [0, 1] }], ownCalls: [] }],
    ['pages of different lengths share it', [page('a', { limit: 1 }), page('b', { limit: 20 })], 10, { projectPages: [{ query: { sort: SORT, limit: 100 }, keys: [0, 1] }], ownCalls: [] }],
    ['total unknown (no complete vault list): own calls', [page('a'), page('b')], undefined, { projectPages: [], ownCalls: [0, 1] }],
    ['total above the threshold: own calls', [page('a'), page('b')], 101, { projectPages: [], ownCalls: [0, 1] }],
    ['one vault: its own call is as cheap', [page('a')], 10, { projectPages: [], ownCalls: [0] }],
    ['one vault asked twice: still one vault', [page('a'), page('a', { limit: 5 })], 10, { projectPages: [], ownCalls: [0, 1] }],
    ['a later page (offset) is not planned', [page('a', { offset: 3 }), page('b'), page('c')], 10, { projectPages: [{ query: { sort: SORT, limit: 100 }, keys: [1, 2] }], ownCalls: [0] }],
    ['a filter is not planned', [page('a', { status: ['available'] }), page('b', { name: 'x' }), page('c')], 10, { projectPages: [], ownCalls: [0, 1, 2] }],
    ['a key without a vault is not planned', [{ resource_id: 'r', sort: SORT, limit: 3 }, page('b'), page('c')], 10, { projectPages: [{ query: { sort: SORT, limit: 100 }, keys: [1, 2] }], ownCalls: [0] }],
    [
      'one project page per order; an order asked by one vault keeps its call',
      [page('a'), page('a', { sort: 'name:asc' }), page('b'), page('b', { sort: 'name:asc' }), page('c', { sort: 'status:desc' })],
      10,
      {
        projectPages: [
          { query: { sort: SORT, limit: 100 }, keys: [0, 2] },
          { query: { sort: 'name:asc', limit: 100 }, keys: [1, 3] },
        ],
        ownCalls: [4],
      },
    ],
    ['no sort: the project page sends none either', [{ vault_id: 'a', limit: 3 }, { vault_id: 'b', limit: 3 }], 10, { projectPages: [{ query: { limit: 100 }, keys: [0, 1] }], ownCalls: [] }],
  ])('%s', (_, keys, total, plan) => {
    expect(planVaultBackupPages(keys, total, 100)).toEqual(plan);
  });

  it('defaults to a threshold within the list limit (1–1000)', () => {
    expect(PROJECT_PAGE_MAX_BACKUPS).toBeGreaterThanOrEqual(1);
    expect(PROJECT_PAGE_MAX_BACKUPS).toBeLessThanOrEqual(1000);
    expect(planVaultBackupPages([page('a'), page('b')], 1).projectPages[0]?.query.limit).toBe(PROJECT_PAGE_MAX_BACKUPS);
  });
});

describe('backupsOfVaults', () => {
  const vault = (...counts: Array<number | null | undefined>) => ({ resources: counts.map((backup_count, i) => ({ id: `r${i}`, type: 'OS::Nova::Server', backup_count })) }) as unknown as Vault;

  it('sums the backup_count of every resource of every vault', () => {
    expect(backupsOfVaults([vault(2, 3), vault(), vault(0, 4)])).toBe(9);
    expect(backupsOfVaults([])).toBe(0);
  });

  it('is unknown when one count is missing', () => {
    expect(backupsOfVaults([vault(2), vault(1, null)])).toBeUndefined();
    expect(backupsOfVaults([vault(undefined)])).toBeUndefined();
  });
});
