/**
 * HTTP handlers of backup share members (4.2): add, update status, get, list, delete.
 *
 * NOT emulated: sharing with whole domains (HWC `domains`), the per-backup share quota (6701), images registered from
 * accepted shared backups (`image_id` stays null, 6710 never occurs), and a receiver copying the shared data into its
 * vault (accepting only records the vault; the backup stays with the source project).
 */
import type { RequestContext, Route } from '../router';
import { parseOrThrow } from '../validation';
import { AddMembersRequest, MemberListQuery, UpdateMemberRequest } from '../../upstream/schemas/share-member';
import { addMembers, deleteMember, getMember, listMembers, updateMember } from '../store/share-member';
import { queryParams } from './backup';

const param = (ctx: RequestContext, name: string): string => ctx.params[name] ?? '';

export const routes: Route[] = [
  {
    method: 'POST',
    pattern: '/v3/:project_id/backups/:backup_id/members',
    api: 'cbr',
    handler: (ctx) => {
      const { members } = parseOrThrow(AddMembersRequest, ctx.body);
      return { status: 200, body: addMembers(ctx.emulator, param(ctx, 'project_id'), param(ctx, 'backup_id'), members) };
    },
  },
  {
    method: 'GET',
    pattern: '/v3/:project_id/backups/:backup_id/members',
    api: 'cbr',
    handler: (ctx) => {
      const query = parseOrThrow(MemberListQuery, queryParams(ctx.query));
      return { status: 200, body: listMembers(ctx.emulator, param(ctx, 'project_id'), param(ctx, 'backup_id'), query) };
    },
  },
  {
    method: 'GET',
    pattern: '/v3/:project_id/backups/:backup_id/members/:member_id',
    api: 'cbr',
    handler: (ctx) => ({
      status: 200,
      body: { member: getMember(ctx.emulator, param(ctx, 'project_id'), param(ctx, 'backup_id'), param(ctx, 'member_id')) },
    }),
  },
  {
    method: 'PUT',
    pattern: '/v3/:project_id/backups/:backup_id/members/:member_id',
    api: 'cbr',
    handler: (ctx) => {
      // Sent unwrapped: {"status","vault_id"?} (no "member" root), per Table 4-53 and every client.
      const body = parseOrThrow(UpdateMemberRequest, ctx.body);
      const member = updateMember(ctx.emulator, param(ctx, 'project_id'), param(ctx, 'backup_id'), param(ctx, 'member_id'), body);
      return { status: 200, body: { member } };
    },
  },
  {
    method: 'DELETE',
    pattern: '/v3/:project_id/backups/:backup_id/members/:member_id',
    api: 'cbr',
    handler: (ctx) => {
      deleteMember(ctx.emulator, param(ctx, 'project_id'), param(ctx, 'backup_id'), param(ctx, 'member_id'));
      return { status: 204 };
    },
  },
];
