/**
 * Share-member loaders. A member is addressed by (backup id, member id = destination project id):
 * `GET /backups/{b}/members/{m}` per key, 404 → null. Lists: one `GET /backups/{b}/members` page per distinct
 * (backup, query), priming the by-key loader; 404 (no such backup) → null, as a lookup by id answers.
 */
import DataLoader from 'dataloader';
import type { CbrClient } from '../../upstream/client';
import type { Member, MemberList, MemberListQuery } from '../../upstream/schemas/share-member';
import { nullIfNotFound } from '../errors';
import { eachKey } from './each-key';
import { stableKey } from './keys';

export interface ShareMemberKey {
  backupId: string;
  memberId: string;
}

export interface ShareMemberListKey {
  backupId: string;
  query: MemberListQuery;
}

export function createShareMemberLoaders(client: CbrClient) {
  const shareMember = new DataLoader<ShareMemberKey, Member | null, string>(
    eachKey(({ backupId, memberId }) => nullIfNotFound(client.getShareMember(backupId, memberId))),
    { cacheKeyFn: ({ backupId, memberId }) => stableKey({ backupId, memberId }) },
  );

  const shareMemberList = new DataLoader<ShareMemberListKey, MemberList | null, string>(
    eachKey(async ({ backupId, query }) => {
      const list = await nullIfNotFound(client.listShareMembers(backupId, query));
      for (const m of list?.members ?? []) shareMember.prime({ backupId: m.backup_id, memberId: m.dest_project_id }, m);
      return list;
    }),
    { cacheKeyFn: ({ backupId, query }) => `${backupId}:${stableKey(query)}` },
  );

  return {
    shareMember,
    shareMemberList,
    forgetShareMembers(): void {
      shareMember.clearAll();
      shareMemberList.clearAll();
    },
  };
}
