/**
 * Rules every GraphQL argument shares, checked by the gateway before any upstream call: ids (in paths, query
 * parameters and bodies alike), filter values and tags. They are the gateway's own, on the GraphQL shapes, so an
 * issue names the argument path as the caller wrote it; the wire schemas (src/upstream/schemas) check the rest.
 */
import { z } from 'zod';
import { TagCreate, uniqueTagKeys } from '../../upstream/schemas/common';
import { validateInput } from './validate';

/**
 * The longest id accepted. Every id of the API is a UUID (36 characters) or a 32-hex project id; 64 leaves room and
 * keeps a filter of `MAX_FILTER_IDS` ids (about 6.5 KB of URL) under the 8 KB request line common HTTP servers and
 * proxies accept, where a longer id list is refused with 431 before the service sees it.
 */
export const MAX_ID_LENGTH = 64;
const ID_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_ID_LENGTH}}$`);
const ID_MESSAGE = `must be an id: 1–${MAX_ID_LENGTH} letters, digits, "-" or "_"`;

/**
 * An id. Letters, digits, `-` and `_` only: an empty or blank id would change a request path (`/vaults/` lists
 * instead of reading one), `/`, `?`, `%` and the like would address another resource, and a comma would smuggle a
 * second id into a comma-separated parameter (`resource_ids`).
 */
export const Id = z.string().regex(ID_PATTERN, ID_MESSAGE);

/** Checks one id argument (`field` is its path, e.g. `id`, `input.backupId`) and returns it. */
export function requireId(value: string, field: string): string {
  return validateInput(Id, value, field);
}

/** The most ids one filter takes (the vault loader reads by id in batches of the same size). */
export const MAX_FILTER_IDS = 100;

const EMPTY_FILTER = 'must not be empty: leave the filter out to apply no condition';

/** A list in a filter: an empty list is refused (it would mean "none" to one parameter and "all" to another). */
export function filterList<T extends z.ZodType>(item: T) {
  return z.array(item).min(1, EMPTY_FILTER);
}

/** A list of ids in a filter: 1–`MAX_FILTER_IDS` ids. */
export const FilterIds = filterList(Id).max(MAX_FILTER_IDS, `must list at most ${MAX_FILTER_IDS} ids`);

/** A text in a filter (a name, an availability zone): 1–255 characters, the longest name the API has. */
export const FilterText = z.string().min(1, EMPTY_FILTER).max(255, 'must be at most 255 characters');

/**
 * A `TagInput` (schema/base.graphql), for every tag list of every input: the wire's tag rule (seed Table 4-95, in
 * upstream/schemas/common.ts): surrounding spaces removed, then key 1–36 and value 0–43 letters (non-Latin ones too),
 * digits, `_` or `-`. Checked here on the GraphQL shape, so an issue names the argument path.
 */
export const TagInput = TagCreate;
export type TagInput = z.infer<typeof TagInput>;

/** Tags attached to something: keys unique after trimming ("Keys in this list must be unique"). */
export const UniqueKeyTags = z.array(TagInput).superRefine(uniqueTagKeys);
