/**
 * Copies of stored records for answers, so a caller never holds live state. Records are plain JSON-shaped data (wire
 * shape: objects, arrays, strings, numbers, booleans, null), which a direct walk copies several times faster than
 * `structuredClone` (that serialises and deserialises); reads of vaults and policies copy on every request.
 */

/** A deep copy of plain JSON-shaped data, keys in the same order. */
export function copyRecord<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyRecord) as T;
  // A spread clones an object in one step; only nested objects need a walk of their own.
  const copy = { ...(value as Record<string, unknown>) };
  for (const key in copy) {
    const nested = copy[key];
    if (typeof nested === 'object' && nested !== null) copy[key] = copyRecord(nested);
  }
  return copy as T;
}
