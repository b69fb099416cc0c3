/**
 * Look-ahead over the operation: whether the field being resolved selects a path of sub-fields, so its resolver can
 * start a lookup its children will need in the same round of upstream calls instead of one round later.
 * Fragments (named and inline, whatever their type condition) are followed and `@skip`/`@include` are honoured, as
 * execution does; a look-ahead that still over-reaches costs one call the request did not need, never a wrong answer.
 */
import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentSpreadNode,
  type GraphQLResolveInfo,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';

function included(node: FieldNode | FragmentSpreadNode | InlineFragmentNode, variables: GraphQLResolveInfo['variableValues']): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** The fields named `name` directly inside `selectionSet`, fragments flattened. */
function fieldsNamed(selectionSet: SelectionSetNode, name: string, info: GraphQLResolveInfo, into: FieldNode[]): FieldNode[] {
  for (const selection of selectionSet.selections) {
    if (!included(selection, info.variableValues)) continue;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) into.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fieldsNamed(selection.selectionSet, name, info, into);
    } else {
      const fragment = info.fragments[selection.name.value];
      if (fragment) fieldsNamed(fragment.selectionSet, name, info, into);
    }
  }
  return into;
}

/** Whether the current field selects `path` (field names, outermost first), e.g. `['nodes', 'policy']`. */
export function selectsPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    const next: FieldNode[] = [];
    for (const field of level) if (field.selectionSet) fieldsNamed(field.selectionSet, name, info, next);
    if (next.length === 0) return false;
    level = next;
  }
  return true;
}

/** Whether the current field selects any of `paths`. */
export function selectsAny(info: GraphQLResolveInfo, paths: readonly (readonly string[])[]): boolean {
  return paths.some((path) => selectsPath(info, path));
}

/**
 * Starts a lookup whose result a child field will await (through the same loader, so it is still made once).
 * A failure is left to that field to report; if no field awaits it (the parent turned out null), it is dropped here
 * instead of surfacing as an unhandled rejection.
 */
export function prefetch(lookup: Promise<unknown>): void {
  lookup.catch(() => undefined);
}
