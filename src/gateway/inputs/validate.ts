/**
 * Mutation input validation with the upstream's own request schemas (src/upstream/schemas/*): the resolver builds
 * the wire body from its input, the wire schema checks it (one source of rules, shared with the emulator), and the
 * first issue becomes BAD_USER_INPUT naming the *input* path (`input.billing.sizeGb`), before any REST call.
 */
import type { z } from 'zod';
import { badUserInput } from '../errors';

/**
 * How wire paths read as input paths: `[wirePattern, inputPath]` pairs with dot-separated segments, where `*` in a
 * pattern matches an array index and is written back at the same `*` in the input path. The longest matching pattern
 * wins; wire segments after it are camel-cased (`backup_name_prefix` → `backupNamePrefix`).
 * Example: `['vault.billing.size', 'input.billing.sizeGb']`, `['vault', 'input']`.
 */
export type PathRules = ReadonlyArray<readonly [wirePattern: string, inputPath: string]>;

/** Parses `body` with `schema`; on failure throws BAD_USER_INPUT for the first issue, named by its input path. */
export function validateWire<T>(schema: z.ZodType<T>, body: unknown, rules: PathRules): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = inputPath(issue.path, rules);
  throw badUserInput(`${field}: ${issue.message}`, field);
}

/**
 * Parses a GraphQL argument with a gateway-side schema written on the GraphQL shape (see ./common.ts); on failure
 * throws BAD_USER_INPUT for the first issue, named by `root` (the argument, e.g. `input`, `filter`, `id`) and the
 * issue's path under it. Returns the parsed value (trimmed tags and the like).
 */
export function validateInput<T>(schema: z.ZodType<T>, value: unknown, root: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = inputPath(issue.path, [['', root]]);
  throw badUserInput(`${field}: ${issue.message}`, field);
}

/** The input path of a wire path (see `PathRules`); array indices are written `[i]`. */
export function inputPath(wirePath: readonly PropertyKey[], rules: PathRules): string {
  const wire = wirePath.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  let best: { length: number; replacement: string[]; indices: number[] } | undefined;
  for (const [pattern, replacement] of rules) {
    const parts = pattern === '' ? [] : pattern.split('.');
    if (parts.length > wire.length || (best && parts.length <= best.length)) continue;
    const indices: number[] = [];
    const matches = parts.every((part, i) => {
      const segment = wire[i];
      if (part === '*') {
        if (typeof segment !== 'number') return false;
        indices.push(segment);
        return true;
      }
      return segment === part;
    });
    if (matches) best = { length: parts.length, replacement: replacement.split('.'), indices };
  }
  const head = best ? fillIndices(best.replacement, best.indices) : [];
  const tail = wire.slice(best?.length ?? 0).map((segment) => (typeof segment === 'number' ? segment : camelCase(segment)));
  return [...head, ...tail].reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    return out === '' ? segment : `${out}.${segment}`;
  }, '');
}

function fillIndices(replacement: string[], indices: number[]): Array<string | number> {
  let next = 0;
  return replacement.map((part) => (part === '*' ? (indices[next++] ?? 0) : part));
}

function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Leaves out the keys whose value is undefined or null, so optional inputs left out are not sent at all. */
export function compact<T extends Record<string, unknown>>(object: T): { [K in keyof T]?: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined && value !== null) out[key] = value;
  return out as { [K in keyof T]?: Exclude<T[K], null> };
}
