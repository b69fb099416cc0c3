/** Cache keys of loaders keyed by query objects. */

/** JSON with sorted keys and `undefined` left out: equal queries give equal keys whatever their key order. */
export function stableKey(query: object): string {
  const entries = Object.entries(query)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}
