/**
 * Names and descriptions of every resource refuse control characters (C0, DEL, C1: NUL truncates in C code, ESC drives
 * terminals, newlines forge log lines) and bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+061C,
 * U+200E/U+200F: `invoice\u202Efdp.exe` displays as another name, "Trojan Source"). The upstream accepts some of them
 * (vault names took NUL and U+202E), so the gateway checks before any call.
 *
 * One rule for every mutation, present and future: every argument of a mutation's root fields is walked, and every
 * string under a key `name`, `description` or ending in `Name`/`NamePrefix` is checked, so a new input needs nothing
 * here. BAD_USER_INPUT names the argument path, e.g. `input.resources[0].name`.
 */
import { getArgumentValues, getOperationAST, getVariableValues, Kind, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badUserInput } from '../errors';

/** The characters refused (see the module comment). */
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

const TEXT_KEY = /^(name|description)$|Name$|NamePrefix$/;

/** The first name-like string under `value` holding a forbidden character, as an error naming its path. */
export function uncleanText(value: unknown, path: string, key = ''): GraphQLError | undefined {
  if (typeof value === 'string') {
    if (!TEXT_KEY.test(key)) return undefined;
    const found = FORBIDDEN.exec(value);
    if (!found) return undefined;
    const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return badUserInput(`${path}: must not contain control or bidirectional-override characters (found U+${code})`, path);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const error = uncleanText(value[i], `${path}[${i}]`, key);
      if (error) return error;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [child, inner] of Object.entries(value)) {
      const error = uncleanText(inner, `${path}.${child}`, child);
      if (error) return error;
    }
  }
  return undefined;
}

/** The yoga plugin: refuses a mutation whose arguments carry an unclean name, before it runs. */
export function useTextHygiene(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      const root = operation?.operation === 'mutation' ? args.schema.getMutationType() : undefined;
      if (!operation || !root) return;
      // Variables that do not coerce are answered by variables.ts; nothing to check here then.
      const variables = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
      if (variables.errors) return;
      for (const selection of operation.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const field = root.getFields()[selection.name.value];
        if (!field) continue;
        let values: Record<string, unknown>;
        try {
          values = getArgumentValues(field, selection, variables.coerced);
        } catch {
          continue; // graphql-js refuses it with its own message when it runs
        }
        for (const [name, value] of Object.entries(values)) {
          const error = uncleanText(value, name, name);
          if (error) {
            setResultAndStopExecution({ errors: [error] });
            return;
          }
        }
      }
    },
  };
}
