/**
 * Wire shapes of protectable resources (`GET /v3/{project_id}/protectables/{protectable_type}/instances[/{id}]`, Huawei
 * SDK ListProtectable/ShowProtectable, API notes 1.3): the servers and disks CBR could protect, each with whether it
 * can be protected now and, when it is protected already, the vault. The list answers `{"instances"}` without a count.
 */
import { z } from 'zod';
import { QueryOffset } from './backup';

/** The `{protectable_type}` path segment (the SDK's enum for the list: server, disk). */
export const PROTECTABLE_TYPES = ['server', 'disk'] as const;
export const ProtectableType = z.enum(PROTECTABLE_TYPES);
export type ProtectableType = z.infer<typeof ProtectableType>;

/** Status of a protectable instance (SDK ProtectablesRespStatus). */
export const PROTECTABLE_STATUSES = ['active', 'deleted', 'error'] as const;
export const ProtectableStatus = z.enum(PROTECTABLE_STATUSES);
export type ProtectableStatus = z.infer<typeof ProtectableStatus>;

/**
 * SDK ProtectableResult. `vault` (a VaultGet) is kept loose, with only its id required: the graph reads it as a Vault
 * when it parses as one and looks the vault up by id otherwise, so a terse vault does not fail the list.
 */
export const ProtectableResult = z.looseObject({
  result: z.boolean(),
  reason: z.string().nullish(),
  code: z.string().nullish(),
  message: z.string().nullish(),
  vault: z.looseObject({ id: z.string() }).nullish(),
});
export type ProtectableResult = z.infer<typeof ProtectableResult>;

/**
 * SDK ProtectablesResp. `children` are a server's disks, in the same shape; `detail` is free-form. Enum-valued fields
 * are plain strings on read (as in vault.ts). `protectable` is nullish so one odd entry degrades, not the list.
 */
export const ProtectableInstance = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  type: z.string(),
  status: z.string().nullish(),
  size: z.number().nullish(),
  detail: z.unknown().optional(),
  protectable: ProtectableResult.nullish(),
  get children() {
    return z.array(ProtectableInstance).nullish();
  },
});
export type ProtectableInstance = z.infer<typeof ProtectableInstance>;

/** `GET /protectables/{type}/instances`. */
export const ProtectableList = z.looseObject({ instances: z.array(ProtectableInstance) });
export type ProtectableList = z.infer<typeof ProtectableList>;

/** `GET /protectables/{type}/instances/{id}`. */
export const ProtectableResponse = z.looseObject({ instance: ProtectableInstance });
export type ProtectableResponse = z.infer<typeof ProtectableResponse>;

/** The list query (SDK ListProtectableRequest): `limit` 1–50 (API notes), offset or marker paging, four filters. */
export const ProtectableListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).optional(),
  offset: QueryOffset.optional(),
  marker: z.string().min(1).optional(),
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  status: ProtectableStatus.optional(),
  server_id: z.string().min(1).optional(),
});
export type ProtectableListQuery = z.infer<typeof ProtectableListQuery>;
