/** GraphQL inputs of backup sharing → validated wire bodies and list queries of the members API. */
import { z } from 'zod';
import {
  AddMembersRequest,
  MemberListQuery,
  UpdateMemberRequest,
} from '../../upstream/schemas/share-member';
import type {
  AddShareMembersInput,
  ShareMemberFilter,
  ShareMemberOrder,
  ShareMemberOrderField,
  UpdateShareMemberStatusInput,
} from '../__generated__/resolvers-types';
import { shareMemberStatus } from '../enums';
import type { PageWindow } from '../pagination';
import { pageParams, validateQuery } from './backup';
import { Id } from './common';
import { compact, validateInput, validateWire, type PathRules } from './validate';

const AddRules = z.object({ backupId: Id, projectIds: z.array(Id) });

export function addMembersBody(input: AddShareMembersInput): AddMembersRequest {
  validateInput(AddRules, input, 'input');
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

const UpdateRules = z.object({ backupId: Id, memberId: Id, vaultId: Id.nullish() });

export function updateMemberBody(input: UpdateShareMemberStatusInput): UpdateMemberRequest {
  validateInput(UpdateRules, input, 'input');
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
  ['sort', 'orderBy'],
];

const ORDER_FIELD: Record<ShareMemberOrderField, string> = {
  CREATED_AT: 'created_at',
  UPDATED_AT: 'updated_at',
  STATUS: 'status',
  DESTINATION_PROJECT_ID: 'dest_project_id',
  VAULT_ID: 'vault_id',
  ID: 'id',
};

/** The gateway's own rules of a member filter (./common.ts); the wire query schema checks the rest. */
const FilterRules = z.object({ destinationProjectId: Id.nullish(), imageId: Id.nullish(), vaultId: Id.nullish() });

export function memberListQuery(
  filter: ShareMemberFilter | null | undefined,
  window: PageWindow,
  orderBy?: readonly ShareMemberOrder[] | null,
): MemberListQuery {
  const f = filter ?? {};
  if (filter) validateInput(FilterRules, filter, 'filter');
  const query: MemberListQuery = compact({
    dest_project_id: f.destinationProjectId,
    image_id: f.imageId,
    status: f.status ? shareMemberStatus.write(f.status, 'filter.status') : undefined,
    vault_id: f.vaultId,
    // Sent only when asked: without it the call stays the one the API documents (it names no sort parameter).
    sort: orderBy?.length ? orderBy.map((o) => `${ORDER_FIELD[o.field]}:${o.direction === 'ASC' ? 'asc' : 'desc'}`).join(',') : undefined,
    ...pageParams(window),
  });
  return validateQuery(MemberListQuery, query, LIST_RULES);
}
