/**
 * Wire shapes of backup share members (API Reference 2021-09-30, 4.2; GO-SDK Member): the response model, the add
 * and update requests, and the list query.
 */
import { z } from 'zod';
import { QueryLimit, QueryOffset, sortParam } from './backup';

export const MemberStatus = z.enum(['pending', 'accepted', 'rejected']);
export type MemberStatus = z.infer<typeof MemberStatus>;

/**
 * Table 4-50 Member. Times look like `2020-02-05T10:38:34.209782`; `image_id`, `vault_id`, `updated_at` are `null`
 * until the member accepts (doc examples).
 */
// status is a plain string on read (see Backup in backup.ts): a new value must not fail a whole list.
export const Member = z.looseObject({
  id: z.string(),
  status: z.string(),
  backup_id: z.string(),
  dest_project_id: z.string(),
  vault_id: z.string().nullish(),
  image_id: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});
export type Member = z.infer<typeof Member>;

/** `POST /backups/{id}/members` and `GET /backups/{id}/members`: `count` = members the backup is shared to. */
export const MemberList = z.looseObject({
  members: z.array(Member),
  count: z.number().int().nullish(),
});
export type MemberList = z.infer<typeof MemberList>;
/** The same envelope under the resource's team-wide name (share-member). */
export const ShareMemberList = MemberList;
export type ShareMemberList = MemberList;

/** `GET|PUT /backups/{id}/members/{member_id}` */
export const MemberResponse = z.looseObject({ member: Member });
export type MemberResponse = z.infer<typeof MemberResponse>;

// ---- requests ----

/** Table 4-48: project ids to share with, 1–10. */
export const AddMembersRequest = z.strictObject({
  members: z.array(z.string().min(1)).min(1).max(10),
});
export type AddMembersRequest = z.infer<typeof AddMembersRequest>;

/**
 * Table 4-53, sent **unwrapped** (no `member` root). `vault_id` is required for `accepted`; that rule needs the
 * status, so the store checks it (BackupService.6706).
 */
export const UpdateMemberRequest = z.strictObject({
  status: MemberStatus,
  vault_id: z.guid().optional(),
});
export type UpdateMemberRequest = z.infer<typeof UpdateMemberRequest>;

/** Keys the member list can be sorted by (the seed names none; these are the member's own sortable fields). */
export const MemberSortKeys = ['created_at', 'updated_at', 'status', 'dest_project_id', 'vault_id', 'id'] as const;

/** `GET /backups/{id}/members` query (Table 4-61); `marker` and `vault_id` are "UUID only". */
export const MemberListQuery = z.object({
  dest_project_id: z.string().optional(),
  image_id: z.string().optional(),
  limit: QueryLimit.optional(),
  marker: z.guid().optional(),
  offset: QueryOffset.optional(),
  sort: sortParam(MemberSortKeys).optional(),
  status: MemberStatus.optional(),
  vault_id: z.guid().optional(),
});
export type MemberListQuery = z.infer<typeof MemberListQuery>;
