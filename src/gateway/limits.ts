/**
 * Cheap limits on the shape of an operation, checked before anything runs (hardening.md 1.6, the graphql-armor
 * baseline without the dependency): parser tokens, selection depth, aliases and directives. Every field of this API
 * costs upstream calls, so a query that asks for the same edge 500 times under aliases is refused, not executed.
 */
import { Kind, parse, type ASTNode, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValidationRule } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ErrorCode } from './__generated__/resolvers-types';

export interface QueryLimits {
  /** Lexer tokens per document. Default 2000. */
  maxTokens: number;
  /** Nested field levels, fragments followed (`{ vaults { nodes { id } } }` is 3). Default 12. */
  maxDepth: number;
  /** Aliased fields per document. Default 15. */
  maxAliases: number;
  /** Directive uses per document. Default 10. */
  maxDirectives: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxTokens: 2000, maxDepth: 12, maxAliases: 15, maxDirectives: 10 };

function limitError(message: string, node: ASTNode) {
  return createGraphQLError(message, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' satisfies ErrorCode } });
}

/**
 * The depth of each operation, linear in the document: every named fragment's depth is computed once and reused at
 * each spread (following fragments per path was 2^n work for fragments spreading the previous one twice).
 * graphql-armor's max-depth caches fragments as well, but it counts `__type` introspection and reports its own uncoded
 * "Syntax Error" text; this is as short and answers with our code and message.
 */
function depthRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    // Per fragment: its depth once known, `null` while being measured (a cycle is a validation error anyway).
    const fragmentDepths = new Map<string, number | null>();

    function depthOf(selectionSet: SelectionSetNode | undefined): number {
      if (!selectionSet) return 0;
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        let depth = 0;
        if (selection.kind === Kind.FIELD) {
          // Introspection is bounded by the schema itself, and tools send deep introspection queries.
          if (selection.name.value.startsWith('__')) continue;
          depth = 1 + depthOf(selection.selectionSet);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          depth = depthOf(selection.selectionSet);
        } else {
          depth = fragmentDepth(selection.name.value);
        }
        deepest = Math.max(deepest, depth);
      }
      return deepest;
    }

    function fragmentDepth(name: string): number {
      const known = fragmentDepths.get(name);
      if (known !== undefined) return known ?? 0;
      const fragment = fragments.get(name);
      if (!fragment) return 0;
      fragmentDepths.set(name, null);
      const depth = depthOf(fragment.selectionSet);
      fragmentDepths.set(name, depth);
      return depth;
    }

    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet);
        if (depth > maxDepth) context.reportError(limitError(`The operation is ${depth} levels deep; at most ${maxDepth} are allowed`, operation));
      },
    };
  };
}

/** Counts over the whole document (fragments included once). */
function countRule(limits: QueryLimits): ValidationRule {
  return (context) => {
    let aliases = 0;
    let directives = 0;
    return {
      Field(field) {
        if (field.alias) aliases++;
      },
      Directive() {
        directives++;
      },
      Document: {
        leave(document: DocumentNode) {
          if (aliases > limits.maxAliases) context.reportError(limitError(`The operation uses ${aliases} aliases; at most ${limits.maxAliases} are allowed`, document));
          if (directives > limits.maxDirectives) {
            context.reportError(limitError(`The operation uses ${directives} directives; at most ${limits.maxDirectives} are allowed`, document));
          }
        },
      },
    };
  };
}

/** The yoga plugin applying `limits` to every operation. */
export function useQueryLimits(limits: QueryLimits = DEFAULT_LIMITS): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => parse(source, { ...options, maxTokens: limits.maxTokens }));
    },
    onValidate({ addValidationRule }) {
      addValidationRule(depthRule(limits.maxDepth));
      addValidationRule(countRule(limits));
    },
  };
}
