/**
 * Backup sharing: the `shareMember(s)` queries, the ShareMember type, the members of a backup, the member's vault,
 * and the add / accept-or-reject / delete mutations. A member is addressed by (backup id, destination project id).
 */
import type { Resolvers, ShareMemberFilter, ShareMemberOrder } from '../__generated__/resolvers-types';
import type { GraphQLContext } from '../context';
import { shareMemberStatus } from '../enums';
import { requireId } from '../inputs/common';
import { addMembersBody, memberListQuery, updateMemberBody } from '../inputs/share-member';
import { pageWindow, toConnection } from '../pagination';

interface MemberListArgs {
  filter?: ShareMemberFilter | null;
  orderBy?: readonly ShareMemberOrder[] | null;
  first?: number | null;
  after?: string | null;
}

async function memberConnection({ loaders }: GraphQLContext, backupId: string, args: MemberListArgs) {
  const window = pageWindow(args);
  const list = await loaders.shareMemberList.load({ backupId, query: memberListQuery(args.filter, window, args.orderBy) });
  if (!list) return null;
  // `count` is documented as the number of members; an answer without it counts what was seen.
  return toConnection(list.members, window.offset, list.count ?? window.offset + list.members.length);
}

export const shareMemberResolvers: Resolvers = {
  Query: {
    shareMembers: (_, { backupId, ...args }, context) => memberConnection(context, requireId(backupId, 'backupId'), args),
    shareMember: (_, { backupId, memberId }, { loaders }) =>
      loaders.shareMember.load({ backupId: requireId(backupId, 'backupId'), memberId: requireId(memberId, 'memberId') }),
  },

  Mutation: {
    addShareMembers: async (_, { input }, { client, loaders }) => {
      const backupId = requireId(input.backupId, 'input.backupId');
      const result = await client.addShareMembers(backupId, addMembersBody(input));
      loaders.forgetShareMembers();
      return result;
    },
    updateShareMemberStatus: async (_, { input }, { client, loaders }) => {
      const backupId = requireId(input.backupId, 'input.backupId');
      const memberId = requireId(input.memberId, 'input.memberId');
      const member = await client.updateShareMember(backupId, memberId, updateMemberBody(input));
      loaders.forgetShareMembers();
      // Accepting changes which backups (and whose vault_id) the caller sees.
      loaders.forgetBackups();
      return { member };
    },
    deleteShareMember: async (_, { input }, { client, loaders }) => {
      const backupId = requireId(input.backupId, 'input.backupId');
      const memberId = requireId(input.memberId, 'input.memberId');
      await client.deleteShareMember(backupId, memberId);
      loaders.forgetShareMembers();
      return { backupId, memberId };
    },
  },

  DeleteShareMemberPayload: {
    deletedMemberId: (p) => p.memberId,
    backup: (p, _, { loaders }) => loaders.backup.load(p.backupId),
  },

  ShareMember: {
    backupId: (m) => m.backup_id,
    destinationProjectId: (m) => m.dest_project_id,
    status: (m) => shareMemberStatus.read(m.status),
    imageId: (m) => m.image_id ?? null,
    vaultId: (m) => m.vault_id ?? null,
    createdAt: (m) => m.created_at ?? null,
    updatedAt: (m) => m.updated_at ?? null,
    vault: (m, _, { loaders }) => (m.vault_id ? loaders.vault.load(m.vault_id) : null),
  },

  Backup: {
    shareMembers: (b, args, context) => memberConnection(context, b.id, args),
  },
};
