/**
 * Backup share members (4.2): the source project shares a server backup with other projects of the region; each
 * receiving project accepts it into one of its vaults or rejects it. Members are stored with the source project
 * (`shareMembers`: backup id → destination project id → member); the receiver reaches them through the backup id.
 */
import type { Emulator } from '../context';
import { apiError } from '../errors';
import type { ProjectState } from '../state';
import type { Backup } from '../../upstream/schemas/backup';
import type { Member, MemberListQuery, UpdateMemberRequest } from '../../upstream/schemas/share-member';
import { backupTime, getOwnBackup, pageAfterMarker, sortRecords, vaultView } from './backup';
import { canTransition, transition } from './lifecycle';

/**
 * `POST /backups/{id}/members`: adds `pending` members and answers them with `count` = members the backup now has.
 * Rules, in order: the backup is the project's own (6200; one the project reads through a share answers 400
 * BackupService.6707 "Backup sharing is not allowed.", since only the owner adds members); a server backup (6700);
 * `available` (6702); its vault is `available` (6712); not encrypted (6709); every destination is another existing
 * project (6704); a destination that is already a pending or accepted member 6703 ("The backup has been shared"); one
 * that rejected it 6714 (it "cannot be shared to the same member again" until the member is deleted).
 */
export function addMembers(emulator: Emulator, projectId: string, backupId: string, destinations: string[]): { members: Member[]; count: number } {
  const project = emulator.state.project(projectId);
  const backup = getOwnBackup(emulator, projectId, backupId, () =>
    apiError('BackupService.6707', 'the backup is shared with this project by its owner'),
  );
  if (backup.resource_type !== 'OS::Nova::Server' || backup.parent_id != null) throw apiError('BackupService.6700');
  if (backup.status !== 'available') throw apiError('BackupService.6702');
  const vault = vaultView(project, backup.vault_id);
  if (vault && vault.billing.status !== 'available') throw apiError('BackupService.6712');
  if (backup.extend_info?.encrypted) throw apiError('BackupService.6709');
  const members = project.shareMembers.get(backupId) ?? new Map<string, Member>();
  const unique = [...new Set(destinations)];
  for (const destination of unique) {
    if (destination === projectId || !emulator.state.projects.has(destination)) {
      throw apiError('BackupService.6704', destination);
    }
    const existing = members.get(destination);
    if (existing) throw apiError(existing.status === 'rejected' ? 'BackupService.6714' : 'BackupService.6703', destination);
  }
  const now = backupTime(emulator.clock.now());
  const added = unique.map((destination) => {
    const member: Member = {
      id: emulator.ids.uuid(),
      status: 'pending',
      backup_id: backupId,
      dest_project_id: destination,
      vault_id: null,
      image_id: null,
      created_at: now,
      updated_at: null,
    };
    members.set(destination, member);
    return member;
  });
  project.shareMembers.set(backupId, members);
  return { members: added, count: members.size };
}

/** A member seen from `projectId`: the source sees every member of its backup, a receiver only its own membership. */
interface Located {
  owner: ProjectState;
  backup: Backup;
  members: Map<string, Member>;
}

/**
 * The backup `backupId` and its members as `projectId` may see them: its own backup, or a backup shared with it.
 * 404 BackupService.6200 when neither.
 */
function locate(emulator: Emulator, projectId: string, backupId: string): Located & { asSource: boolean } {
  const project = emulator.state.project(projectId);
  const own = project.backups.get(backupId);
  if (own) return { owner: project, backup: own, members: project.shareMembers.get(backupId) ?? new Map(), asSource: true };
  for (const owner of emulator.state.projects.values()) {
    const members = owner.shareMembers.get(backupId);
    const backup = owner.backups.get(backupId);
    if (backup && members?.has(projectId)) {
      return { owner, backup, members: new Map([[projectId, members.get(projectId)!]]), asSource: false };
    }
  }
  throw apiError('BackupService.6200');
}

/** `GET /backups/{id}/members/{member_id}` (member id = the destination project id); 404 BackupService.6705. */
export function getMember(emulator: Emulator, projectId: string, backupId: string, memberId: string): Member {
  const member = locate(emulator, projectId, backupId).members.get(memberId);
  if (!member) throw apiError('BackupService.6705');
  return member;
}

/**
 * `PUT /backups/{id}/members/{member_id}`, called by the receiving project about itself (`member_id` = its project id,
 * as TF-HWC's accepter does). Accepting needs `vault_id` (6706 without), a vault of the receiver (6105) that stores
 * server backups (6713) and is `available` (6712). Declared moves: pending → accepted|rejected, accepted → rejected,
 * rejected → accepted; anything else (e.g. back to pending) is 6708. The member's `vault_id` is the accepting vault
 * (cleared on rejection).
 */
export function updateMember(emulator: Emulator, projectId: string, backupId: string, memberId: string, body: UpdateMemberRequest): Member {
  const located = locate(emulator, projectId, backupId);
  if (located.asSource || memberId !== projectId) {
    // Only the member itself decides; the source project cannot accept on its behalf.
    if (located.asSource && located.members.has(memberId)) throw apiError('BackupService.6708', 'only the receiving project can update its status');
    throw apiError('BackupService.6705');
  }
  const member = located.members.get(memberId);
  if (!member) throw apiError('BackupService.6705');
  if (body.status === 'accepted') {
    if (body.vault_id === undefined) throw apiError('BackupService.6706', 'vault_id is mandatory when accepting');
    const vault = vaultView(emulator.state.project(projectId), body.vault_id);
    if (!vault) throw apiError('BackupService.6105');
    if (vault.billing.object_type !== 'server' || (vault.billing.protect_type ?? 'backup') !== 'backup') throw apiError('BackupService.6713');
    if (vault.billing.status !== 'available') throw apiError('BackupService.6712');
  }
  if (!canTransition('member', member.status, body.status)) {
    throw apiError('BackupService.6708', `the member is already ${member.status}`);
  }
  transition('member', member, body.status);
  member.vault_id = body.status === 'accepted' ? (body.vault_id ?? null) : null;
  member.updated_at = backupTime(emulator.clock.now());
  return member;
}

/**
 * `GET /backups/{id}/members` with the filters of Table 4-61; default order `created_at` newest first (ties in the
 * order they were added); `marker` = id of the last member of the previous page. `count` = members matching.
 */
export function listMembers(emulator: Emulator, projectId: string, backupId: string, query: MemberListQuery): { members: Member[]; count: number } {
  const { members } = locate(emulator, projectId, backupId);
  const matching = [...members.values()].filter(
    (m) =>
      (query.dest_project_id === undefined || m.dest_project_id === query.dest_project_id) &&
      (query.image_id === undefined || m.image_id === query.image_id) &&
      (query.status === undefined || m.status === query.status) &&
      (query.vault_id === undefined || m.vault_id === query.vault_id),
  );
  const sorted = sortRecords(matching, query.sort ?? 'created_at');
  return { members: pageAfterMarker(sorted, query.marker, query.offset ?? 0, query.limit ?? 1000), count: matching.length };
}

/** `DELETE /backups/{id}/members/{member_id}` by the source project: the receiver loses the shared backup. 6705 if absent. */
export function deleteMember(emulator: Emulator, projectId: string, backupId: string, memberId: string): void {
  const project = emulator.state.project(projectId);
  if (!project.backups.has(backupId)) throw apiError('BackupService.6200');
  const members = project.shareMembers.get(backupId);
  if (!members?.delete(memberId)) throw apiError('BackupService.6705');
  if (members.size === 0) project.shareMembers.delete(backupId);
}
