/** GraphQL inputs of backup sharing → validated wire bodies and list queries of the members API. */
import {
  AddMembersRequest,
  MemberListQuery,
  UpdateMemberRequest,
} from '../../upstream/schemas/share-member';
import type { AddShareMembersInput, ShareMemberFilter, UpdateShareMemberStatusInput } from '../__generated__/resolvers-types';
import { shareMemberStatus } from '../enums';
import type { PageWindow } from '../pagination';
import { pageParams, validateQuery } from './backup';
import { compact, validateWire, type PathRules } from './validate';

export function addMembersBody(input: AddShareMembersInput): AddMembersRequest {
  return validateWire(AddMembersRequest, { members: input.projectIds }, [['members', 'input.projectIds']]);
}

/**
 * The seed (Table 4-53): "if the backup is accepted, vault_id must be specified". The wire schema leaves that rule to
 * the service (it needs the status); checked here too, so the caller learns it before any call.
 */
const UpdateMemberRequestChecked = UpdateMemberRequest.superRefine((body, ctx) => {
  if (body.status === 'accepted' && body.vault_id === undefined) {
    ctx.addIssue({ code: 'custom', path: ['vault_id'], message: 'a vault to store the backup in is required when accepting' });
  }
});

export function updateMemberBody(input: UpdateShareMemberStatusInput): UpdateMemberRequest {
  const body = compact({
    status: shareMemberStatus.write(input.status, 'input.status'),
    vault_id: input.vaultId,
  });
  return validateWire(UpdateMemberRequestChecked, body, [['', 'input']]);
}

const LIST_RULES: PathRules = [
  ['', 'filter'],
  ['dest_project_id', 'filter.destinationProjectId'],
  ['limit', 'first'],
  ['offset', 'after'],
];

export function memberListQuery(filter: ShareMemberFilter | null | undefined, window: PageWindow): MemberListQuery {
  const f = filter ?? {};
  const query: MemberListQuery = compact({
    dest_project_id: f.destinationProjectId,
    image_id: f.imageId,
    status: f.status ? shareMemberStatus.write(f.status, 'filter.status') : undefined,
    vault_id: f.vaultId,
    ...pageParams(window),
  });
  return validateQuery(MemberListQuery, query, LIST_RULES);
}
